import type { RoomLink, WireMessage } from '../../../../room/feature';
import { PacedOutbox } from '../../paced-outbox';
import { DATA_BYTES, KIND_DATA, KIND_SUM } from '../files2-frames';
import type { Files2ClientMessage } from '../files2-messages';
import type { FrameLink } from './stream-sender';

/** How the sending side reaches the hub over one connection: messages at once, frames through one paced outbox. */
export interface StreamLink extends FrameLink {
  send(message: Files2ClientMessage): void;
  /** Drops the frames of `stream` still queued here (the host stopped it). */
  drop(stream: number): void;
  /** Forgets every queued frame (the connection is gone). */
  clear(): void;
}

/**
 * A StreamLink over a room link: one PacedOutbox for every stream of this member, so at most
 * 1 MiB of file data sits in the connection's buffer whatever the number of streams, and a chat
 * line never waits behind more (as files/1's hubLinkOver).
 */
export function streamLinkOver(link: RoomLink): StreamLink {
  const outbox = new PacedOutbox(link);
  const ofStream = (stream: number) => (frame: Buffer) =>
    (frame[0] === KIND_DATA || frame[0] === KIND_SUM) && frame.readUInt32BE(4) === stream;
  return {
    send: (message) => link.send(message as WireMessage),
    frame: (frame) => outbox.push(frame),
    ready: () => outbox.ready(),
    whenReady: (wake) => outbox.whenReady(wake),
    frameBytes: () => link.frameBytes?.() ?? DATA_BYTES,
    drop: (stream) => outbox.drop(ofStream(stream)),
    clear: () => outbox.clear(),
  };
}
