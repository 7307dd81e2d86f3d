import { CHUNK_HEADER_BYTES, chunkTransfer } from './chunk-frame';
import type { HubLink, MemberPort } from './member-link';
import { PacedOutbox, type BinarySocket } from './paced-outbox';
import type { TransferClientMessage, TransferHostMessage } from './transfer-messages';

/** What the hub needs of a guest's connection. */
export interface GuestConnection extends BinarySocket {
  sendTransfer(message: TransferHostMessage): void;
}

/** The hub's way to a guest: control as text frames, chunks paced through an outbox. */
export class RemotePort implements MemberPort {
  private readonly outbox: PacedOutbox;
  private readonly handedOut = new Map<number, number>();

  constructor(
    readonly memberId: string,
    private readonly connection: GuestConnection,
  ) {
    this.outbox = new PacedOutbox(connection, undefined, (frame) => {
      const transfer = chunkTransfer(frame);
      this.handedOut.set(transfer, (this.handedOut.get(transfer) ?? 0) + frame.length - CHUNK_HEADER_BYTES);
    });
  }

  control(message: TransferHostMessage): void {
    this.connection.sendTransfer(message);
  }

  chunk(frame: Buffer): void {
    this.outbox.push(frame);
  }

  delivered(transfer: number): number {
    return this.handedOut.get(transfer) ?? 0;
  }

  forget(transfer: number): void {
    this.handedOut.delete(transfer);
    this.outbox.drop((frame) => chunkTransfer(frame) === transfer);
  }
}

/** The host member's own side of the hub: what it needs of the host's FileTransfers. */
export interface LocalMember {
  onControl(message: TransferHostMessage): void;
  onChunk(frame: Buffer): boolean;
}

/** What the host's own FileTransfers needs of the hub. */
export interface LocalHub {
  control(port: MemberPort, message: TransferClientMessage): unknown;
  chunk(port: MemberPort, frame: Buffer): unknown;
}

/**
 * Joins the host's own member to the hub in-process. Control messages go through a microtask
 * in each direction, so neither side is re-entered while it is in the middle of a change.
 */
export function localPair(memberId: string, hub: LocalHub, member: LocalMember): { port: MemberPort; link: HubLink } {
  const port: MemberPort = {
    memberId,
    control: (message) => queueMicrotask(() => member.onControl(message)),
    chunk: (frame) => void member.onChunk(frame),
    // In-process chunks reach the host's own member at once.
    delivered: () => Number.MAX_SAFE_INTEGER,
    forget: () => {},
  };
  const link: HubLink = {
    control: (message) => queueMicrotask(() => void hub.control(port, message)),
    chunk: (frame) => void hub.chunk(port, frame),
    // Chunks go straight into the recipients' outboxes, which credit already bounds.
    ready: () => true,
    whenReady: (wake) => queueMicrotask(wake),
  };
  return { port, link };
}
