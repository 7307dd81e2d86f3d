// Parent-side connection to one UPnP child: numbered requests, validated replies, deadlines.
import { mapperResponseSchema, parseMapperResult } from './mapper-messages';
import type { MapperOp, MapperOutcome, MapperRequest } from './mapper-messages';
import type { MapperProcess } from './mapper-process';
import { logger } from '../log/logger';

const log = logger('nat');

type Pending = { op: MapperOp; resolve: (outcome: MapperOutcome<MapperOp>) => void; timer: NodeJS.Timeout };
type RequestBody<K extends MapperOp> = Omit<Extract<MapperRequest, { op: K }>, 'id'>;

/** One live child process; every request resolves (never rejects), even if the child dies. */
export class MapperClient {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private alive = true;
  /** Why we killed the child, if we did: its exit is then no surprise. */
  private killedBecause: 'stop' | 'timeout' | undefined;

  constructor(
    private readonly child: MapperProcess,
    onExit: (code: number | null) => void,
  ) {
    // Each helper after the first is a restart: the port mapper makes a new client when one exits.
    log.info('port-mapping helper started', { pid: child.pid });
    child.onMessage((message) => this.onMessage(message));
    child.onExit((code) => {
      this.alive = false;
      const fields = { pid: this.child.pid, exitCode: code, pending: this.pending.size, killedBecause: this.killedBecause };
      if (this.killedBecause) log.info('port-mapping helper stopped', fields);
      else log.warn('port-mapping helper exited on its own', fields);
      this.failAll('The port-mapping helper process stopped.');
      onExit(code);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one request; a reply that does not come in time kills the (hung) child. */
  request<K extends MapperOp>(body: RequestBody<K> & { op: K }, timeoutMs: number): Promise<MapperOutcome<K>> {
    if (!this.alive) {
      return Promise.resolve({ ok: false, error: { kind: 'internal', message: 'The port-mapping helper process stopped.' } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        log.warn('a port-mapping request timed out; stopping the helper', { op: body.op, timeoutMs, pid: this.child.pid });
        resolve({ ok: false, error: { kind: 'bad-gateway', message: 'The router did not answer in time.' } });
        this.killedBecause ??= 'timeout';
        this.child.kill();
      }, timeoutMs);
      this.pending.set(id, { op: body.op, resolve: resolve as Pending['resolve'], timer });
      this.child.send({ ...body, id });
    });
  }

  /** Kills the child; pending requests resolve as failed. */
  kill(): void {
    this.killedBecause ??= 'stop';
    this.child.kill();
  }

  private onMessage(message: unknown): void {
    const parsed = mapperResponseSchema.safeParse(message);
    const pending = parsed.success ? this.pending.get(parsed.data.id) : undefined;
    // A reply that fails validation, or answers nothing asked, is dropped: its request times out.
    if (!parsed.success || !pending) {
      log.warn('dropped a reply from the port-mapping helper', { reason: parsed.success ? 'unasked' : 'malformed', pid: this.child.pid });
      return;
    }
    this.pending.delete(parsed.data.id);
    clearTimeout(pending.timer);
    if (!parsed.data.ok) {
      pending.resolve({ ok: false, error: parsed.data.error });
      return;
    }
    const result = parseMapperResult(pending.op, parsed.data.result);
    if (result === undefined) log.warn('the port-mapping helper sent a malformed result', { op: pending.op, pid: this.child.pid });
    pending.resolve(
      result === undefined
        ? { ok: false, error: { kind: 'internal', message: 'The port-mapping helper sent a malformed reply.' } }
        : { ok: true, result },
    );
  }

  private failAll(message: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, error: { kind: 'internal', message } });
      this.pending.delete(id);
    }
  }
}
