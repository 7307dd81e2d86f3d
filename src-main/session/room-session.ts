import type { ChatEvent } from '../features/chat/chat-messages';
import type { ChatMemberEvents } from '../features/chat/chat-member';
import type { FileTransfers } from '../features/files/file-transfers';
import type { RoomEvents } from '../room/session-events';
import type { JoinedEvent, LeftEvent, Member } from '../wire/protocol';
import type { MemberSides } from './room-features';

export type { SendFailure } from '../features/chat/chat-member';
export type { ChatEvent } from '../features/chat/chat-messages';

/** The numbered events of a room of this build: joined, left, and chat lines. */
export type RoomEvent = ChatEvent | JoinedEvent | LeftEvent;

/** What a session (the host's own, or a guest's) reports to the CLI and the window. */
export type SessionEvents = RoomEvents<RoomEvent> & ChatMemberEvents;

/** What both RoomHost and RoomClient offer to the CLI and the app. */
export interface RoomSession {
  readonly me: Member;
  /** Offering, accepting and following files in this room. */
  readonly transfers: FileTransfers;
  /** The member side of each feature this build speaks. */
  readonly sides: MemberSides;
  members(): Member[];
  /** Sends a chat message; returns the client message id. */
  send(text: string): string;
  close(): Promise<void>;
}
