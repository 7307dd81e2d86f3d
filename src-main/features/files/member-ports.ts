import { CHUNK_HEADER_BYTES, chunkTransfer } from './chunk-frame';
import type { MemberConnection, WireMessage } from '../../room/feature';
import type { MemberPort } from './member-link';
import { PacedOutbox } from './paced-outbox';
import type { TransferHostMessage } from './transfer-messages';

/**
 * The hub's way to one member's connection (a guest's socket, or the host's own member
 * in-process): control as text messages, chunks paced through an outbox.
 */
export class RemotePort implements MemberPort {
  private readonly outbox: PacedOutbox;
  private readonly handedOut = new Map<number, number>();

  constructor(
    readonly memberId: string,
    private readonly connection: MemberConnection,
  ) {
    this.outbox = new PacedOutbox(connection, undefined, (frame) => {
      const transfer = chunkTransfer(frame);
      this.handedOut.set(transfer, (this.handedOut.get(transfer) ?? 0) + frame.length - CHUNK_HEADER_BYTES);
    });
  }

  control(message: TransferHostMessage): void {
    this.connection.send(message as WireMessage);
    // An offer over a limit is an error of the sender's too; its ref names the offer (PROTOCOL.md §6).
    if (message.type === 'file-refused' && message.reason === 'too-many-transfers') {
      this.connection.sendError(
        { code: 'too-many-transfers', message: 'You have too many transfers running; offer this file when one has ended.' },
        message.ref,
      );
    }
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
