import { connect, type TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { PortholeError, type ErrorCode } from '../wire/errors';
import { fingerprintOf } from './host-identity';

export interface PinnedTarget {
  /** The address to connect to: IPv4, IPv6 (without brackets) or a DNS name. */
  host: string;
  port: number;
  /** Expected SHA-256 of the host certificate, base64url. */
  fingerprint: string;
  timeoutMs: number;
  /** The DNS name `host` was resolved from, if any: sent as TLS SNI and named in errors. */
  name?: string;
  /** Stops the attempt: the socket is destroyed and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * A connected byte stream to the host to run TLS over (a relayed session), instead of a new TCP
   * connection to `host`:`port`, which then only name it in errors.
   */
  socket?: Socket;
}

/** Why one pinned connection failed; `why` is the short reason that fits "at ADDRESS (…)". */
export class PinnedConnectError extends PortholeError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly why: string,
  ) {
    super(code, message);
  }
}

export const IDENTITY_MISMATCH_MESSAGE = "The host's identity did not match the invite, so nothing was sent to it. Ask for a new invite.";

/**
 * Opens a TLS connection and checks the host certificate against the invite's fingerprint
 * before handing the socket on. A mismatched host is disconnected before a single byte of
 * HTTP — and so before the room secret — is written. Rejects with a PinnedConnectError.
 */
export function pinnedConnect(target: PinnedTarget): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const { signal } = target;
    if (signal?.aborted) return reject(signal.reason);
    const name = target.name ?? (isIP(target.host) === 0 ? target.host : undefined);
    const socket = connect({
      ...(target.socket ? { socket: target.socket } : { host: target.host, port: target.port }),
      // Self-signed by design: trust comes from the pinned fingerprint checked below, not a CA.
      rejectUnauthorized: false,
      // Through a relay the name would only tell the host which relay: no SNI.
      servername: target.socket ? undefined : name,
      ALPNProtocols: ['http/1.1'],
      minVersion: 'TLSv1.2',
    });
    // Small control messages (acks, credit, chat) must not wait for Nagle's algorithm.
    if (target.socket) target.socket.setNoDelay(true);
    else socket.setNoDelay(true);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
    };
    const fail = (err: unknown) => {
      done();
      socket.on('error', () => {}); // a late error from a socket we gave up on is of no interest
      socket.destroy();
      reject(err);
    };
    const onAbort = () => fail(signal!.reason);
    const onError = (err: NodeJS.ErrnoException) => fail(unreachable(target, describe(err)));
    const timer = setTimeout(() => fail(unreachable(target, 'it did not answer in time')), target.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const actual = cert?.raw ? Buffer.from(fingerprintOf(cert.raw)) : Buffer.alloc(0);
      const expected = Buffer.from(target.fingerprint);
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        fail(new PinnedConnectError('identity-mismatch', IDENTITY_MISMATCH_MESSAGE, 'another certificate answered there'));
        return;
      }
      done();
      resolve(socket);
    });
  });
}

function describe(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'nothing is listening there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the address could not be found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'there is no route to it';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'it closed the connection';
    default:
      return err.code ?? err.message;
  }
}

/** A lookup or connect error as the short reason used in host-unreachable sentences. */
export function describeNetworkError(err: unknown): string {
  return err instanceof Error ? describe(err as NodeJS.ErrnoException) : String(err);
}

/** `host:port`, or `[host]:port` for IPv6; the DNS name when the address came from one. */
function whereText(target: { host: string; port: number; name?: string }): string {
  const host = target.name ?? target.host;
  return isIP(host) === 6 ? `[${host}]:${target.port}` : `${host}:${target.port}`;
}

/** The host-unreachable error for one address, with the short reason kept as `why`. */
export function unreachable(target: { host: string; port: number; name?: string }, why: string): PinnedConnectError {
  return new PinnedConnectError(
    'host-unreachable',
    `Could not reach the host at ${whereText(target)} (${why}). Check that the room is still open and that you can reach that address.`,
    why,
  );
}
