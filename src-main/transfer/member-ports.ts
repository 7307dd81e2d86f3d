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

  constructor(
    readonly memberId: string,
    private readonly connection: GuestConnection,
  ) {
    this.outbox = new PacedOutbox(connection);
  }

  control(message: TransferHostMessage): void {
    this.connection.sendTransfer(message);
  }

  chunk(frame: Buffer): void {
    this.outbox.push(frame);
  }

  queuedBytes(): number {
    return this.outbox.queuedBytes();
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
    queuedBytes: () => 0,
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
