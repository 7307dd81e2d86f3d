import { memo } from 'react';
import type { Member, RoomEvent } from '../../src-preload/contract';
import { formatClock, formatDateTime, isoTime } from '../format/clock-time';
import { memberEventSentence } from '../format/room-words';
import { LinkedText } from './linked-text';
import { MemberAvatar } from './member-avatar';

// Messages from one person within this long of each other share one name heading.
const GROUP_WINDOW_MS = 5 * 60 * 1000;

interface ChatLineProps {
  event: RoomEvent;
  previous: RoomEvent | undefined;
  me: Member;
}

/** One line of the chat: a message (name, time, text) or a join/leave line. */
export const ChatLine = memo(function ChatLine({ event, previous, me }: ChatLineProps) {
  const clock = <Clock ts={event.ts} />;
  if (event.type !== 'chat') {
    return (
      <div className="chat-line member-event" data-seq={event.seq}>
        <span className="member-event-text">{memberEventSentence(event)}</span>
        {clock}
      </div>
    );
  }

  const mine = event.from.id === me.id;
  const continued = previous?.type === 'chat' && previous.from.id === event.from.id && event.ts - previous.ts < GROUP_WINDOW_MS;
  return (
    <div className={`chat-line message ${continued ? 'continued' : ''} ${mine ? 'mine' : ''}`} data-seq={event.seq}>
      <div className="message-gutter">
        {continued ? <span className="gutter-time">{clock}</span> : <MemberAvatar member={event.from} />}
      </div>
      <div className="message-body">
        {/* A continued line still names its sender for screen readers and copy-paste. */}
        <div className={continued ? 'visually-hidden' : 'message-head'}>
          <span className="chat-sender">{event.from.name}</span>
          {mine && <span className="visually-hidden"> (you)</span>}
          {!continued && clock}
        </div>
        <div className="chat-text">
          <LinkedText text={event.text} />
        </div>
      </div>
    </div>
  );
});

function Clock({ ts }: { ts: number }) {
  return (
    <time className="chat-time" dateTime={isoTime(ts)} title={formatDateTime(ts)}>
      {formatClock(ts)}
    </time>
  );
}
