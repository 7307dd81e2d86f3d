import { connect, type TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { PortholeError } from './errors';
import { fingerprintOf } from './host-identity';

export interface PinnedTarget {
  host: string;
  port: number;
  /** Expected SHA-256 of the host certificate, base64url. */
  fingerprint: string;
  timeoutMs: number;
}

/**
 * Opens a TLS connection and checks the host certificate against the invite's fingerprint
 * before handing the socket on. A mismatched host is disconnected before a single byte of
 * HTTP — and so before the room secret — is written.
 */
export function pinnedConnect(target: PinnedTarget): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      // Self-signed by design: trust comes from the pinned fingerprint checked below, not a CA.
      rejectUnauthorized: false,
      servername: isIP(target.host) === 0 ? target.host : undefined,
      ALPNProtocols: ['http/1.1'],
      minVersion: 'TLSv1.2',
    });
    // Small control messages (acks, credit, chat) must not wait for Nagle's algorithm.
    socket.setNoDelay(true);
    const fail = (err: PortholeError) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(unreachable(target, 'it did not answer in time')), target.timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => fail(unreachable(target, describe(err))));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const actual = cert?.raw ? Buffer.from(fingerprintOf(cert.raw)) : Buffer.alloc(0);
      const expected = Buffer.from(target.fingerprint);
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        fail(
          new PortholeError(
            'identity-mismatch',
            "The host's identity did not match the invite, so nothing was sent to it. Ask for a new invite.",
          ),
        );
        return;
      }
      clearTimeout(timer);
      socket.removeAllListeners('error');
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
      return 'there is no route to it';
    case 'ECONNRESET':
      return 'it closed the connection';
    default:
      return err.code ?? err.message;
  }
}

function unreachable(target: PinnedTarget, why: string): PortholeError {
  const where = isIP(target.host) === 6 ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  return new PortholeError(
    'host-unreachable',
    `Could not reach the host at ${where} (${why}). Check that the room is still open and that you can reach that address.`,
  );
}
