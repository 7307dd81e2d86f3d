// The room host's port mapper: runs UPnP in a child process, keeps the mapping alive, reports status.
import { EventEmitter } from 'node:events';
import type { PortMappingStatus } from './port-mapping-status';
import type { ForkFn } from './mapper-process';
import { forkWithNode, upnpChildModulePath } from './mapper-process';
import { MapperClient } from './mapper-client';
import { MAPPING_TAG, REQUEST_TIMEOUT_MS, mapPort, removeStaleMappings } from './mapping-attempt';
import { classifyExternalAddress } from './external-address-class';
import * as say from './status-messages';

export type { ForkFn, MapperProcess } from './mapper-process';
export type { PortMappingStatus } from './port-mapping-status';

export interface PortMapperOptions {
  internalPort: number;
  leaseSeconds?: number;
  discoveryTimeoutMs?: number;
  description?: string;
  fork?: ForkFn;
}

export interface PortMapper extends EventEmitter {
  start(): Promise<PortMappingStatus>;
  stop(): Promise<void>;
  readonly status: PortMappingStatus;
  /** Process id of the current UPnP child, for diagnostics and tests. */
  readonly childPid: number | undefined;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

class UpnpPortMapper extends EventEmitter implements PortMapper {
  private current: PortMappingStatus;
  private client: MapperClient | undefined;
  private running = false;
  private establishing: Promise<PortMappingStatus> | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private restarts: number[] = [];
  private readonly lease: number;
  private readonly discoveryTimeoutMs: number;

  constructor(private readonly options: PortMapperOptions) {
    super();
    this.lease = options.leaseSeconds ?? 3600;
    this.discoveryTimeoutMs = options.discoveryTimeoutMs ?? 3000;
    this.current = { code: 'stopped', message: 'Port forwarding is off.', internalPort: options.internalPort };
  }

  get status(): PortMappingStatus {
    return this.current;
  }

  get childPid(): number | undefined {
    return this.client?.pid;
  }

  start(): Promise<PortMappingStatus> {
    if (this.running) return this.establishing ?? Promise.resolve(this.current);
    this.running = true;
    this.restarts = [];
    return this.establish();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.renewTimer);
    await this.establishing;
    const { externalPort } = this.current;
    const client = this.client;
    if (client && externalPort !== undefined && this.current.leaseSeconds !== undefined) {
      await client.request({ op: 'unmap', externalPort }, REQUEST_TIMEOUT_MS);
    }
    this.client = undefined;
    client?.kill();
    this.setStatus({ code: 'stopped', message: 'Port forwarding is off.', internalPort: this.options.internalPort });
  }

  private establish(): Promise<PortMappingStatus> {
    const run = this.attempt().catch((err: unknown) =>
      this.base('error', say.errorMessage(this.options.internalPort, err instanceof Error ? err.message : String(err))));
    this.establishing = run.then((status) => {
      // A stop() that came in meanwhile owns the final status.
      if (this.running) this.setStatus(status);
      this.establishing = undefined;
      return this.current;
    });
    return this.establishing;
  }

  private base(code: PortMappingStatus['code'], message: string, extra: Partial<PortMappingStatus> = {}): PortMappingStatus {
    return { code, message, internalPort: this.options.internalPort, ...extra };
  }

