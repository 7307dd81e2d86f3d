import type { AppError } from '../wire/errors';
import type { Member, NumberedEvent } from '../wire/protocol';

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface SessionStatus {
  state: SessionState;
  /** Reconnect attempt number while reconnecting. */
  attempt?: number;
  /** Why the session closed or is reconnecting. */
  error?: AppError;
}

/**
 * What a room (the host's own, or a guest's) reports to whoever shows it: the CLI and the window.
 * `E` is the numbered events of the features it was built with (session/ says which).
 */
export type RoomEvents<E extends NumberedEvent = NumberedEvent> = {
  /** A numbered event (joined, left, or a feature's); `replayed` marks history delivered on (re)join. */
  'room-event': [event: E, replayed: boolean];
  members: [members: Member[]];
  status: [status: SessionStatus];
  /** Something went wrong that the person should know about; the session goes on. */
  warning: [error: AppError];
  /** Host only: the names the host removed and has not let back in, after each change. */
  removed: [names: string[]];
  /**
   * A guest is in the room under a new member id (it reconnected to a restarted host): `me` is who
   * it is now, `formerIds` every id it had before in this session, oldest first. Reported before
   * the new connection's events, so lines of an earlier id can still be shown as yours.
   */
  identity: [me: Member, formerIds: string[]];
};
