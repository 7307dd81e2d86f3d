// The search loop both UPnP discoveries share (runs in the UPnP child process): SSDP answers
// become candidates, their descriptions are checked one at a time, and the search settles once,
// with the first candidate that checks out or, at the deadline, with the most telling reason.
import natUpnp from 'nat-upnp';
import type { Device } from 'nat-upnp';
import type { GatewayError } from './gateway-error';

declare module 'nat-upnp' {
  interface DeviceOptions {
    /** Source address of every HTTP request (added by patches/nat-upnp+1.1.1.patch). */
    localAddress?: string | undefined;
  }
}

// Whoever answers is untrusted: a few candidates, each description small and fetched in time.
const MAX_CANDIDATES = 8;
const MAX_DESCRIPTION_BYTES = 256 * 1024;

/** A description URL and the host that answered with it, the only host it may be fetched from. */
export interface SsdpCandidate {
  location: string;
  host: string;
}

/** How one discovery sends its query and judges what it finds. */
export interface SsdpSearchPlan<T> {
  timeoutMs: number;
  /** Service types wanted in a description, best first (nat-upnp's WAN connections if absent). */
  services?: string[];
  /** Source address of every description request. */
  localAddress?: string;
  /** Sends the search query once. */
  sendQuery(): void;
  /** Releases the socket; called once, when the search settles. */
  close(): void;
  /** Turns a candidate that offers a wanted service into the result, or throws why it cannot. */
  accept(candidate: SsdpCandidate, device: Device, serviceType: string): T | Promise<T>;
  /** Remembers why a candidate did not check out (the error's message). */
  onUnusable(reason: string): void;
  /** The error to settle with when the deadline passes, from the reasons remembered. */
  deadlineError(): GatewayError;
}

/** A running search, fed by the caller's reply listener. */
export interface SsdpSearch<T> {
  readonly result: Promise<T>;
  /** True once enough distinct candidates were offered; later replies are to be ignored. */
  readonly full: boolean;
  /** Queues a candidate for a description check, unless its location was seen or the search is full. */
  offer(candidate: SsdpCandidate): void;
  /** Sends the query unless the search has settled. */
  send(): void;
  /** Settles with `error` now (the socket failed), unless already settled. */
  fail(error: GatewayError): void;
}

/** Fetches the device's description and picks the first of `device.services` it offers. */
function describeService(device: Device, deadline: number): Promise<string> {
  return new Promise((resolve, reject) => {
    device.getService(device.services, (err, info) => {
      if (err || !info) reject(err ?? new Error('Service not found'));
      else if (Date.now() > deadline) reject(new Error('description came too late'));
      else resolve(info.service);
    });
  });
}

/** Starts the deadline and the resend timers; the caller sends the first query with `send`. */
export function startSsdpSearch<T>(plan: SsdpSearchPlan<T>): SsdpSearch<T> {
  const deadline = Date.now() + plan.timeoutMs;
  const seen = new Set<string>();
  const queue: SsdpCandidate[] = [];
  let checking = false;
  let settled = false;
  let resolve!: (value: T) => void;
  let reject!: (error: GatewayError) => void;
  const result = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    clearTimeout(timer);
    clearTimeout(resend);
    plan.close();
    return true;
  };
  const fail = (error: GatewayError) => {
    if (settle()) reject(error);
  };
  const send = () => {
    if (!settled) plan.sendQuery();
  };

  const checkNext = async () => {
    if (checking || settled) return;
    const candidate = queue.shift();
    if (!candidate) return;
    checking = true;
    const device = natUpnp.device.create(candidate.location, {
      allowedHost: candidate.host,
      timeoutMs: Math.max(100, Math.min(3000, deadline - Date.now())),
      maxBytes: MAX_DESCRIPTION_BYTES,
      localAddress: plan.localAddress,
    });
    if (plan.services) device.services = plan.services;
    try {
      const value = await plan.accept(candidate, device, await describeService(device, deadline));
      if (settle()) resolve(value);
    } catch (err) {
      plan.onUnusable(err instanceof Error ? err.message : String(err));
    }
    checking = false;
    void checkNext();
  };

  const timer = setTimeout(() => fail(plan.deadlineError()), plan.timeoutMs);
  // One resend covers a lost datagram without flooding the network.
  const resend = setTimeout(send, Math.min(1000, plan.timeoutMs / 3));

  return {
    result,
    get full() {
      return seen.size >= MAX_CANDIDATES;
    },
    offer(candidate) {
      if (seen.size >= MAX_CANDIDATES || seen.has(candidate.location)) return;
      seen.add(candidate.location);
      queue.push(candidate);
      void checkNext();
    },
    send,
    fail,
  };
}