  private async attempt(): Promise<PortMappingStatus> {
    const port = this.options.internalPort;
    this.setStatus(this.base('starting', `Looking for a UPnP router to forward port ${port}.`));
    const client = this.ensureClient();
    const found = await client.request({ op: 'discover', timeoutMs: this.discoveryTimeoutMs }, this.discoveryTimeoutMs + 15_000);
    if (!found.ok) {
      return found.error.kind === 'no-gateway'
        ? this.base('no-router', say.noRouterMessage(port))
        : this.base('error', say.errorMessage(port, found.error.message));
    }
    const internalAddress = found.result.localAddress;
    await removeStaleMappings(client, internalAddress);
    const ip = await client.request({ op: 'external-ip' }, REQUEST_TIMEOUT_MS);
    const externalAddress = ip.ok ? ip.result.address : '';
    const kind = classifyExternalAddress(externalAddress);
    if (!this.running) return this.current;
    const outcome = await mapPort(client, {
      internalPort: port, internalClient: internalAddress, leaseSeconds: this.lease,
      description: this.options.description ?? 'room',
    });
    if (outcome.kind === 'mapped' && !this.running) {
      // stop() came while the router was mapping: stop() saw no mapping, so undo this one here.
      await client.request({ op: 'unmap', externalPort: outcome.externalPort }, REQUEST_TIMEOUT_MS);
      return this.current;
    }
    const where = { internalAddress, ...(externalAddress ? { externalAddress } : {}) };
    if (outcome.kind !== 'mapped') {
      if (kind === 'cgnat') return this.base('cgnat', say.cgnatMessage(externalAddress), where);
      return outcome.kind === 'refused'
        ? this.base('refused', say.refusedMessage(port, internalAddress, outcome.reason), where)
        : this.base('error', say.errorMessage(port, outcome.reason), where);
    }
    const mapped = { ...where, externalPort: outcome.externalPort, leaseSeconds: outcome.leaseSeconds };
    this.scheduleRenewal(outcome.leaseSeconds);
    switch (kind) {
      case 'public': return this.base('mapped', say.mappedMessage(externalAddress, outcome.externalPort), mapped);
      case 'private': return this.base('double-nat', say.doubleNatMessage(externalAddress, outcome.externalPort), mapped);
      case 'cgnat': return this.base('cgnat', say.cgnatMessage(externalAddress), mapped);
      default: return this.base('refused', say.refusedMessage(port, internalAddress, 'it reports no usable internet address'), mapped);
    }
  }

  private ensureClient(): MapperClient {
    if (this.client) return this.client;
    const fork = this.options.fork ?? forkWithNode;
    const client: MapperClient = new MapperClient(fork(upnpChildModulePath), () => this.onChildExit(client));
    this.client = client;
    return client;
  }

  /** A child that died while we run is replaced and the mapping restored (within a restart budget). */
  private onChildExit(client: MapperClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (!this.running) return;
    clearTimeout(this.renewTimer);
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS).concat(now);
    if (this.restarts.length > MAX_RESTARTS) {
      this.setStatus(this.base('error', say.errorMessage(this.options.internalPort, 'the port-mapping helper keeps crashing')));
      return;
    }
    const restart = () => { if (this.running) void this.establish(); };
    // If a start is in flight it will see the dead child; restore once it has settled.
    if (this.establishing) void this.establishing.then(restart);
    else setTimeout(restart, 100 * this.restarts.length).unref();
  }

  private scheduleRenewal(leaseSeconds: number): void {
    clearTimeout(this.renewTimer);
    if (leaseSeconds === 0) return;
    // Renew at half-life so one lost renewal still leaves time for another.
    this.renewTimer = setTimeout(() => void this.renew(), (leaseSeconds * 1000) / 2);
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    const { externalPort, internalAddress, leaseSeconds } = this.current;
    const client = this.client;
    if (!this.running || !client || externalPort === undefined || !internalAddress || leaseSeconds === undefined) return;
    const result = await client.request({
      op: 'map', externalPort, internalPort: this.options.internalPort, internalClient: internalAddress,
      leaseSeconds, description: `${MAPPING_TAG} ${this.options.description ?? 'room'}`.slice(0, 100),
    }, REQUEST_TIMEOUT_MS);
    if (!this.running) return;
    if (result.ok) this.scheduleRenewal(leaseSeconds);
    else void this.establish();
  }

  private setStatus(status: PortMappingStatus): void {
    this.current = status;
    this.emit('status', status);
  }
}

/** Creates a port mapper for the room's TCP port; call start() to map and stop() to unmap. */
export function createPortMapper(options: PortMapperOptions): PortMapper {
  return new UpnpPortMapper(options);
}
