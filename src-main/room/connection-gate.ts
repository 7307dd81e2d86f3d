import type { Socket } from 'node:net';
import { addressKey } from './address-key';
import type { AppError } from './errors';
import { RateLimiter } from './rate-limiter';

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

interface Unauthenticated {
  socket: Socket;
  address: string;
  timer: NodeJS.Timeout;
}

const MAX_TRACKED_ADDRESSES = 4096;

/**
 * Admission before membership: caps and times out connections that have not shown the secret,
 * bounds the ones waiting for hello, and paces upgrades per address. Counting is per address
 * (an IPv6 /64 counts as one), and a full house evicts from the address holding the most, so
 * one source cannot keep an honest guest from another address out.
 */
export class ConnectionGate {
  readonly stats = { refusedConnections: 0, evictedConnections: 0, timedOut: 0, throttledUpgrades: 0 };
  private readonly unauthenticated = new Map<string, Unauthenticated>();
  private readonly perAddress = new Map<string, Unauthenticated[]>();
  private readonly awaitingHello = new Map<string, number>();
  private awaitingHelloTotal = 0;
  private readonly upgradeBuckets = new Map<string, RateLimiter>();

  constructor(private readonly policy: GatePolicy = DEFAULT_GATE_POLICY) {}

  /** A new TCP connection: counted, timed, or dropped at once when its address is over the cap. */
  connection(socket: Socket): void {
    const address = addressKey(socket.remoteAddress);
    const mine = this.perAddress.get(address) ?? [];
    if (mine.length >= this.policy.maxUnauthenticatedPerAddress || !this.makeRoom(mine.length)) {
      this.stats.refusedConnections += 1;
      socket.destroy();
      return;
    }
    const key = connectionKey(socket);
    const entry: Unauthenticated = {
      socket,
      address,
      timer: setTimeout(() => {
        this.stats.timedOut += 1;
        socket.destroy();
      }, this.policy.unauthenticatedTimeoutMs),
    };
    entry.timer.unref();
    this.unauthenticated.set(key, entry);
    this.perAddress.set(address, [...mine, entry]);
    socket.once('close', () => this.forget(key));
  }

  /** The connection showed the right secret: it no longer counts as unauthenticated. */
  authenticated(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): void {
    this.forget(connectionKey(socket));
  }

  /** Whether an authenticated upgrade may become a connection waiting for hello. */
  admitUpgrade(remoteAddress: string | undefined): GateRefusal | undefined {
    const address = addressKey(remoteAddress);
    if (!this.bucket(address).take()) {
      this.stats.throttledUpgrades += 1;
      const retryAfterSeconds = Math.ceil(1 / this.policy.upgradesPerAddress.refillPerSecond);
      return {
        status: 429,
        retryAfterSeconds,
        error: { code: 'rate-limited', message: `Too many connections from your address; try again in ${retryAfterSeconds} seconds.` },
      };
    }
    const waiting = this.awaitingHello.get(address) ?? 0;
    if (waiting >= this.policy.maxAwaitingHelloPerAddress || this.awaitingHelloTotal >= this.policy.maxAwaitingHello) {
      return { status: 503, retryAfterSeconds: 2, error: { code: 'room-busy', message: 'The room is busy letting others in; try again in a moment.' } };
    }
    return undefined;
  }

  /** Counts a connection waiting for hello; the returned function ends the wait (once). */
  awaitHello(remoteAddress: string | undefined): () => void {
    const address = addressKey(remoteAddress);
    this.awaitingHello.set(address, (this.awaitingHello.get(address) ?? 0) + 1);
    this.awaitingHelloTotal += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.awaitingHelloTotal -= 1;
      const left = (this.awaitingHello.get(address) ?? 1) - 1;
      if (left > 0) this.awaitingHello.set(address, left);
      else this.awaitingHello.delete(address);
    };
  }

  /** Stops every clock (the room closes). */
  close(): void {
    for (const entry of this.unauthenticated.values()) clearTimeout(entry.timer);
  }

  /** At the total cap, evicts the oldest connection of the address holding the most, if that is more than the newcomer's. */
  private makeRoom(newcomerCount: number): boolean {
    if (this.unauthenticated.size < this.policy.maxUnauthenticated) return true;
    let top: Unauthenticated[] = [];
    for (const list of this.perAddress.values()) if (list.length > top.length) top = list;
    if (top.length <= newcomerCount + 1) return false;
    const oldest = top[0]!;
    this.stats.evictedConnections += 1;
    this.forget(connectionKey(oldest.socket));
    oldest.socket.destroy();
    return true;
  }

  private forget(key: string): void {
    const entry = this.unauthenticated.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.unauthenticated.delete(key);
    const rest = (this.perAddress.get(entry.address) ?? []).filter((e) => e !== entry);
    if (rest.length > 0) this.perAddress.set(entry.address, rest);
    else this.perAddress.delete(entry.address);
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

/** One TCP connection's identity, the same for the raw socket and the TLS socket over it. */
function connectionKey(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? '?'}`;
}
