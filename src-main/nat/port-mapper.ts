// The room host's port mapper: asks the router, every way it might listen (UPnP IGD, PCP,
// NAT-PMP; IPv6 pinholes by PCP and UPnP), to let friends in; keeps what it gets alive; keeps
// looking while nothing answers; and removes everything when the room closes.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { PortMappingStatus } from './port-mapping-status';
import type { ForkFn } from './mapper-process';
import { forkWithNode, upnpChildModulePath } from './mapper-process';
import { MapperClient } from './mapper-client';
import { closeOpening, openUpnpPinhole, openWithPcp, renewOpening, type OpenResult, type PortOpening } from './mapping-methods';
import { mappingVerdict, type MethodFailure } from './mapping-verdict';
import { currentNetwork, networkSignature, type NetworkFacts } from './network-facts';
import { discoverUpnp, mapWithUpnpIgd } from './upnp-igd';
import * as say from './status-messages';

export type { ForkFn, MapperProcess } from './mapper-process';
export type { PortMappingStatus } from './port-mapping-status';

export interface PortMapperOptions {
  internalPort: number;
  leaseSeconds?: number;
  /** How long the first search listens for UPnP routers; later searches listen longer. */
  discoveryTimeoutMs?: number;
  description?: string;
  fork?: ForkFn;
  /** start() answers no later than this, with what is known by then; the search goes on. */
  verdictDeadlineMs?: number;
  /** Pauses between searches while something is still missing; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** How often the machine's addresses are checked for a network change. */
  networkPollMs?: number;
  /** Where the routers and addresses are; the machine's own by default (tests may narrow it). */
  network?: () => Promise<NetworkFacts>;
  /**
   * Who owns the mappings across restarts (the host's certificate fingerprint): PCP mappings are
   * made with a nonce derived from it, so the next start takes over — and at stop removes — what
   * a killed run left behind, as it does for UPnP mappings tagged "Porthole".
   */
  owner?: string;
}

export interface PortMapper extends EventEmitter {
  /** Starts; resolves with the first verdict, within the verdict deadline. */
  start(): Promise<PortMappingStatus>;
  /** Removes every forward and pinhole; the status then says whether the router confirmed it. */
  stop(): Promise<void>;
  readonly status: PortMappingStatus;
  /** Process id of the current helper child, for diagnostics and tests. */
  readonly childPid: number | undefined;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const DEFAULT_RETRY_DELAYS_MS = [2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];
/** Later searches wait longer for a router that answers late. */
const LATER_DISCOVERY_MS = 5_000;
const METHOD_TIMEOUT_MS = 8_000;
/**
 * stop() answers within this, whatever the router does: the search in flight and every removal
 * share the one deadline. A removal the router has not confirmed by then is reported as left open.
 */
const STOP_DEADLINE_MS = 1_000;

interface Held {
  opening: PortOpening;
  /**
   * Later doors for the same address and port. A router often keeps one rule for both (miniupnpd
   * does), so removing one at once would remove the winner too: they lapse, or go at stop.
   */
  twins: PortOpening[];
  /** When the router last confirmed it; it lapses leaseSeconds later. */
  confirmedAt: number;
  renewTimer: NodeJS.Timeout | undefined;
}

class RouterPortMapper extends EventEmitter implements PortMapper {
  private current: PortMappingStatus;
  private client: MapperClient | undefined;
  private running = false;
  private first: Promise<PortMappingStatus> | undefined;
  /** Once the first verdict is out, each finding is reported as it comes; before, they would only flicker. */
  private verdictGiven = false;
  private round: Promise<void> | undefined;
  private roundAgain = false;
  /** The search in flight's signal: stop() aborts it, and the search then takes no further step. */
  private searchAbort: AbortController | undefined;
  private stopping: Promise<void> | undefined;
  /** While stopping: when the router's answers stop counting. */
  private stopDeadline = 0;
  /** Doors a search still out at stop() opened, not yet confirmed closed: they lapse by themselves. */
  private readonly lateDoors = new Set<PortOpening>();
  private searches = 0;
  private searchTimer: NodeJS.Timeout | undefined;
  private networkTimer: NodeJS.Timeout | undefined;
  private lastSignature = '';
  private restarts: number[] = [];
  private readonly held: { 4?: Held; 6?: Held } = {};
  private facts: NetworkFacts = { ipv4: {}, ipv6: {} };
  /** IPv4 failures of the last finished search; `roundFailures` fills as the current one goes. */
  private failures: MethodFailure[] = [];
  private roundFailures: MethodFailure[] = [];
  private readonly lease: number;

