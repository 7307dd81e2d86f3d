import { memo } from 'react';
import type { Member, RoomEvent } from '../../src-preload/contract';
import { formatClock, formatDateTime, isoTime } from '../format/clock-time';
import { dayLabel, startsNewDay } from '../format/day-labels';
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

/** One line of the chat, with a day separator above the first line of each day. */
export const ChatLine = memo(function ChatLine({ event, previous, me }: ChatLineProps) {
  const newDay = startsNewDay(event.ts, previous?.ts);
  return (
    <>
      {newDay && <DaySeparator ts={event.ts} />}
      <LineBody event={event} previous={newDay ? undefined : previous} me={me} />
    </>
  );
});

/** "Today", "Yesterday" or the date, between the days of the chat. */
function DaySeparator({ ts }: { ts: number }) {
  return (
    <div className="day-separator">
      <time dateTime={isoTime(ts).slice(0, 10)}>{dayLabel(ts)}</time>
    </div>
  );
}

/** A message (name, time, text) or a join/leave line. */
function LineBody({ event, previous, me }: ChatLineProps) {
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
          <span className="chat-sender" title={event.from.name}>
            {event.from.name}
          </span>
          {mine && <span className="visually-hidden"> (you)</span>}
          {!continued && clock}
        </div>
        <div className="chat-text">
          <LinkedText text={event.text} />
        </div>
      </div>
    </div>
  );
}

function Clock({ ts }: { ts: number }) {
  return (
    <time className="chat-time" dateTime={isoTime(ts)} title={formatDateTime(ts)}>
      {formatClock(ts)}
    </time>
  );
}
