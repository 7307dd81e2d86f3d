// The kept chat and join/leave lines: in order, without repeats, and bounded.
import type { RoomEvent } from '../../src-preload/contract';

/** Lines kept in memory; the host's own history is far shorter, so this only bounds long sessions. */
export const MAX_KEPT_EVENTS = 20_000;
// Trimming a little more than needed means the list shifts once per thousand lines, not on every line.
const TRIM_SLACK = 1_000;

/** Appends events that are not already in the log; drops the oldest beyond `max`. Returns `log` itself when nothing changed. */
export function appendEvents(log: RoomEvent[], incoming: readonly RoomEvent[], max = MAX_KEPT_EVENTS): RoomEvent[] {
  let next: RoomEvent[] | null = null;
  for (const event of incoming) {
    const current = next ?? log;
    if (isKnown(current, event)) continue;
    next ??= log.slice();
    next.push(event);
  }
  if (next === null) return log;
  if (next.length > max) next = next.slice(next.length - Math.max(1, max - Math.min(TRIM_SLACK, Math.floor(max / 10))));
  return next;
}

/**
 * Whether the log already holds this event. Sequence numbers grow within one room, so an
 * event past the newest seq is new; an older one (a replay after reconnecting) is looked up
 * from the end. A host that restarted numbers from 1 again, so a lower seq with a different
 * time and type is still new.
 */
function isKnown(log: readonly RoomEvent[], event: RoomEvent): boolean {
  const last = log.at(-1);
  if (last === undefined || event.seq > last.seq) return false;
  for (let i = log.length - 1; i >= 0; i--) {
    const seen = log[i]!;
    if (seen.seq === event.seq) return seen.ts === event.ts && seen.type === event.type;
    if (seen.seq < event.seq) return false;
  }
  return false;
}
