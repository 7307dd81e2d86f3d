// A guest's way in through the invite's relay: a relayed session with the host (dialRelay, with
// the throwaway client certificate), then exactly the pinned TLS of a direct address over it.
//
// The relay's join race: when the relay refuses the HOST's session join, our join still succeeds
// but no byte ever comes back. So the TLS handshake over a relayed socket gets a short timeout of
// its own, and a handshake that times out is retried on a fresh session while time is left.
import type { TLSSocket } from 'node:tls';
import { dialRelay } from '../relay/relay-dialer';
import { DEFAULT_NETWORK_TIMEOUT_MS, type RelayUri } from '../relay/relay-uri';
import { PortholeError } from '../wire/errors';
import { formatAddress, type InviteRelay } from './invite';
import { PinnedConnectError, pinnedConnect } from './pinned-connect';

/** How long a TLS handshake through the relay may take before the session counts as lost to the join race. */
export const RELAYED_HANDSHAKE_MS = 3_000;
/** Fresh sessions asked for after a silent one. */
const MAX_SESSIONS = 3;

export interface RelayedTarget {
  relay: InviteRelay;
  /** The host certificate's SHA-256, base64url: the pin, and the host's id on the relay. */
  fingerprint: string;
  /** When the whole attempt must be done (ms since the epoch). */
  deadline: number;
  signal?: AbortSignal;
  /** RELAYED_HANDSHAKE_MS by default. */
  handshakeMs?: number;
}

/** The relay an invite names, as the relay client takes it. */
export function relayUriOf(relay: InviteRelay): RelayUri {
  return {
    host: relay.host,
    port: relay.port,
    id: Buffer.from(relay.id, 'base64url'),
    networkTimeoutMs: DEFAULT_NETWORK_TIMEOUT_MS,
    params: [],
  };
}

/**
 * A TLS socket to the host through the relay, pinned to `fingerprint`, nothing written on it yet.
 * Rejects with the relay's codes (relay-host-absent, relay-unreachable, relay-identity-mismatch,
 * relay-full, relay-refused), identity-mismatch (the host behind the relay is not the invite's),
 * or the signal's reason.
 */
export async function relayedConnect(target: RelayedTarget): Promise<TLSSocket> {
  const { relay, fingerprint, signal } = target;
  const uri = relayUriOf(relay);
  const hostId = Buffer.from(fingerprint, 'base64url');
  const handshakeMs = target.handshakeMs ?? RELAYED_HANDSHAKE_MS;
  const left = () => target.deadline - Date.now();
  for (let session = 1; ; session++) {
    if (signal?.aborted) throw signal.reason;
    if (left() <= 0) throw silent(relay);
    const socket = await dialRelay({ uri, hostId, timeoutMs: left(), ...(signal ? { signal } : {}) });
    try {
      return await pinnedConnect({
        socket,
        host: relay.host,
        port: relay.port,
        fingerprint,
        timeoutMs: Math.max(1, Math.min(handshakeMs, left())),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      socket.destroy();
      if (signal?.aborted) throw signal.reason;
      if (err instanceof PinnedConnectError && err.code === 'identity-mismatch') throw err;
      // A silent or broken session: the join race, or the host's relay connection just dropped.
      if (session >= MAX_SESSIONS || left() <= 0) throw silent(relay);
    }
  }
}

function silent(relay: InviteRelay): PortholeError {
  return new PortholeError(
    'relay-unreachable',
    `The relay at ${formatAddress(relay)} set up sessions with the host, but the host did not answer through them. The host may be reconnecting to the relay; try again in a moment.`,
  );
}
