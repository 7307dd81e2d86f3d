import { useCallback, useEffect, useState } from 'react';
import type { RecentRoomSummary, RoomEvent } from '../../src-preload/contract';
import { useActions, useAppState } from '../state/store';
import { formatClock, formatDateTime, isoTime } from '../format/clock-time';
import { dayLabel } from '../format/day-labels';
import { ErrorSentence } from './error-sentence';
import { useDefaultName } from './use-default-name';
import { usePendingCall } from './use-pending-call';

/**
 * Rooms this machine was in: rejoin (or, your own, reopen with the same invite) in one click,
 * read what was said there, or forget one. Refreshed whenever the start screen shows.
 */
export function RecentRooms() {
  const { recentRooms, forgetRoom } = useActions();
  const { room } = useAppState();
  const [rooms, setRooms] = useState<RecentRoomSummary[]>([]);
  const [reading, setReading] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const result = await recentRooms();
    if (result.ok) setRooms(result.data);
  }, [recentRooms]);
  // Again each time the window comes back from a room: that room is the newest now.
  useEffect(() => {
    if (room === null) void refresh();
  }, [room, refresh]);

  if (rooms.length === 0) return null;
  return (
    <section className="start-card recent-rooms" aria-labelledby="recent-title">
      <h2 id="recent-title" className="start-card-title">
        Recent rooms
      </h2>
      <p className="start-card-lead">Kept on this machine only: what was said, and the invite to go back in.</p>
      <ul className="recent-list">
        {rooms.map((recent) => (
          <RecentRoom
            key={recent.key}
            recent={recent}
            reading={reading === recent.key}
            onRead={() => setReading((key) => (key === recent.key ? null : recent.key))}
            onForget={async () => {
              const result = await forgetRoom(recent.key);
              if (result.ok) setRooms((list) => list.filter((r) => r.key !== recent.key));
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function RecentRoom({
  recent,
  reading,
  onRead,
  onForget,
}: {
  recent: RecentRoomSummary;
  reading: boolean;
  onRead: () => void;
  onForget: () => void;
}) {
  const { rejoin, reopen } = useActions();
  const [name] = useDefaultName();
  const { busy, failure, run } = usePendingCall();
  const title = recent.role === 'host' ? 'Your room' : `${recent.label}’s room`;
  const go = () => run(() => (recent.role === 'host' ? reopen(recent.key, name.trim()) : rejoin(recent.key, name.trim())));
  return (
    <li className="recent-room" data-key={recent.key}>
      <div className="recent-room-line">
        <span className="recent-room-title" title={title}>
          {title}
        </span>
        <span className="muted recent-room-when">
          as {recent.name} · {dayLabel(recent.lastUsed)}, {formatClock(recent.lastUsed)}
        </span>
      </div>
      <div className="recent-room-actions">
        {recent.canRejoin && (
          <button type="button" className="button primary small" disabled={busy} onClick={go}>
            {recent.role === 'host' ? 'Host again' : 'Rejoin'}
          </button>
        )}
        <button type="button" className="button outline small" aria-expanded={reading} onClick={onRead}>
          {reading ? 'Hide messages' : 'Messages'}
        </button>
        <button type="button" className="button ghost small" onClick={onForget} aria-label={`Forget ${title}`}>
          Forget
        </button>
      </div>
      {!recent.canRejoin && <p className="muted recent-room-note">The invite was not kept on this machine; ask for it again to rejoin.</p>}
      {failure && <ErrorSentence message={failure.message} />}
      {reading && <RecentHistory roomKey={recent.key} />}
    </li>
  );
}

/** What was said in a past room, read-only. */
function RecentHistory({ roomKey }: { roomKey: string }) {
  const { roomHistory } = useActions();
  const [events, setEvents] = useState<RoomEvent[] | null>(null);
  useEffect(() => {
    let live = true;
    void roomHistory(roomKey).then((result) => {
      if (live) setEvents(result.ok ? result.data : []);
    });
    return () => {
      live = false;
    };
  }, [roomKey, roomHistory]);
  if (events === null) return <p className="muted recent-room-note">Loading…</p>;
  if (events.length === 0) return <p className="muted recent-room-note">No messages were kept.</p>;
  return (
    <ol className="recent-history" aria-label="Messages kept from this room">
      {events.map((e) => (
        <li key={`${e.seq}-${e.ts}-${e.type}`} className="recent-history-line">
          <time className="recent-history-time" dateTime={isoTime(e.ts)} title={formatDateTime(e.ts)}>
            {formatClock(e.ts)}
          </time>
          {e.type === 'chat' ? (
            <span className="recent-history-text">
              <strong>{e.from.name}</strong> {e.text}
            </span>
          ) : (
            <em className="recent-history-text">
              {e.member.name} {e.type === 'joined' ? 'joined' : 'left'}
            </em>
          )}
        </li>
      ))}
    </ol>
  );
}
