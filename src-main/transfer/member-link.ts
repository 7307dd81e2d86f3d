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
  /** Chunk bytes accepted by chunk() but not yet handed to the connection. */
  queuedBytes(): number;
}
