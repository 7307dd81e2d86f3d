import type { Socket } from 'node:net';
import { addressKey } from './address-key';
import { AddressSlots } from './address-slots';
import type { AppError } from '../wire/errors';
import { RateLimiter } from '../wire/rate-limiter';
import { roomLog } from '../wire/room-log';

/** What a host's port lets in before anyone has shown the room secret or said hello. */
export interface GatePolicy {
  /** Connections that have not yet passed the upgrade (TLS handshake, request, secret), in all. */
  maxUnauthenticated: number;
  maxUnauthenticatedPerAddress: number;
  /** Such a connection is dropped after this long, whatever stage it is in. */
  unauthenticatedTimeoutMs: number;
  /** Upgraded connections waiting for their hello, in all and per address. */
  maxAwaitingHello: number;
  maxAwaitingHelloPerAddress: number;
  /** Upgrades per address (joins and reconnects): a burst, then a steady rate. */
  upgradesPerAddress: { capacity: number; refillPerSecond: number };
}

export const DEFAULT_GATE_POLICY: GatePolicy = {
  maxUnauthenticated: 128,
  maxUnauthenticatedPerAddress: 8,
  unauthenticatedTimeoutMs: 10_000,
  maxAwaitingHello: 32,
  maxAwaitingHelloPerAddress: 4,
  upgradesPerAddress: { capacity: 20, refillPerSecond: 0.5 },
};

export interface GateRefusal {
  status: 429 | 503;
  error: AppError;
  retryAfterSeconds: number;
}

const MAX_TRACKED_ADDRESSES = 4096;

/** Sockets that came through a relay, with the key their caps are counted under. */
const relayedKeys = new WeakMap<object, string>();

/**
 * Marks a socket that came through a relay: every relayed socket has the relay's address, so it
 * is counted under the guest's relay id (the SHA-256 of the certificate its relay connection
 * presented) instead, and one guest's reconnect storm does not lock out the other relayed friends.
 */
export function markRelayed(socket: Socket, guestId: Buffer): void {
  relayedKeys.set(socket, `relay ${guestId.toString('base64url')}`);
}

/**
 * Admission before membership: caps and times out connections that have not shown the secret,
 * bounds the ones waiting for hello, and paces upgrades per address. Counting is per address
 * (an IPv6 /64 counts as one); see AddressSlots for how a full house stays fair.
 */
export class ConnectionGate {
  readonly stats = { refusedConnections: 0, timedOut: 0, throttledUpgrades: 0, busyUpgrades: 0 };
  private readonly unauthenticated: AddressSlots;
  private readonly awaitingHello: AddressSlots;
  /** Release functions of unauthenticated connections, by connection. */
  private readonly pendingAuth = new Map<string, { release: () => void; timer: NodeJS.Timeout }>();
  private readonly upgradeBuckets = new Map<string, RateLimiter>();
  /** The admission key of each connection still open, by connection (relayed ones are not keyed by address). */
  private readonly keys = new Map<string, string>();

  constructor(private readonly policy: GatePolicy) {
    this.unauthenticated = new AddressSlots(policy.maxUnauthenticatedPerAddress, policy.maxUnauthenticated);
    this.awaitingHello = new AddressSlots(policy.maxAwaitingHelloPerAddress, policy.maxAwaitingHello);
  }

  /** Connections evicted to make room for a newcomer from a less busy address. */
  get evicted(): number {
    return this.unauthenticated.evicted + this.awaitingHello.evicted;
  }

  /** A new TCP connection: counted and timed, or dropped at once when its address is over the cap. */
  connection(socket: Socket): void {
    const address = socket.remoteAddress;
    const key = connectionKey(socket);
    const admission = relayedKeys.get(socket) ?? addressKey(address);
    this.keys.set(key, admission);
    socket.once('close', () => this.keys.delete(key));
    const release = this.unauthenticated.take(admission, () => {
      roomLog.info('dropped an unauthenticated connection for one from a less busy address', { address });
      socket.destroy();
    });
    if (!release) {
      this.stats.refusedConnections += 1;
      roomLog.info('refused a connection: too many unauthenticated ones', { address });
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => {
      this.stats.timedOut += 1;
      roomLog.info('dropped a connection that did not show the room secret in time', { address });
      socket.destroy();
    }, this.policy.unauthenticatedTimeoutMs);
    timer.unref();
    this.pendingAuth.set(key, { release, timer });
    socket.once('close', () => this.authenticated(socket));
  }

  /** The connection showed the right secret (or closed): it no longer counts as unauthenticated. */
  authenticated(socket: Ends): void {
    const key = connectionKey(socket);
    const entry = this.pendingAuth.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.release();
    this.pendingAuth.delete(key);
  }

  /**
   * An authenticated upgrade asks to wait for its hello: a release function for the slot
   * (call it on hello or close), or why not now.
   */
  admitUpgrade(socket: Socket): { release: () => void } | { refusal: GateRefusal } {
    const address = this.keys.get(connectionKey(socket)) ?? addressKey(socket.remoteAddress);
    if (!this.bucket(address).take()) {
      this.stats.throttledUpgrades += 1;
      const retryAfterSeconds = Math.ceil(1 / this.policy.upgradesPerAddress.refillPerSecond);
      const message = `Too many connections from your address; try again in ${retryAfterSeconds} seconds.`;
      return { refusal: { status: 429, retryAfterSeconds, error: { code: 'rate-limited', message } } };
    }
    const release = this.awaitingHello.take(address, () => {
      roomLog.info('dropped a connection waiting for its hello for one from a less busy address', { address: socket.remoteAddress });
      socket.destroy();
    });
    if (!release) {
      this.stats.busyUpgrades += 1;
      const error: AppError = { code: 'room-busy', message: 'The room is busy letting others in; try again in a moment.' };
      return { refusal: { status: 503, retryAfterSeconds: 2, error } };
    }
    return { release };
  }

  /** Stops every clock (the room closes). */
  close(): void {
    for (const entry of this.pendingAuth.values()) clearTimeout(entry.timer);
  }

  private bucket(address: string): RateLimiter {
    let bucket = this.upgradeBuckets.get(address);
    if (!bucket) {
      if (this.upgradeBuckets.size >= MAX_TRACKED_ADDRESSES) this.upgradeBuckets.delete(this.upgradeBuckets.keys().next().value!);
      bucket = new RateLimiter(this.policy.upgradesPerAddress.capacity, this.policy.upgradesPerAddress.refillPerSecond);
      this.upgradeBuckets.set(address, bucket);
    }
    return bucket;
  }
}

type Ends = {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
  localAddress?: string | undefined;
  localPort?: number | undefined;
};

/**
 * One TCP connection's identity, the same for the raw socket and the TLS socket over it: both
 * ends, since every relayed connection has the same remote end (the relay's port) and differs
 * only in its local port.
 */
function connectionKey(socket: Ends): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? '?'}|${socket.localAddress ?? '?'}|${socket.localPort ?? '?'}`;
}