  constructor(private readonly options: PortMapperOptions) {
    super();
    this.lease = options.leaseSeconds ?? 3600;
    this.current = { code: 'stopped', message: say.stoppedMessage(false), internalPort: options.internalPort };
  }

  get status(): PortMappingStatus {
    return this.current;
  }

  get childPid(): number | undefined {
    return this.client?.pid;
  }

  start(): Promise<PortMappingStatus> {
    if (this.running && this.first) return this.first;
    this.running = true;
    this.restarts = [];
    this.searches = 0;
    this.verdictGiven = false;
    this.setStatus({
      code: 'starting',
      message: `Asking your router to let friends reach port ${this.options.internalPort}.`,
      internalPort: this.options.internalPort,
    });
    const round = this.search();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.options.verdictDeadlineMs ?? 2_800).unref());
    this.first = Promise.race([round, deadline]).then(() => {
      this.verdictGiven = true;
      if (this.running) this.publish();
      return this.current;
    });
    this.watchNetwork();
    return this.first;
  }

  stop(): Promise<void> {
    if (!this.running) return this.stopping ?? Promise.resolve();
    this.running = false;
    this.stopping = this.removeAll(Date.now() + STOP_DEADLINE_MS);
    return this.stopping;
  }

  /**
   * Removes every door in parallel, and lets a search still talking to the router finish (what it
   * opens is closed by adopt()), all by one deadline; then the child goes, which ends whatever
   * is still out. The status says what the router did not confirm, and when that lapses.
   */
  private async removeAll(deadline: number): Promise<void> {
    this.stopDeadline = deadline;
    clearTimeout(this.searchTimer);
    clearInterval(this.networkTimer);
    this.searchAbort?.abort();
    const held = [this.held[4], this.held[6]].filter((h): h is Held => h !== undefined);
    delete this.held[4];
    delete this.held[6];
    for (const h of held) clearTimeout(h.renewTimer);
    const removed = held.map(() => false);
    const removals = held.map(async (h, i) => {
      removed[i] = await this.closeByDeadline(h.opening);
      // A twin that was the same rule is gone already; one that was not goes now.
      for (const twin of h.twins) await this.closeByDeadline(twin);
    });
    let outOfTime: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([this.round, ...removals]),
      new Promise<void>((resolve) => {
        outOfTime = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(outOfTime);
    const client = this.client;
    this.client = undefined;
    client?.kill();
    const now = Date.now();
    const lapse = [
      ...held.filter((_, i) => !removed[i]).map((h) => h.confirmedAt + h.opening.leaseSeconds * 1000 - now),
      ...[...this.lateDoors].map((door) => door.leaseSeconds * 1000),
    ];
    this.lateDoors.clear();
    const port = { internalPort: this.options.internalPort };
    if (lapse.length === 0) this.setStatus({ code: 'stopped', message: say.stoppedMessage(held.length > 0), ...port });
    else this.setStatus({ code: 'stopped', message: say.leftOpenMessage(Math.max(1, Math.ceil(Math.max(...lapse) / 60_000))), ...port });
  }

  /** Closes a door at stop with the time left before the deadline; false when none is left. */
  private closeByDeadline(opening: PortOpening): Promise<boolean> {
    const left = this.stopDeadline - Date.now();
    return left > 0 ? this.close(opening, left) : Promise.resolve(false);
  }

  /** One search at a time; a request for another while one runs makes it run once more after. */
  private search(): Promise<void> {
    if (this.round) {
      this.roundAgain = true;
      return this.round;
    }
    const search = new AbortController();
    this.searchAbort = search;
    this.round = this.searchOnce(search.signal).finally(() => {
      this.round = undefined;
      this.searchAbort = undefined;
      if (!this.running) return;
      if (this.roundAgain) {
        this.roundAgain = false;
        void this.search();
      } else this.scheduleSearch();
    });
    return this.round;
  }

  /**
   * One search. Once `signal` aborts (stop) it takes no further step: a discovery or lookup still
   * out is not waited for, but a request that may open a door is, so that the door is closed again.
   */
  private async searchOnce(signal: AbortSignal): Promise<void> {
    const client = this.ensureClient();
    const facts = await untilAborted((this.options.network ?? currentNetwork)(), signal);
    if (!facts) return;
    this.facts = facts;
    const discoveryMs =
      this.searches++ === 0
        ? (this.options.discoveryTimeoutMs ?? 2_000)
        : Math.max(LATER_DISCOVERY_MS, this.options.discoveryTimeoutMs ?? 0);
    const failures: MethodFailure[] = [];
    this.roundFailures = failures;
    const tasks: Array<Promise<unknown>> = [];
    const { ipv4, ipv6 } = this.facts;
    const wantV4 = () => !signal.aborted && !this.held[4];
    const wantV6 = () => !signal.aborted && !this.held[6] && ipv6.address !== undefined;
    const upnp = untilAborted(discoverUpnp(client, discoveryMs), signal);
    if (wantV4()) {
      tasks.push(
        upnp.then(async (found) => {
          if (!found) return undefined; // stopped during discovery
          if (!found.ok) return this.failed(failures, found);
          const mapped = await mapWithUpnpIgd(client, {
            internalAddress: found.internalAddress,
            internalPort: this.options.internalPort,
            leaseSeconds: this.lease,
            description: this.options.description ?? 'room',
            stillWanted: wantV4,
          });
          if (mapped.ok) return this.adopt(mapped.opening);
          if (mapped.reason !== 'stopped' && !this.held[4]) this.failed(failures, mapped);
        }),
      );
      if (ipv4.gateway && ipv4.address) tasks.push(this.tryMethod(openWithPcp(client, this.pcpRequest(4, ipv4.address)), failures));
    }
    if (wantV6()) {
      const address = ipv6.address!;
      tasks.push(this.tryMethod(openWithPcp(client, this.pcpRequest(6, address)), []));
      tasks.push(
        upnp.then((found) => {
          if (!found?.ok || found.igdVersion !== 2 || !wantV6()) return undefined;
          return this.tryMethod(
            openUpnpPinhole(client, {
              internalAddress: address,
              internalPort: this.options.internalPort,
              leaseSeconds: this.lease,
              timeoutMs: METHOD_TIMEOUT_MS,
            }),
            [],
          );
        }),
      );
    }
    await Promise.all(tasks);
    if (!this.held[4]) this.failures = failures;
    this.publish();
  }

  private pcpRequest(family: 4 | 6, internalAddress: string) {
    const { internalPort, owner } = this.options;
    const nonce = owner
      ? createHash('sha256').update(`porthole pcp ${owner} ${family} ${internalAddress} ${internalPort}`).digest('hex').slice(0, 24)
      : undefined;
    return { family, internalAddress, internalPort, leaseSeconds: this.lease, timeoutMs: METHOD_TIMEOUT_MS, ...(nonce ? { nonce } : {}) };
  }

  private async tryMethod(attempt: Promise<OpenResult>, failures: MethodFailure[]): Promise<void> {
    const result = await attempt;
    if (result.ok) return this.adopt(result.opening);
    this.failed(failures, result);
  }

  private failed(failures: MethodFailure[], failure: MethodFailure): void {
    failures.push(failure);
    if (this.verdictGiven) this.publish();
  }

  /** The first door that opens for a family is kept; one that opens later is closed again. */
  private async adopt(opening: PortOpening): Promise<void> {
    const family = opening.family;
    const winner = this.held[family];
    if (this.running && winner && sameDoor(winner.opening, opening)) {
      winner.twins.push(opening);
      return;
    }
    if (!this.running) {
      // Opened by a search that was still out at stop(): closed by stop's deadline, or reported as left open.
      this.lateDoors.add(opening);
      if (await this.closeByDeadline(opening)) this.lateDoors.delete(opening);
      return;
    }
    if (winner) {
      await this.close(opening, METHOD_TIMEOUT_MS);
      return;
    }
    const held: Held = { opening, twins: [], confirmedAt: Date.now(), renewTimer: undefined };
    this.held[family] = held;
    if (family === 4) this.failures = this.roundFailures = [];
    this.scheduleRenewal(held);
    this.publish();
  }

  private close(opening: PortOpening, timeoutMs: number): Promise<boolean> {
    const client = this.client;
    if (!client) return Promise.resolve(false);
    return closeOpening(client, opening, timeoutMs);
  }

  private scheduleRenewal(held: Held): void {
    clearTimeout(held.renewTimer);
    if (held.opening.leaseSeconds === 0) return; // a permanent mapping, removed at stop or next start
    // Renew at half-life so one lost renewal still leaves time for another.
    held.renewTimer = setTimeout(() => void this.renew(held), (held.opening.leaseSeconds * 1000) / 2);
    held.renewTimer.unref();
  }

  private async renew(held: Held): Promise<void> {
    const client = this.client;
    if (!this.running || !client || this.held[held.opening.family] !== held) return;
    const renewed = await renewOpening(client, held.opening, METHOD_TIMEOUT_MS).then((r) => (r.ok ? r.opening : undefined));
    if (!this.running || this.held[held.opening.family] !== held) return;
    if (renewed) {
      held.opening = renewed;
      held.confirmedAt = Date.now();
      this.scheduleRenewal(held);
      this.publish();
      return;
    }
    this.drop(held.opening.family);
    void this.search();
  }

  private drop(family: 4 | 6): void {
    clearTimeout(this.held[family]?.renewTimer);
    delete this.held[family];
    this.publish();
  }

  /** Searches again, after a pause that grows, while a family still has no door. */
  private scheduleSearch(): void {
    clearTimeout(this.searchTimer);
    if (!this.running || !this.missingDoor()) return;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.searches - 1, delays.length - 1)] ?? 60_000;
    this.searchTimer = setTimeout(() => void this.search(), delay);
    this.searchTimer.unref();
  }

  /** A changed set of addresses means another network (or a router back): search at once. */
  private watchNetwork(): void {
    this.lastSignature = networkSignature();
    this.networkTimer = setInterval(() => {
      const signature = networkSignature();
      if (signature === this.lastSignature) return;
      this.lastSignature = signature;
      const present = new Set(signature.split(' '));
      for (const family of [4, 6] as const) {
        const held = this.held[family];
        if (held && !present.has(held.opening.internalAddress)) this.drop(family);
      }
      this.searches = 0;
      void this.search();
    }, this.options.networkPollMs ?? 3_000);
    this.networkTimer.unref();
  }

  private ensureClient(): MapperClient {
    if (this.client) return this.client;
    const fork = this.options.fork ?? forkWithNode;
    const client: MapperClient = new MapperClient(fork(upnpChildModulePath), () => this.onChildExit(client));
    this.client = client;
    return client;
  }

  /** A child that died while we run is replaced and the doors opened again (within a restart budget). */
  private onChildExit(client: MapperClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (!this.running) return;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS).concat(now);
    if (this.restarts.length > MAX_RESTARTS) {
      clearTimeout(this.searchTimer);
      this.setStatus({
        ...this.current,
        code: 'error',
        message: say.errorMessage(this.options.internalPort, 'the port-mapping helper keeps crashing', this.current.internalAddress),
      });
      return;
    }
    // The router still holds what the old child made; the new search finds and replaces it.
    for (const family of [4, 6] as const) clearTimeout(this.held[family]?.renewTimer);
    delete this.held[4];
    delete this.held[6];
    this.setStatus({
      code: 'starting',
      message: `The port-mapping helper stopped; asking the router again for port ${this.options.internalPort}.`,
      internalPort: this.options.internalPort,
    });
    setTimeout(() => {
      if (this.running) void this.search();
    }, 100 * this.restarts.length).unref();
  }

  /** A family still without a door: IPv4 always wants one, IPv6 when this machine has a global address. */
  private missingDoor(): boolean {
    return !this.held[4] || (this.facts.ipv6.address !== undefined && !this.held[6]);
  }

  private publish(): void {
    if (!this.running) return;
    const status = mappingVerdict({
      internalPort: this.options.internalPort,
      internalAddress: this.facts.ipv4.address,
      gateway: this.facts.ipv4.gateway,
      v4: this.held[4]?.opening,
      v6: this.held[6]?.opening,
      // What this search found so far counts, so a verdict given mid-search is not behind.
      failures: this.roundFailures.length > 0 ? this.roundFailures : this.failures,
      searching: this.missingDoor(),
    });
    if (JSON.stringify(status) !== JSON.stringify(this.current)) this.setStatus(status);
  }

  private setStatus(status: PortMappingStatus): void {
    this.current = status;
    this.emit('status', status);
  }
}

/** Two openings that forward the same outside port to the same inside address and port. */
function sameDoor(a: PortOpening, b: PortOpening): boolean {
  return a.externalPort === b.externalPort && a.internalAddress === b.internalAddress && a.internalPort === b.internalPort;
}

/** `work`'s value, or undefined as soon as `signal` aborts (the work itself goes on unwatched). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
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

/** Creates a port mapper for the room's TCP port; call start() to open it and stop() to close it. */
export function createPortMapper(options: PortMapperOptions): PortMapper {
  return new RouterPortMapper(options);
}
