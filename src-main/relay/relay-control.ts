// The relay's protocol mode: a TLS connection (≥ 1.2) that presents exactly one client
// certificate (the relay names us by its SHA-256) and pins the relay by the id in its URI before
// a single message is written. Also the message loop of control connections.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { cancelledBy, PortholeError } from '../wire/errors';
import { describeNetworkError } from '../link/pinned-connect';
import { type RelayMessage, RelayMessageReader } from './relay-messages';
import { relayAddressText, type RelayUri } from './relay-uri';

/** A certificate and key in PEM: the host's own, or a throwaway one for a guest. */
export interface RelayIdentity {
  certPem: string;
  keyPem: string;
}

export interface ControlTarget {
  uri: RelayUri;
  identity: RelayIdentity;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Syncthing's protocol name for relay control connections, offered by ALPN. */
const RELAY_ALPN = 'bep-relay';

/**
 * Opens a pinned control connection. Rejects with `relay-unreachable` (no answer, refused,
 * timed out), `relay-identity-mismatch` (another certificate answered: nothing was sent), or
 * `cancelled` when the signal fires; the socket is destroyed in every case.
 */
export function openRelayControl(target: ControlTarget): Promise<TLSSocket> {
  const { uri, signal } = target;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledBy(signal, 'Connecting to the relay was cancelled.'));
    const socket = connect({
      host: uri.host,
      port: uri.port,
      cert: target.identity.certPem,
      key: target.identity.keyPem,
      // The relay's certificate is self-signed: trust comes from the id pinned below, not a CA.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ALPNProtocols: [RELAY_ALPN],
      ...(isIP(uri.host) === 0 ? { servername: uri.host } : {}),
    });
    socket.setNoDelay(true);
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
    };
    const fail = (err: PortholeError) => {
      settle();
      socket.on('error', () => {}); // a late error from a socket given up on tells nothing more
      socket.destroy();
      reject(err);
    };
    const onAbort = () => fail(cancelledBy(signal, 'Connecting to the relay was cancelled.'));
    const onError = (err: NodeJS.ErrnoException) => fail(relayUnreachable(uri, describeNetworkError(err)));
    const timer = setTimeout(() => fail(relayUnreachable(uri, 'it did not answer in time')), target.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate()?.raw;
      const actual = raw ? createHash('sha256').update(raw).digest() : Buffer.alloc(0);
      if (actual.length !== uri.id.length || !timingSafeEqual(actual, uri.id)) {
        fail(
          new PortholeError(
            'relay-identity-mismatch',
            `The relay at ${relayAddressText(uri)} is not the one its address names (its id did not match), so nothing was sent to it. Check the relay address, or ask whoever runs the relay for its current URI.`,
          ),
        );
        return;
      }
      settle();
      resolve(socket);
    });
  });
}

/** The relay-unreachable error for the relay `uri`, with a short reason. */
export function relayUnreachable(uri: { host: string; port: number }, why: string): PortholeError {
  return new PortholeError(
    'relay-unreachable',
    `Could not reach the relay at ${relayAddressText(uri)} (${why}). Check the relay address and that the relay is running.`,
  );
}

export interface MessageLoop {
  /** Stops reading messages without touching the socket. */
  stop(): void;
}

/**
 * Reads relay messages from `socket`, handing each to `onMessage` until stopped. Bytes that are
 * not the relay protocol go to `onBroken` once, with the reason; so does the socket ending.
 */
export function readRelayMessages(
  socket: Socket,
  onMessage: (message: RelayMessage) => void,
  onBroken: (why: string) => void,
): MessageLoop {
  const reader = new RelayMessageReader();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
  };
  const onEnd = () => {
    stop();
    onBroken('it closed the connection');
  };
  const onData = (chunk: Buffer) => {
    reader.push(chunk);
    while (!stopped) {
      const result = reader.next();
      if (result.kind === 'need-more') return;
      if (result.kind === 'error') {
        stop();
        onBroken(`it sent something that is not the relay protocol: ${result.error}`);
        return;
      }
      onMessage(result.message);
    }
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
  return { stop };
}
