// Reaching a room through whichever of its invite's addresses answers first (RFC 8305, "Happy
// Eyeballs"): attempts start IPv6 first, alternate families, and are staggered; the first one
// that finishes TCP and the pinned TLS handshake wins, and every other one is destroyed before
// anything is written on it. The invite's relay, if any, is one more attempt that starts a little
// later (or as soon as every direct address has failed), so a direct path wins when one exists.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { PortholeError } from '../wire/errors';
import { formatAddress, type InviteAddress, type InviteRelay } from './invite';
import { IDENTITY_MISMATCH_MESSAGE, PinnedConnectError, describeNetworkError, pinnedConnect, unreachable } from './pinned-connect';
import { relayedConnect } from './relayed-connect';

/** RFC 8305 §5's recommended "Connection Attempt Delay". */
export const ATTEMPT_DELAY_MS = 250;
/** Addresses taken from one DNS name, and attempts in one race: a name cannot fan out without end. */
export const MAX_ADDRESSES_PER_NAME = 4;
export const MAX_ATTEMPTS = 16;
/** How long the direct addresses have to themselves before the relay is tried too (PROTOCOL.md §2). */
export const RELAY_DELAY_MS = 1_000;

export type LookupAll = (name: string) => Promise<Array<{ address: string; family: number }>>;

export interface RaceTarget {
  /** The invite's addresses, in the host's order of preference. */
  addresses: readonly InviteAddress[];
  /** Expected SHA-256 of the host certificate, base64url. */
  fingerprint: string;
  /** For the whole race, name lookups included. */
  timeoutMs: number;
  /** Cancels the race: every socket is destroyed and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How long an attempt runs alone before the next one starts; ATTEMPT_DELAY_MS by default. */
  attemptDelayMs?: number;
  /** Resolves a DNS name to all its addresses; dns.lookup({all: true}) by default. */
  lookup?: LookupAll;
  /** The invite's relay: tried `relayDelayMs` after the start, or once every direct address failed. */
  relay?: InviteRelay | undefined;
  /** RELAY_DELAY_MS by default. */
  relayDelayMs?: number;
}

export interface RaceWinner {
  /** Pinned to the invite's fingerprint; nothing has been written on it yet. */
  socket: TLSSocket;
  /** The invite address that answered (a DNS name stays a name). */
  address: InviteAddress;
  /** The IP address the socket is connected to (the relay's, for a relayed link). */
  connectedTo: string;
  /** True when the link goes through the invite's relay. */
  relayed?: boolean;
}

/** One address to try: an invite entry's IP address, or one its DNS name resolved to. */
export interface Candidate {
  /** Position of the invite entry it comes from. */
  entry: number;
  host: string;
  port: number;
  family: 4 | 6;
  /** The DNS name it was resolved from. */
  name?: string;
}

/**
 * The next candidate to start (RFC 8305 §4): IPv6 first, then alternating families, each family
 * in the host's order; when one family runs out, the other continues. `queue` is in invite order.
 */
export function pickNext<T extends { family: 4 | 6 }>(queue: readonly T[], lastFamily: 4 | 6 | undefined): T | undefined {
  const wanted = lastFamily === 6 ? 4 : 6;
  return queue.find((c) => c.family === wanted) ?? queue[0];
}

/** The order in which candidates known from the start are tried. */
export function attemptOrder<T extends { family: 4 | 6 }>(candidates: readonly T[]): T[] {
  const queue = [...candidates];
  const order: T[] = [];
  let last: 4 | 6 | undefined;
  for (let next = pickNext(queue, last); next; next = pickNext(queue, last)) {
    queue.splice(queue.indexOf(next), 1);
    order.push(next);
    last = next.family;
  }
  return order;
}

const defaultLookup: LookupAll = (name) => dnsLookup(name, { all: true, verbatim: true });

