// A session's ups and downs in the log, read from the 'status' events it reports: a guest's
// reconnects (RoomClient reconnects on its own) and how a host's or guest's room ended.
import type { SessionStatus } from '../room/session-events';
import { logger, type Logger } from './logger';

/** What is read of a session: its status events (RoomHost and RoomClient both report them). */
export interface StatusSource {
  on(event: 'status', listener: (status: SessionStatus) => void): unknown;
}

/** Logs reconnect attempts, the reconnect that worked, and the end of the session. */
export function logSessionStatus(session: StatusSource, role: 'host' | 'guest', log: Logger = logger('room')): void {
  let reconnecting = false;
  session.on('status', (status: SessionStatus) => {
    const code: string | undefined = status.error?.code;
    if (status.state === 'reconnecting') {
      reconnecting = true;
      log.warn('lost the host; reconnecting', { role, attempt: status.attempt, code });
    } else if (status.state === 'connected' && reconnecting) {
      reconnecting = false;
      log.info('reconnected to the host', { role });
    } else if (status.state === 'closed') {
      const expected = !code || code === 'room-closed' || code === 'cancelled';
      (expected ? log.info : log.warn)('the room ended', { role, code });
    }
  });
}
