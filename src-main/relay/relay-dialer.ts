// The guest's side of a relay: ask the relay for a session with the host (ConnectRequest with
// the host's id, the SHA-256 of its certificate) and join it. The socket that comes back is a
// raw byte stream to the host's room server; the guest then does the same pinned TLS as on a
// direct address (`tls.connect({ socket, … })`), so the relay sees only ciphertext.
//
// The relay's join race: the relay may refuse a session join with "already connected" (about
// 1-8 % of sessions with strelaysrv 1.19 when the host joins at once; the listener waits ~50 ms,
// which made it vanish). A refused join of ours is retried here with a fresh session. When the
// host's join is the one refused, our join succeeds but no byte ever comes: that is not visible
// at this layer, so the caller's TLS handshake timeout (a few seconds) and a new dialRelay cover it.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { cancelledBy, PortholeError } from '../wire/errors';
import { openRelayControl, type RelayIdentity, readRelayMessages, relayUnreachable } from './relay-control';
import { encodeRelayMessage, RESPONSE_CODES, type RelayMessage } from './relay-messages';
import { joinRelaySession, RelayRefusedError } from './relay-session';
import { relayAddressText, type RelayUri } from './relay-uri';
import { throwawayIdentity } from './throwaway-identity';

export interface DialRelayOptions {
  uri: RelayUri;
  /** The host's id on the relay: SHA-256 of its certificate (the invite's fingerprint), 32 bytes. */
  hostId: Buffer;
  /** The whole dial, every attempt included; past it the dial rejects with `relay-unreachable`. */
  timeoutMs: number;
  /** Aborting closes every socket of the dial and rejects with `cancelled` (or the signal's PortholeError reason). */
  signal?: AbortSignal;
  /** How many sessions to ask for when the relay refuses our join ("already connected"); default 3. */
  attempts?: number;
  /** The control connection's client certificate; by default one throwaway certificate per process. */
  identity?: RelayIdentity;
}

const DEFAULT_ATTEMPTS = 3;
const CANCELLED = 'Connecting through the relay was cancelled.';

type Invitation = Extract<RelayMessage, { type: 'session-invitation' }>;

/**
 * A raw TCP socket joined to a relay session with the host, paused, ready for
 * `tls.connect({ socket })`. Rejects with PortholeError: `relay-host-absent` (the host is not
 * joined to the relay), `relay-unreachable`, `relay-identity-mismatch`, `relay-full`,
 * `relay-refused`, `relay-invalid` (a host id that is not 32 bytes) or `cancelled`.
 */
export async function dialRelay(options: DialRelayOptions): Promise<Socket> {
  const { uri, hostId } = options;
  if (hostId.length !== 32) throw new PortholeError('relay-invalid', `A host's relay id is 32 bytes (a SHA-256), not ${hostId.length}.`);
  const outer = options.signal;
  if (outer?.aborted) throw cancelledBy(outer, CANCELLED);
  // One signal for every step: the caller's abort and the dial's deadline both fire it, with the reason to reject with.
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort(cancelledBy(outer, CANCELLED));
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const deadline = setTimeout(() => inner.abort(relayUnreachable(uri, 'it did not set up a session in time')), options.timeoutMs);
  const endsAt = Date.now() + options.timeoutMs;
  const remaining = () => Math.max(1, endsAt - Date.now());
  try {
    const identity = options.identity ?? (await abortable(throwawayIdentity(), inner.signal));
    const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
    for (let attempt = 1; ; attempt++) {
      const invitation = await askForSession(uri, hostId, identity, remaining(), inner.signal);
      try {
        return await joinRelaySession({ uri, invitation, timeoutMs: remaining(), signal: inner.signal });
      } catch (err) {
        const raced = err instanceof RelayRefusedError && err.responseCode === RESPONSE_CODES.alreadyConnected;
        if (!raced || attempt >= attempts) throw err;
      }
    }
  } finally {
    clearTimeout(deadline);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

/** One control connection: ConnectRequest(hostId) and the relay's answer; the connection is closed after. */
async function askForSession(
  uri: RelayUri,
  hostId: Buffer,
  identity: RelayIdentity,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Invitation> {
  const control = await openRelayControl({ uri, identity, timeoutMs, signal });
  try {
    return await new Promise<Invitation>((resolve, reject) => {
      if (signal.aborted) return reject(cancelledBy(signal, CANCELLED));
      const onAbort = () => reject(cancelledBy(signal, CANCELLED));
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        signal.removeEventListener('abort', onAbort);
        loop.stop();
      };
      control.on('error', () => {}); // the end of the loop below reports a broken connection
      const loop = readRelayMessages(
        control,
        (message) => {
          const answer = answerOf(message, uri, hostId, control);
          if (answer === undefined) return;
          finish();
          if (answer instanceof PortholeError) reject(answer);
          else resolve(answer);
        },
        (why) => {
          finish();
          reject(relayUnreachable(uri, why));
        },
      );
      control.write(encodeRelayMessage({ type: 'connect-request', id: hostId }));
    });
  } finally {
    control.destroy();
  }
}

/** What one message from the relay means for a ConnectRequest; undefined when it means nothing yet. */
function answerOf(message: RelayMessage, uri: RelayUri, hostId: Buffer, control: TLSSocket): Invitation | PortholeError | undefined {
  switch (message.type) {
    case 'session-invitation':
      if (!message.from.equals(hostId)) {
        return new PortholeError(
          'relay-refused',
          `The relay at ${relayAddressText(uri)} offered a session with another device than the host.`,
        );
      }
      return message;
    case 'response':
      if (message.code === RESPONSE_CODES.notFound) {
        return new PortholeError(
          'relay-host-absent',
          `The host is not connected to the relay at ${relayAddressText(uri)}. Check that the room is still open; if it is, the host may be reconnecting to the relay, so try again in a moment.`,
        );
      }
      return new RelayRefusedError(
        `The relay at ${relayAddressText(uri)} refused the connection (${message.code}: ${message.message}).`,
        message.code,
      );
    case 'relay-full':
      return new PortholeError(
        'relay-full',
        `The relay at ${relayAddressText(uri)} is full and took no new session. Try again later, or use another relay.`,
      );
    case 'ping':
      control.write(encodeRelayMessage({ type: 'pong' }));
      return undefined;
    default:
      return undefined;
  }
}

/** `promise`, or the signal's reason as soon as it fires. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelledBy(signal, CANCELLED));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelledBy(signal, CANCELLED));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
