// What the host's relay connection is doing, as the window and the CLI show it: a state, the
// relay's address, and one sentence a person can act on (the privacy note included once joined).
import type { AppError } from '../wire/errors';
import type { RelayListenerStatus } from './relay-listener';
import { relayAddressText, type RelayUri } from './relay-uri';

export interface RelayStatus {
  state: RelayListenerStatus['state'];
  /** The relay's `host:port` (`[v6]:port`). */
  relay: string;
  /** What it means, in a sentence or two. */
  message: string;
  /** Why the last connection failed or dropped (`retrying`). */
  error?: AppError;
  /** When the next join is tried (`retrying`). */
  retryInMs?: number;
}

/** Said wherever the relay is shown: what its operator can and cannot learn. */
export const RELAY_PRIVACY_NOTE =
  "The relay's operator sees who connects and how much is sent, but not what is said or sent: it is encrypted end to end.";

/** The listener's status as a person reads it. */
export function relayStatusOf(uri: Pick<RelayUri, 'host' | 'port'>, status: RelayListenerStatus): RelayStatus {
  const relay = relayAddressText(uri);
  const base = { state: status.state, relay };
  switch (status.state) {
    case 'joining':
      return { ...base, message: `Connecting to the relay at ${relay}…` };
    case 'joined':
      return {
        ...base,
        message: `Friends who cannot reach you directly come in through the relay at ${relay}. ${RELAY_PRIVACY_NOTE}`,
      };
    case 'retrying': {
      const seconds = Math.max(1, Math.round((status.retryInMs ?? 0) / 1000));
      const why = status.error?.message ?? `The connection to the relay at ${relay} was lost.`;
      return {
        ...base,
        message: `${why} Trying again in ${seconds} s; until then only friends who can reach you directly can join.`,
        ...(status.error ? { error: status.error } : {}),
        ...(status.retryInMs !== undefined ? { retryInMs: status.retryInMs } : {}),
      };
    }
    case 'closed':
      return { ...base, message: `Left the relay at ${relay}.` };
  }
}
