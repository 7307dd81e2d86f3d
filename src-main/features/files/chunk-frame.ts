/**
 * Binary frames carry file bytes: a fixed 16-byte header, then the payload.
 *
 *   byte 0      kind (1 = file data)
 *   bytes 1–3   reserved, zero
 *   bytes 4–7   transfer id, uint32 big-endian
 *   bytes 8–15  offset of the payload in the file, uint64 big-endian
 */
export const CHUNK_KIND_DATA = 1;
export const CHUNK_HEADER_BYTES = 16;
/** Payload of every chunk but a file's last. */
export const CHUNK_BYTES = 256 * 1024;
/** Recipients ack on this grid and credit grows in these steps (PROTOCOL.md §9). */
export const ACK_STEP_BYTES = 4 * CHUNK_BYTES;

/** The most of `received` bytes a recipient can be expected to have acked: whole steps, or all. */
export function ackableBytes(received: number, size: number): number {
  return received === size ? size : received - (received % ACK_STEP_BYTES);
}
/** Largest binary frame; also the ws `maxPayload` once a connection may carry files. */
export const MAX_CHUNK_FRAME_BYTES = CHUNK_HEADER_BYTES + CHUNK_BYTES;

export interface ChunkHeader {
  transfer: number;
  offset: number;
}

/** Writes the header into the first 16 bytes of `frame` (payload already after it). */
export function writeChunkHeader(frame: Buffer, transfer: number, offset: number): Buffer {
  frame.writeUInt8(CHUNK_KIND_DATA, 0);
  frame.writeUIntBE(0, 1, 3);
  frame.writeUInt32BE(transfer, 4);
  frame.writeBigUInt64BE(BigInt(offset), 8);
  return frame;
}

/** Reads a frame's header; undefined when it is not a well-formed data frame. */
export function readChunkHeader(frame: Buffer): ChunkHeader | undefined {
  if (frame.length <= CHUNK_HEADER_BYTES || frame.length > MAX_CHUNK_FRAME_BYTES) return undefined;
  if (frame[0] !== CHUNK_KIND_DATA || frame[1] !== 0 || frame[2] !== 0 || frame[3] !== 0) return undefined;
  const offset = frame.readBigUInt64BE(8);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { transfer: frame.readUInt32BE(4), offset: Number(offset) };
}

/** The transfer number of a frame already checked by readChunkHeader (the hub's forwarded frames). */
export const chunkTransfer = (frame: Buffer): number => frame.readUInt32BE(4);

/** The payload part of a frame, without copying. */
export const chunkPayload = (frame: Buffer): Buffer => frame.subarray(CHUNK_HEADER_BYTES);

/** How many payload bytes the chunk at `offset` of a `size`-byte file must carry. */
export const expectedChunkBytes = (size: number, offset: number): number => Math.min(CHUNK_BYTES, size - offset);
