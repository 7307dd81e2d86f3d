import type { WebSocket } from 'ws';
import { sendBinaryFrame } from './binary-send';

/** How the pacer judges the path (docs/ARCHITECTURE.md, "Chat stays live while files move"). */
export interface PacerPolicy {
  /** Queuing delay the pacer aims for: file data may add this much to a chat line's trip, about. */
  targetDelayMs: number;
  /** Least time between two probes (WebSocket pings). Hosts count a peer's pings and pongs (10 a second). */
  probeEveryMs: number;
  /** A probe unanswered this long means no measurement: the pacer stops holding data back until one comes. */
  probeTimeoutMs: number;
  /** Most bytes of file data in the connection's own buffer (not yet taken by the operating system). */
  maxBufferedBytes: number;
  /** The base round trip is the least seen over this long. */
  baseWindowMs: number;
  /** A probe this often while no file data moves, so the base round trip is known before it does. */
  idleProbeMs: number;
}

export const DEFAULT_PACER_POLICY: PacerPolicy = {
  targetDelayMs: 25,
  probeEveryMs: 250,
  probeTimeoutMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
  baseWindowMs: 120_000,
  idleProbeMs: 2000,
};

/** Cuts in a row that leave the delay where it was before pacing stops (the delay is not ours)… */
const FRUITLESS_CUTS = 3;
/** …for this long. */
const FREE_AFTER_FRUITLESS_MS = 10_000;
/** Cruising gains, one per probe: probe for more once, drain what that queued once, then hold. */
const GAIN_CYCLE = [1.25, 0.8, 1, 1, 1, 1, 1, 1];
/** The path's rate is the best delivery seen over this long. */
const DELIVERY_WINDOW_MS = 3000;

/** Bounds of the frame size the pacer suggests to the features that make frames. */
const MIN_FRAME_BYTES = 16 * 1024;
const MAX_FRAME_BYTES = 256 * 1024;
/** A frame should take about this long on the path, so a chat line never waits behind much of one. */
const FRAME_TIME_S = 0.01;
/** Rates are never paced below this (bytes a second): a probe misread cannot stall a transfer. */
const MIN_RATE = 32 * 1024;

/** What the pacer has seen, for tests and the bench. */
export interface PacerStats {
  /** Least round trip seen (ms), the path's own delay. */
  baseRttMs: number;
  /** The latest round trip (ms). */
  lastRttMs: number;
  /** The paced rate (bytes a second), or Infinity while nothing asked to hold back. */
  rate: number;
  /** Bytes of file data handed to the connection. */
  written: number;
  /** Probes answered. */
  samples: number;
}

/**
 * Paces one connection's file data by the queuing delay it causes — a delay-based controller in
 * the spirit of LEDBAT (RFC 6817), measured with WebSocket pings, which every peer answers (RFC
 * 6455 §5.5.2) and which wait in the same queues a chat line does: the connection's buffer, the
 * kernel's unsent data, and the slowest router's queue on the path.
 *
 * Unpaced to start with (a LAN never builds a queue, and loses nothing); once a probe's round
 * trip exceeds the least seen by more than the target, frames leave at a rate: set from the
 * delivery rate the probes measured, lowered while the delay stays above the target and raised
 * while it is below. Frames leave whole (a WebSocket message cannot be interleaved), so the
 * pacer also suggests a frame size that takes about 10 ms on the path.
 *
 * The pacer admits, it does not queue: the features' outboxes ask ready() / whenReady() before
 * handing a frame over, and send() writes at once. So a frame and the message a feature sends
 * after it keep their order, as on any socket, while chat never waits behind more file data
 * than the pacer let in.
 */
