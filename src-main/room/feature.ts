// The one interface features plug into the room with (docs/ARCHITECTURE.md, "Adding a feature").
// The room knows no feature: it routes each message to the feature that registered its type,
// and offers features these few services. A feature imports this file and src-main/wire/ only.
import type { AppError } from '../wire/errors';
import type { FeatureSpec } from '../wire/feature-spec';
import type { Member, NumberedEvent, Rate } from '../wire/protocol';

/** A message as features send it: its schema in the feature's spec says the rest. */
export interface WireMessage {
  type: string;
}

/** A numbered event before the host numbered and timed it. */
export type Unstamped<E extends NumberedEvent> = E extends unknown ? Omit<E, 'seq' | 'ts'> : never;

/** One member's connection as a hub feature sees it: a guest's socket, or the host's own member in-process. */
export interface MemberConnection {
  readonly member: Member;
  /** Sends a message of the feature; nothing happens once the connection is closed. */
  send(message: WireMessage): void;
  /** An error answering one of the member's messages (`ref` names it, PROTOCOL.md §6). */
  sendError(error: AppError, ref?: string): void;
  /** A broken rule of the feature: counted against the member (five close its connection) and answered. */
  offend(error: AppError, ref?: string): void;
  /** A binary frame; `done` runs once it left the room's buffers, or failed. */
  sendBinary(frame: Buffer, done: () => void): void;
  /** The size of file frame that suits this connection now (about 10 ms of its path); none: any. */
  frameBytes?(): number;
  /**
   * Whether file data may go now without building a queue on the path; a frame sent anyway still
   * goes (none: always). Chat and other messages never wait for this.
   */
  bulkReady?(): boolean;
  /** Runs `wake` once bulkReady() holds. */
  whenBulkReady?(wake: () => void): void;
  isOpen(): boolean;
}

/** What the room offers its hub features. */
export interface HubRoom {
  readonly me: Member;
  members(): Member[];
  /**
   * Numbers an event, keeps it in the history and sends it to every member that speaks its
   * feature (the host's own member included), except `except`.
   */
  publish<E extends NumberedEvent>(event: Unstamped<E>, except?: MemberConnection): E;
  /** A numbered event still kept in the history. */
  event(seq: number): NumberedEvent | undefined;
  /** Sends a message to every connection that speaks its feature, except `except`. */
  broadcast(message: WireMessage, except?: MemberConnection): void;
}

/** The host side of a feature: one per room. Every method runs for messages already validated against the spec. */
export interface HubFeature {
  /** The room is open; called once, before anyone joins. */
  start(room: HubRoom): void;
  /** A connection that speaks this feature is in the room, its welcome sent (again after every resume): the feature may speak to it now. */
  connected?(connection: MemberConnection): void;
  message(connection: MemberConnection, message: WireMessage): void;
  /** A binary frame, for the feature whose spec owns them. */
  binary?(connection: MemberConnection, frame: Buffer): void;
  /** A message of this feature broke its schema and was answered with an error; `ref` named it. */
  rejected?(connection: MemberConnection, type: string, ref: string): void;
  /** A connection ended; its member may still resume on another. */
  disconnected?(connection: MemberConnection): void;
  /** A member left the room for good. */
  left?(member: Member): void;
  /** The room is closing: whatever must reach members goes now, before the close frames. */
  close?(): void;
}

/** How a member-side feature reaches the hub over the session's current connection. */
export interface RoomLink {
  readonly me: Member;
  members(): Member[];
  send(message: WireMessage): void;
  sendBinary(frame: Buffer, done: () => void): void;
  /** The size of file frame that suits this connection now (about 10 ms of its path); none: any. */
  frameBytes?(): number;
  /**
   * Whether file data may go now without building a queue on the path; a frame sent anyway still
   * goes (none: always). Chat and other messages never wait for this.
   */
  bulkReady?(): boolean;
  /** Runs `wake` once bulkReady() holds. */
  whenBulkReady?(wake: () => void): void;
  isOpen(): boolean;
  /** The chat rate the host asks members to stay under (PROTOCOL.md §8). */
  readonly rate: Rate;
}

/** Why a member's connection ended: it left, the host closed the room, or the connection broke (a reconnect may follow). */
export type DetachReason = 'left' | 'host-left' | 'connection-lost';

/** The member side of a feature: one per session, the same for a guest and for the host's own member. */
export interface MemberFeature {
  /** A connection is up (again after every reconnect); no link when the host does not speak the feature. */
  attach(link: RoomLink | undefined): void;
  message(message: WireMessage): void;
  /** A binary frame, for the feature whose spec owns them; false when it fits nothing. */
  binary?(frame: Buffer): boolean;
  /** Every numbered room event, of any feature and the room's own, in order; `replayed` marks history. */
  event?(event: NumberedEvent, replayed: boolean): void;
  /** An error frame whose `ref` may name one of this feature's messages; true when it did. */
  answered?(error: AppError, ref: string): boolean;
  /** The connection ended. */
  detach(reason: DetachReason): void;
  /** The session is over for good; `error` says why when it was not the member's own goodbye. */
  closed?(error: AppError | undefined): void;
  /** Resolves once whatever the feature left behind (partial files) is gone. */
  stopped?(): Promise<void>;
}

/** A feature as a room is built with it: its wire description, its hub side (the host's), its member side. */
export interface Feature {
  readonly spec: FeatureSpec;
  readonly hub?: HubFeature | undefined;
  readonly member?: MemberFeature | undefined;
}
