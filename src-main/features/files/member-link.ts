import type { TransferClientMessage, TransferHostMessage } from './transfer-messages';

/** How one member's transfer side reaches the room's hub (a WebSocket, or in-process on the host). */
export interface HubLink {
  control(message: TransferClientMessage): void;
  /** Sends one binary chunk frame (header + payload). Call only while ready(). */
  chunk(frame: Buffer): void;
  /** Whether another chunk may go now without piling up unsent data. */
  ready(): boolean;
  /** Calls `wake` once the link is ready again. */
  whenReady(wake: () => void): void;
}

/** How the hub reaches one member (through its connection, or in-process for the host). */
export interface MemberPort {
  readonly memberId: string;
  control(message: TransferHostMessage): void;
  /** Forwards a chunk frame as is; paced so that chat never waits behind much file data. */
  chunk(frame: Buffer): void;
  /** Bytes of a transfer handed to this member's connection: the most it can honestly have acked. */
  delivered(transfer: number): number;
  /** The transfer is over for this member: chunks of it still queued are dropped. */
  forget(transfer: number): void;
}