export class BulkPacer {
  private rate = Number.POSITIVE_INFINITY;
  /** When the next frame may leave, at the paced rate (performance.now() ms). */
  private nextAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private written = 0;
  /** The probe in flight: its payload, when it left, and the bytes written before it. */
  private probe: { tag: Buffer; at: number; written: number } | undefined;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private lastAnswer: { at: number; written: number } | undefined;
  private deliveryRate = 0;
  private deliveries: Array<{ at: number; rate: number }> = [];
  /** When the first byte after the last answered probe was written: busy time starts there. */
  private firstWriteAt = 0;
  /** The last busy probe found the queuing delay over the target. */
  private over = false;
  private phase: 'free' | 'cruise' = 'free';
  /** Where in GAIN_CYCLE cruising is. */
  private cycle = 2;
  /** Cuts in a row that did not lower the delay, and the delay at the last cut. */
  private fruitless = 0;
  private lastCutQueuing = 0;
  /** After fruitless cuts, no pacing before this (performance.now() ms). */
  private freeUntil = 0;
  /** When the rate was last cut. */
  private cutAt = Number.NEGATIVE_INFINITY;
  private baseBuckets: Array<{ from: number; min: number }> = [];
  private lastRtt = Number.NaN;
  private samples = 0;
  private closed = false;
  private readonly idleTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    /** A client masks its frames (RFC 6455 §5.3). */
    private readonly masked: boolean,
    private readonly policy: PacerPolicy = DEFAULT_PACER_POLICY,
  ) {
    ws.on('pong', (data: Buffer) => this.answered(data));
    ws.on('close', () => this.close());
    this.idleTimer = setInterval(() => this.maybeProbe(performance.now()), policy.idleProbeMs);
    this.idleTimer.unref();
    if (ws.readyState === ws.OPEN) this.maybeProbe(performance.now());
    else ws.once('open', () => this.maybeProbe(performance.now()));
  }

  /** Sends a frame now (ask ready() first); `done` once the socket took it, or failed. */
  send(frame: Buffer, done: () => void): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return done();
    const now = performance.now();
    if (this.written === (this.lastAnswer?.written ?? 0)) this.firstWriteAt = now;
    this.written += frame.length;
    if (Number.isFinite(this.rate)) this.nextAt = Math.max(this.nextAt, now - 10) + (frame.length / this.rate) * 1000;
    sendBinaryFrame(this.ws, frame, this.masked, done);
    this.maybeProbe(now);
  }

  /** Whether file data may go now: little is waiting in the connection's buffer, and the pace allows. */
  ready(): boolean {
    if (this.closed) return true; // sends fail fast from here on; nobody should wait
    if (this.ws.bufferedAmount > this.policy.maxBufferedBytes) return false;
    return !Number.isFinite(this.rate) || this.nextAt <= performance.now();
  }

  /** Runs `wake` once ready() holds (soon; at once if it holds now). */
  whenReady(wake: () => void): void {
    if (this.ready()) return queueMicrotask(wake);
    this.waiters.push(wake);
    this.arm();
  }

  /** A frame size that takes about 10 ms on this path (16–256 KiB), for features that make frames. */
  frameBytes(): number {
    if (!Number.isFinite(this.rate)) return MAX_FRAME_BYTES;
    const bytes = Math.max(this.rate, this.deliveryRate) * FRAME_TIME_S;
    return Math.min(MAX_FRAME_BYTES, Math.max(MIN_FRAME_BYTES, 2 ** Math.floor(Math.log2(Math.max(1, bytes)))));
  }

  stats(): PacerStats {
    return { baseRttMs: this.base(), lastRttMs: this.lastRtt, rate: this.rate, written: this.written, samples: this.samples };
  }

  private close(): void {
    this.closed = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /**
   * Looks again when the pace allows, or shortly for a full buffer (ws has no drain event per byte).
   */
  private arm(): void {
    if (this.timer || this.closed) return;
    const paced = this.ws.bufferedAmount <= this.policy.maxBufferedBytes && Number.isFinite(this.rate);
    const delay = paced ? this.nextAt - performance.now() : 0;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.maybeProbe(performance.now());
        if (this.ready()) this.flush();
        else if (this.waiters.length > 0) this.arm();
      },
      Math.max(2, delay),
    );
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** A ping behind the data written so far, while file data moves and none is out (or the last was lost). */
  private maybeProbe(now: number): void {
    if (this.closed) return;
    if (now - this.lastProbeAt < this.policy.probeEveryMs) return;
    if (this.probe && now - this.probe.at < this.policy.probeTimeoutMs) return;
    if (this.probe) {
      // Unanswered: no signal, so no holding back (a peer that never answers must not stall).
      this.enter('free');
    }
    const tag = Buffer.from(`pace:${(this.samples + 1).toString(36)}:${Math.floor(now).toString(36)}`);
    this.probe = { tag, at: now, written: this.written };
    this.lastProbeAt = now;
    try {
      this.ws.ping(tag);
    } catch {
      this.probe = undefined;
    }
  }

  private answered(data: Buffer): void {
    const probe = this.probe;
    if (!probe || !data.equals(probe.tag)) return; // a heartbeat's pong, or a late one
    this.probe = undefined;
    const now = performance.now();
    const rtt = now - probe.at;
    this.samples += 1;
    this.lastRtt = rtt;
    this.noteBase(now, rtt);
    // Everything written before the ping has arrived: the delivery rate over the busy part since the last answer.
    const last = this.lastAnswer;
    if (last && probe.written > last.written) {
      const from = Math.max(last.at, this.firstWriteAt);
      // Over a very short stretch, timing noise says more than the path does.
      if (now - from >= 50) this.noteDelivery(now, ((probe.written - last.written) / (now - from)) * 1000);
    }
    const busy = last !== undefined && probe.written > last.written;
    this.lastAnswer = { at: now, written: probe.written };
    if (busy) this.steer(rtt - this.base(), probe.at);
    if (this.waiters.length > 0 && this.ready()) this.flush();
  }

  /**
   * The controller, one step per answered probe that had file data in front of it:
   *
   * - `free`: unpaced, as TCP alone would send; the queuing delay over the target twice in a row
   *   (once can be TCP starting up again after a pause) starts cruising.
   * - `cruise`: over the target, the rate becomes the path's rate (the best recent delivery) less
   *   enough to drain the excess in about a quarter second — once per round trip, as probes sent
   *   before a cut still show the queue it is draining. Clearly under it (below half), the rate
   *   climbs to 15 % above what the path delivered, so a faster path shows itself quickly. In
   *   between, it holds the path's rate, with a gain that cycles over eight probes: 1.25 once to
   *   learn whether the path got faster, 0.8 once to drain what that queued, then 1.
   */
  private steer(queuing: number, probedAt: number): void {
    const target = this.policy.targetDelayMs;
    const over = queuing > target;
    const wasOver = this.over;
    this.over = over;
    if (this.deliveryRate === 0) return;
    if (this.phase === 'free') {
      if (over && wasOver && performance.now() >= this.freeUntil) this.cruise(queuing);
      return;
    }
    if (over) {
      if (probedAt < this.cutAt) return;
      // Cuts that do not bring the delay down mean the delay is not ours: on a lossy path TCP holds
      // every probe behind a retransmission, whatever the rate. Then pacing only costs speed.
      this.fruitless = queuing >= this.lastCutQueuing ? this.fruitless + 1 : 0;
      if (this.fruitless >= FRUITLESS_CUTS) {
        this.fruitless = 0;
        this.enter('free');
        this.freeUntil = performance.now() + FREE_AFTER_FRUITLESS_MS;
        return;
      }
      this.cruise(queuing);
      return;
    }
    if (queuing < target / 2) {
      this.rate = Math.max(MIN_RATE, this.deliveryRate * 1.15);
      return;
    }
    this.cycle = (this.cycle + 1) % GAIN_CYCLE.length;
    this.rate = Math.max(MIN_RATE, this.deliveryRate * GAIN_CYCLE[this.cycle]!);
  }

  /** Paces at the path's rate, less enough to drain the queue's excess over the target. */
  private cruise(queuing: number): void {
    this.enter('cruise');
    this.lastCutQueuing = queuing;
    const drain = Math.min(0.3, Math.max(0, queuing - this.policy.targetDelayMs) / 250);
    this.rate = Math.max(MIN_RATE, Math.min(this.rate, this.deliveryRate) * (1 - drain));
    this.cutAt = performance.now();
    this.cycle = 2;
  }

  private enter(phase: 'free' | 'cruise'): void {
    this.phase = phase;
    if (phase === 'free') this.rate = Number.POSITIVE_INFINITY;
  }

  /** The path's rate: the most it delivered in any busy stretch of the last few probes (as BBR's bottleneck estimate). */
  private noteDelivery(now: number, sample: number): void {
    // Smoothed first (one late pong makes the next stretch look short and fast), then the best of those.
    const previous = this.deliveries[this.deliveries.length - 1];
    const rate = previous && now - previous.at < DELIVERY_WINDOW_MS ? 0.5 * previous.rate + 0.5 * sample : sample;
    this.deliveries.push({ at: now, rate });
    while (this.deliveries.length > 0 && now - this.deliveries[0]!.at > DELIVERY_WINDOW_MS) this.deliveries.shift();
    this.deliveryRate = Math.max(...this.deliveries.map((d) => d.rate));
  }

  private noteBase(now: number, rtt: number): void {
    const bucketMs = this.policy.baseWindowMs / 6;
    const last = this.baseBuckets[this.baseBuckets.length - 1];
    if (last && now - last.from < bucketMs) last.min = Math.min(last.min, rtt);
    else this.baseBuckets.push({ from: now, min: rtt });
    while (this.baseBuckets.length > 6) this.baseBuckets.shift();
  }

  private base(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const bucket of this.baseBuckets) min = Math.min(min, bucket.min);
    return min;
  }
}
