import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppError } from '../wire/errors';
import { PROTOCOL, ROOM_PATH, SUPPORTED_PROTOCOLS } from '../wire/protocol';

export type GateDecision = { ok: true } | { ok: false; status: number; error: AppError; extra?: Record<string, unknown> };

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Decides, from the HTTP upgrade request alone, whether a connection may become a WebSocket:
 * right path, a protocol version we speak, and the room secret. Nothing is allocated before.
 */
export function checkUpgrade(req: IncomingMessage, secret: string): GateDecision {
  const path = (req.url ?? '').split('?')[0];
  if (path !== ROOM_PATH) {
    return { ok: false, status: 404, error: { code: 'not-a-porthole-host', message: `No room at ${path}.` } };
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(PROTOCOL)) {
    return {
      ok: false,
      status: 426,
      error: { code: 'version-mismatch', message: `This host speaks ${SUPPORTED_PROTOCOLS.join(', ')}.` },
      extra: { supported: SUPPORTED_PROTOCOLS },
    };
  }
  const auth = req.headers.authorization ?? '';
  const presented = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
  // Compare digests so the comparison takes the same time whatever was presented.
  if (!timingSafeEqual(sha256(presented), sha256(secret))) {
    return { ok: false, status: 401, error: { code: 'wrong-secret', message: 'Missing or wrong room secret.' } };
  }
  return { ok: true };
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  404: 'Not Found',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Answers a refused upgrade with a small JSON body and closes the socket. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  error: AppError,
  extra: Record<string, unknown> = {},
  retryAfterSeconds?: number,
): void {
  const body = JSON.stringify({ ...error, ...extra });
  const headers = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...(status === 401 ? ['WWW-Authenticate: Bearer realm="porthole"'] : []),
    ...(status === 426 ? [`Upgrade: websocket`, `Sec-WebSocket-Protocol: ${SUPPORTED_PROTOCOLS.join(', ')}`] : []),
    ...(retryAfterSeconds !== undefined ? [`Retry-After: ${retryAfterSeconds}`] : []),
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
