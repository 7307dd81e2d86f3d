import { allocFrame } from '../../../wire/frame-buffers';

/**
 * files/2 binary frames (PROTOCOL.md §11): a 16-byte header, then the payload.
 *
 *   byte 0      kind: 2 = data, 3 = checksum
 *   bytes 1–3   reserved, zero
 *   bytes 4–7   stream, uint32 big-endian
 *   bytes 8–15  data: the payload's offset in the offer's data; checksum: the file's index
 *   payload     data: 1–262,144 bytes; checksum: the 32-byte SHA-256 of that file
 */
export const KIND_DATA = 2;
export const KIND_SUM = 3;
export const FRAME_HEADER_BYTES = 16;
/** Most payload bytes in one data frame. */
export const DATA_BYTES = 256 * 1024;
export const SUM_BYTES = 32;
/** Largest files/2 frame (the same as files/1's). */
export const MAX_FRAME_BYTES = FRAME_HEADER_BYTES + DATA_BYTES;
/**
 * A recipient holds at most this many bytes it has received and not yet written (every
 * Porthole version so far): a data frame ending further past what it has written breaks the
 * stream (`bad-data`). So a host's credit window must stay under it (PROTOCOL.md §11, *Credit*).
 */
export const MAX_UNWRITTEN_BYTES = 32 * 1024 * 1024;

export interface Files2Frame {
  kind: typeof KIND_DATA | typeof KIND_SUM;
  stream: number;
  /** Data: the offset. Checksum: the file index (0 = the manifest). */
  position: number;
}

/** Writes the header into the first 16 bytes of `frame` (payload already after it). */
export function writeFrameHeader(frame: Buffer, kind: Files2Frame['kind'], stream: number, position: number): Buffer {
  frame.writeUInt8(kind, 0);
  frame.writeUIntBE(0, 1, 3);
  frame.writeUInt32BE(stream, 4);
  frame.writeBigUInt64BE(BigInt(position), 8);
  return frame;
}

/** A checksum frame for file `index` of a stream. */
export function sumFrame(stream: number, index: number, sha256: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + SUM_BYTES);
  sha256.copy(frame, FRAME_HEADER_BYTES);
  return writeFrameHeader(frame, KIND_SUM, stream, index);
}

/** Reads a frame's header; undefined when it is not a well-formed files/2 frame. */
export function readFrameHeader(frame: Buffer): Files2Frame | undefined {
  if (frame.length <= FRAME_HEADER_BYTES || frame.length > MAX_FRAME_BYTES) return undefined;
  const kind = frame[0];
  if ((kind !== KIND_DATA && kind !== KIND_SUM) || frame[1] !== 0 || frame[2] !== 0 || frame[3] !== 0) return undefined;
  if (kind === KIND_SUM && frame.length !== FRAME_HEADER_BYTES + SUM_BYTES) return undefined;
  const position = frame.readBigUInt64BE(8);
  if (position > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const stream = frame.readUInt32BE(4);
  if (stream === 0) return undefined;
  return { kind, stream, position: Number(position) };
}

export const framePayload = (frame: Buffer): Buffer => frame.subarray(FRAME_HEADER_BYTES);

/**
 * A data frame cut into frames of at most `maxPayload` payload bytes (same stream, consecutive
 * offsets), for a connection whose path is slow: the host relays a fast sender's 256 KiB frames
 * to a slow recipient in pieces, so a chat line waits behind one small frame at most. Other
 * frames, and data frames that fit, come back as they are.
 */
export function splitDataFrame(frame: Buffer, maxPayload: number): Buffer[] {
  maxPayload = Math.max(1, Math.floor(maxPayload));
  const payload = framePayload(frame);
  if (frame[0] !== KIND_DATA || payload.length <= maxPayload) return [frame];
  const stream = frame.readUInt32BE(4);
  const position = Number(frame.readBigUInt64BE(8));
  const pieces: Buffer[] = [];
  for (let at = 0; at < payload.length; at += maxPayload) {
    const n = Math.min(maxPayload, payload.length - at);
    const piece = allocFrame(FRAME_HEADER_BYTES + n);
    payload.copy(piece, FRAME_HEADER_BYTES, at, at + n);
    pieces.push(writeFrameHeader(piece, KIND_DATA, stream, position + at));
  }
  return pieces;
}
