import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';
import { allocReceived, hasHeadroom, WS_HEADROOM } from '../wire/frame-buffers';

/**
 * ws allocates every large incoming payload with headroom (patches/ws+8.23.0.patch adds this
 * hook to its receiver), so the host forwards a relayed frame to each recipient as one buffer,
 * without a copy. Only payloads over 4 KiB that arrive split across reads are allocated at all,
 * from a pool: the link that hands a binary frame on releases it afterwards (releaseFrame), and
 * anything that keeps it longer holds it (wire/frame-buffers.ts).
 */
(wsModule as unknown as { Receiver: { allocatePayload?: (n: number) => Buffer } }).Receiver.allocatePayload = allocReceived;

/** The parts of a ws WebSocket the one-buffer path needs (ws 8 keeps them as fields). */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _state?: number; _queue?: unknown[] };
}

/**
 * Sends `frame` as one binary WebSocket message; `done` runs once the socket took it (or failed).
 *
 * A frame with headroom (wire/frame-buffers.ts) gets its WebSocket header written in front of it
 * and goes to the socket as one buffer: ws would write the header and the payload apart, and
 * Node's TLS socket then copies both into a new buffer before encrypting — 256 KiB allocated
 * and copied per frame, per recipient. The header is the one ws writes (RFC 6455 §5.2: FIN,
 * binary, the length; from a client the mask bit and a zero mask, as our client's generateMask
 * makes). This goes around ws's sender only while it has nothing queued (no compression is
 * configured, so it never has), so messages keep their order; otherwise, and for frames without
 * headroom, ws sends it.
 */
export function sendBinaryFrame(ws: WebSocket, frame: Buffer, masked: boolean, done: () => void): void {
  const { _socket: socket, _sender: sender } = ws as unknown as WsInternals;
  if (!hasHeadroom(frame) || !socket || sender?._state !== 0 || (sender._queue?.length ?? 1) > 0) {
    ws.send(frame, { binary: true }, () => done());
    return;
  }
  const length = frame.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const headerBytes = 2 + lengthBytes + (masked ? 4 : 0);
  const message = Buffer.from(frame.buffer, WS_HEADROOM - headerBytes, headerBytes + length);
  message[0] = 0x82; // FIN, opcode 2 (binary)
  message[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) message.writeUInt16BE(length, 2);
  else if (lengthBytes === 8) message.writeBigUInt64BE(BigInt(length), 2);
  if (masked) message.writeUInt32BE(0, 2 + lengthBytes);
  socket.write(message, () => done());
}