/**
 * Connects to whichever address answers first as the pinned host. Rejects with the most telling
 * PortholeError when none does: identity-mismatch if any address answered with another
 * certificate, else host-unreachable naming each address and why.
 */
export function connectToAnyAddress(target: RaceTarget): Promise<RaceWinner> {
  return new Promise((resolve, reject) => {
    const { addresses, fingerprint, signal } = target;
    if (signal?.aborted) return reject(signal.reason);
    if (addresses.length === 0) return reject(new PortholeError('invite-invalid', 'The invite has no address to connect to.'));
    const delayMs = target.attemptDelayMs ?? ATTEMPT_DELAY_MS;
    const lookup = target.lookup ?? defaultLookup;
    const deadline = Date.now() + target.timeoutMs;
    const queue: Candidate[] = [];
    const known = new Set<string>();
    const running = new Map<Candidate, AbortController>();
    /** The telling failure per invite entry. */
    const failures = new Map<number, PinnedConnectError>();
    let pendingLookups = 0;
    let lastFamily: 4 | 6 | undefined;
    let lastStart = 0;
    let nextTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const { relay } = target;
    /** The relay attempt: not yet started, running, or done (failed, with why). */
    let relayState: 'none' | 'waiting' | 'running' | 'failed' = relay ? 'waiting' : 'none';
    let relayFailure: PortholeError | undefined;
    const relayAttempt = new AbortController();
    const relayTimer = relay ? setTimeout(() => startRelay(), target.relayDelayMs ?? RELAY_DELAY_MS) : undefined;

    const settle = () => {
      settled = true;
      clearTimeout(nextTimer);
      clearTimeout(overall);
      clearTimeout(relayTimer);
      signal?.removeEventListener('abort', onAbort);
      const cancelled = new Error('another address answered first');
      for (const attempt of running.values()) attempt.abort(cancelled);
      running.clear();
      relayAttempt.abort(cancelled);
    };
    const onAbort = () => {
      settle();
      reject(signal!.reason);
    };
    const overall = setTimeout(() => {
      for (const candidate of running.keys()) note(candidate.entry, unreachable(candidate, 'it did not answer in time'));
      for (const candidate of queue) note(candidate.entry, unreachable(candidate, 'there was no time left to try it'));
      addresses.forEach((address, entry) => note(entry, unreachable(address, 'it did not answer in time')));
      if (relay && relayFailure === undefined) relayFailure = relayTimedOut(relay);
      settle();
      reject(verdict());
    }, target.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    const note = (entry: number, err: PinnedConnectError) => {
      const before = failures.get(entry);
      if (!before || (err.code === 'identity-mismatch' && before.code !== 'identity-mismatch')) failures.set(entry, err);
    };
    const verdict = (): PortholeError => {
      const all = [...failures.values()];
      if (all.some((f) => f.code === 'identity-mismatch') || relayFailure?.code === 'identity-mismatch') {
        return new PortholeError('identity-mismatch', IDENTITY_MISMATCH_MESSAGE);
      }
      const reasons = addresses.map((address, entry) => `${formatAddress(address)} (${failures.get(entry)?.why ?? 'not tried'})`);
      // The relay was the last way in: its code and sentence say what to do, the direct addresses follow.
      if (relayFailure) {
        return new PortholeError(
          relayFailure.code,
          `${relayFailure.message} The invite's direct ${addresses.length === 1 ? 'address' : 'addresses'} did not answer either: ${reasons.join('; ')}.`,
          relayFailure.retryAfterMs,
        );
      }
      if (addresses.length === 1) return all[0] ?? unreachable(addresses[0]!, 'it did not answer in time');
      return new PortholeError(
        'host-unreachable',
        `Could not reach the host at any of the invite's ${addresses.length} addresses: ${reasons.join('; ')}. Check that the room is still open and that you can reach one of those addresses.`,
      );
    };
    const add = (candidate: Candidate) => {
      const key = `${candidate.host} ${candidate.port}`;
      if (known.has(key) || known.size >= MAX_ATTEMPTS) return;
      known.add(key);
      queue.push(candidate);
      queue.sort((a, b) => a.entry - b.entry); // stable: a name's own results keep their order
    };
    const finishIfNothingLeft = () => {
      if (settled || running.size > 0 || queue.length > 0 || pendingLookups > 0) return;
      if (relayState === 'waiting') return startRelay(); // every direct address failed: no need to wait
      if (relayState === 'running') return;
      settle();
      reject(verdict());
    };
    const startRelay = () => {
      clearTimeout(relayTimer);
      if (settled || relayState !== 'waiting' || !relay) return;
      relayState = 'running';
      relayedConnect({ relay, fingerprint, deadline, signal: relayAttempt.signal }).then(
        (socket) => {
          if (settled) return void socket.destroy();
          settle();
          resolve({ socket, address: { host: relay.host, port: relay.port }, connectedTo: relay.host, relayed: true });
        },
        (err: unknown) => {
          relayState = 'failed';
          if (settled) return;
          relayFailure = err instanceof PortholeError ? err : relayTimedOut(relay);
          finishIfNothingLeft();
        },
      );
    };
    const scheduleNext = () => {
      if (settled || nextTimer || queue.length === 0) return;
      const wait = running.size === 0 ? 0 : Math.max(0, lastStart + delayMs - Date.now());
      nextTimer = setTimeout(startNext, wait);
    };
    const startNext = () => {
      clearTimeout(nextTimer);
      nextTimer = undefined;
      if (settled) return;
      const candidate = pickNext(queue, lastFamily);
      if (!candidate) return finishIfNothingLeft();
      queue.splice(queue.indexOf(candidate), 1);
      lastFamily = candidate.family;
      lastStart = Date.now();
      const controller = new AbortController();
      running.set(candidate, controller);
      pinnedConnect({
        host: candidate.host,
        port: candidate.port,
        fingerprint,
        timeoutMs: Math.max(1, deadline - Date.now()),
        ...(candidate.name ? { name: candidate.name } : {}),
        signal: controller.signal,
      }).then(
        (socket) => {
          running.delete(candidate);
          if (settled) return void socket.destroy(); // lost by a hair: closed before any byte
          settle();
          resolve({ socket, address: addresses[candidate.entry]!, connectedTo: candidate.host });
        },
        (err: unknown) => {
          running.delete(candidate);
          if (settled) return;
          note(candidate.entry, err instanceof PinnedConnectError ? err : unreachable(candidate, describeNetworkError(err)));
          startNext(); // a failure starts the next attempt at once (RFC 8305 §5)
        },
      );
      scheduleNext();
    };

    addresses.forEach((address, entry) => {
      const family = isIP(address.host);
      if (family === 4 || family === 6) return add({ entry, host: address.host, port: address.port, family });
      pendingLookups += 1;
      lookup(address.host).then(
        (results) => {
          pendingLookups -= 1;
          if (settled) return;
          const usable = results.filter((r) => r.family === 4 || r.family === 6).slice(0, MAX_ADDRESSES_PER_NAME);
          for (const r of usable) add({ entry, host: r.address, port: address.port, family: r.family as 4 | 6, name: address.host });
          if (usable.length === 0) note(entry, unreachable(address, 'the address could not be found'));
          scheduleNext();
          finishIfNothingLeft();
        },
        (err: unknown) => {
          pendingLookups -= 1;
          if (settled) return;
          note(entry, unreachable(address, describeNetworkError(err)));
          finishIfNothingLeft();
        },
      );
    });
    startNext();
  });
}

function relayTimedOut(relay: InviteRelay): PortholeError {
  return new PortholeError(
    'relay-unreachable',
    `Could not reach the host through the relay at ${formatAddress(relay)} in time. Check that the relay is running and that the room is still open.`,
  );
}
