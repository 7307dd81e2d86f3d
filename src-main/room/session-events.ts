import type { AppError } from '../wire/errors';
import type { Member, RoomEvent } from '../wire/protocol';
import type { FileTransfers } from '../features/files/file-transfers';

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface SessionStatus {
  state: SessionState;
  /** Reconnect attempt number while reconnecting. */
  attempt?: number;
  /** Why the session closed or is reconnecting. */
  error?: AppError;
}

export interface SendFailure {
  id: string;
  text: string;
  error: AppError;
}

/**
 * What a room session (the host's own, or a guest's) reports to whoever shows it:
 * the CLI now, the desktop window later.
 */
export type SessionEvents = {
  /** A numbered chat/joined/left event; `replayed` marks history delivered on (re)join. */
  'room-event': [event: RoomEvent, replayed: boolean];
  members: [members: Member[]];
  status: [status: SessionStatus];
  /** Something went wrong that the person should know about; the session goes on. */
  warning: [error: AppError];
  'send-failed': [failure: SendFailure];
};

/** What both RoomHost and RoomClient offer to the CLI and the app. */
export interface RoomSession {
  readonly me: Member;
  /** Offering, accepting and following files in this room. */
  readonly transfers: FileTransfers;
  members(): Member[];
  /** Sends a chat message; returns the client message id. */
  send(text: string): string;
  close(): Promise<void>;
}
