import type { MemberConnection, WireMessage } from '../../../../room/feature';
import { PacedOutbox } from '../../paced-outbox';
import { framePayload, splitDataFrame } from '../files2-frames';
import type { Files2HostMessage } from '../files2-messages';

/**
 * The files/2 hub's way to one member's connection: text messages at once, frames through a
 * paced outbox (chat never waits behind more than 1 MiB of file data). `handedOut` hears of each
 * frame as it goes to the connection: what a recipient can honestly have acked.
 */
export class HubPort {
  private readonly outbox: PacedOutbox;

  constructor(
    readonly connection: MemberConnection,
    handedOut: (port: HubPort, frame: Buffer) => void,
  ) {
    this.outbox = new PacedOutbox(connection, undefined, (frame) => handedOut(this, frame));
  }

  get memberId(): string {
    return this.connection.member.id;
  }

  send(message: Files2HostMessage): void {
    this.connection.send(message as WireMessage);
  }

  /** Queues a frame for the member; on a slow path, a data frame goes in pieces the connection suits. */
  frame(frame: Buffer): void {
    const max = this.connection.frameBytes?.();
    if (max === undefined || framePayload(frame).length <= max) return this.outbox.push(frame);
    for (const piece of splitDataFrame(frame, max)) this.outbox.push(piece);
  }

  /** Bytes of frames waiting here for the connection (not yet handed to it). */
  waitingBytes(): number {
    return this.outbox.waitingBytes();
  }

  /** Drops queued frames `unwanted` picks (a stream that ended for this member). */
  drop(unwanted: (frame: Buffer) => boolean): void {
    this.outbox.drop(unwanted);
  }

  /** Drops every queued frame (the room closes: the last words go before the data). */
  clear(): void {
    this.outbox.clear();
  }
}
