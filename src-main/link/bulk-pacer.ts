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
  /** Paths with a round trip this long or longer (ms) are not a LAN: file data starts there with a window (`start`). */
  pacedStartRttMs: number;
}

export const DEFAULT_PACER_POLICY: PacerPolicy = {
  targetDelayMs: 25,
  probeEveryMs: 250,
  probeTimeoutMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
  baseWindowMs: 120_000,
  idleProbeMs: 2000,
  pacedStartRttMs: 10,
};

/** Cuts in a row that leave the delay where it was before pacing stops (the delay is not ours)… */
const FRUITLESS_CUTS = 3;
/** …for this long. */
const FREE_AFTER_FRUITLESS_MS = 10_000;
/** Cruising gains, one per probe: probe for more once, drain what that queued once, then hold. */
const GAIN_CYCLE = [1.1, 0.9, 1, 1, 1, 1, 1, 1];
/** The path's rate is the best delivery seen over this long. */
const DELIVERY_WINDOW_MS = 3000;

/** Bounds of the frame size the pacer suggests to the features that make frames. */
const MIN_FRAME_BYTES = 4 * 1024;
const MAX_FRAME_BYTES = 256 * 1024;
/** A frame should take about this long on the path, so a chat line never waits behind much of one. */
const FRAME_TIME_S = 0.01;
/** Rates are never paced below this (bytes a second): a probe misread cannot stall a transfer. */
const MIN_RATE = 32 * 1024;
/**
 * The start's window: file data written and not yet known to have arrived, at first — under the
 * ten packets (14.5 KB) TCP sends at once after idle (RFC 6928, RFC 5681 §4.1), with room left
 * for a chat line: written beyond that, file data waits in the kernel a round trip, and so does
 * every chat line behind it. Each step then doubles it as TCP's slow start grows by what arrived.
 */
const START_WINDOW_BYTES = 12 * 1024;
/** …and at most twice what the last probe showed arriving, while no queue shows (TCP's slow start, one step behind it). */
const START_GROWTH = 2;
/** A probe out this much longer than the path's round trip holds file data until it answers (ms). */
const OVERDUE_MARGIN_MS = 75;
/** Below the path's rate, a probe that saw no queue at all raises the pace this much (else 15 %). */
const CLIMB_GAIN = 1.25;
/** Windows smaller than this never end a start by being late. */
const START_EXIT_MIN_BYTES = 64 * 1024;
/** A start ends once a window's probe is this many targets late (4 × 25 ms). */
const START_EXIT_DELAY = 4;
/** Deliveries that grew less than this much since the last probe have stopped growing (BBR's full-pipe test). */
const START_PLATEAU = 1.25;

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
 * On a LAN (a round trip under 10 ms) unpaced to start with: it never builds a queue, and loses
 * nothing. On a longer path a burst of file data starts with a 12 KiB window (bytes written past
 * the last answered probe), doubled from what each probe shows arrived while deliveries grow:
 * TCP restarts from ten packets after idle, and everything written beyond what it can send
 * waits in the kernel ahead of chat. Once deliveries stop growing, or a window takes the path
 * 100 ms to pass, frames leave at a rate: set from the path's rate measured, lowered while the delay stays above
 * the target and raised while it is below; while a probe is overdue (TCP stalled), nothing more.
 * Frames leave whole (a WebSocket message cannot be interleaved), so the pacer also suggests a
 * frame size that takes about 10 ms on the path.
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
  private phase: 'free' | 'start' | 'cruise' = 'free';
  /** In `start`: most bytes written past the last answered probe. */
  private startWindow = START_WINDOW_BYTES;
  /** In `start`: the best delivery rate at the last step, to see whether deliveries still grow. */
  private startDelivery = 0;
  /** In `start`: probes in a row whose delivery did not grow. */
  private startStalls = 0;
  /** The latest delivery sample, unsmoothed. */
  private lastSample = 0;
  /** In `start`: the queuing delay the last answer showed. */
  private startQueuing = 0;
  /** In `start`: the rate the last window passed the bottleneck at (bytes a second; 0 when too quick to tell). */
  private startMeasured = 0;
  /** Where in GAIN_CYCLE cruising is. */
  private cycle = 2;
  /** Cuts in a row that did not lower the delay, and the delay at the last cut. */
  private fruitless = 0;
  private lastCutQueuing = 0;
  /** After fruitless cuts, no pacing before this (performance.now() ms). */
  private freeUntil = 0;
  /** Probes sent before this (performance.now() ms) do not cut the rate again: they see the queue a cut is draining. */
  private nextCutAfter = Number.NEGATIVE_INFINITY;
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
    if (this.unanswered() === 0) this.busyAgain(now);
    this.written += frame.length;
    if (Number.isFinite(this.rate)) this.nextAt = Math.max(this.nextAt, now - 10) + (frame.length / this.rate) * 1000;
    sendBinaryFrame(this.ws, frame, this.masked, done);
    // Starting, a probe goes behind a full window, so its answer shows the whole window arrived.
    if (this.phase !== 'start' || this.startWindowFull()) this.maybeProbe(now);
  }

  /** Whether file data may go now: little is waiting in the connection's buffer, and the pace allows. */
  ready(): boolean {
    if (this.closed) return true; // sends fail fast from here on; nobody should wait
    if (this.ws.bufferedAmount > this.policy.maxBufferedBytes) return false;
    if (this.startWindowFull()) return false;
    if (this.overdue()) return false;
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
    if (this.phase === 'start' || this.startsPaced()) return pow2Within(this.startWindow / 4);
    if (!Number.isFinite(this.rate)) return MAX_FRAME_BYTES;
    return pow2Within(Math.max(this.rate, this.deliveryRate) * FRAME_TIME_S);
  }

  stats(): PacerStats {
    return { baseRttMs: this.base(), lastRttMs: this.lastRtt, rate: this.rate, written: this.written, samples: this.samples };
  }

  /**
   * File data moves again after everything written had arrived: on a path that is not a LAN, a
   * pacer not already cruising starts with a small window that opens as deliveries grow (`start`).
   */
  private busyAgain(now: number): void {
    this.firstWriteAt = now;
    if (!this.startsPaced(now)) return;
    this.phase = 'start';
    this.startWindow = START_WINDOW_BYTES;
    this.startDelivery = 0;
    this.startStalls = 0;
    this.startQueuing = 0;
    this.startMeasured = 0;
  }

  /** Bytes written past the last answered probe: not yet known to have arrived. */
  private unanswered(): number {
    return this.written - (this.lastAnswer?.written ?? 0);
  }

  /** In `start`, whether the next frame would not fit the window (one always goes when nothing is out). */
  private startWindowFull(): boolean {
    const unanswered = this.unanswered();
    return this.phase === 'start' && unanswered > 0 && unanswered + this.frameBytes() > this.startWindow;
  }

  /**
   * Whether the probe out has taken longer than the path plus the hold margin: the queue is long
   * already (TCP stalled — a retransmission, BBR draining to measure the round trip), so more file
   * data would only wait in the kernel ahead of chat. Held until it answers; never while unpaced.
   */
  private overdue(now = performance.now()): boolean {
    if (this.phase !== 'cruise' || this.probe === undefined || !this.far()) return false;
    return now - this.probe.at > this.base() + OVERDUE_MARGIN_MS;
  }

  /**
   * Whether the path is not a LAN: its least round trip so far is 10 ms or more. (An early sample
   * may make a busy LAN look far for a moment: the next answer, a few ms later, ends a start.) On
   * a LAN a late probe means a busy CPU, not a queue: holding data there only cost throughput.
   */
  private far(): boolean {
    const base = this.base();
    return Number.isFinite(base) && base >= this.policy.pacedStartRttMs;
  }

  /** Whether file data written now would begin a `start`: an idle, unpaced pacer on a path that is not a LAN. */
  private startsPaced(now = performance.now()): boolean {
    return this.unanswered() === 0 && this.phase === 'free' && now >= this.freeUntil && this.far();
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
    const now = performance.now();
    const room = this.ws.bufferedAmount <= this.policy.maxBufferedBytes;
    // A full start window opens when a probe answers (or, none out yet, when the next may leave).
    const windowFull = room && (this.phase === 'start' || this.overdue(now));
    const waitProbe = this.probe ? this.policy.probeTimeoutMs : this.lastProbeAt + this.policy.probeEveryMs - now;
    const delay = windowFull ? waitProbe : room && Number.isFinite(this.rate) ? this.nextAt - now : 0;
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
    // A round trip that short means a LAN after all: no start window there.
    if (this.phase === 'start' && !this.far()) this.enter('free');
    // Everything written before the ping has arrived: the delivery rate over the busy part since the last answer.
    const last = this.lastAnswer;
    if (last && probe.written > last.written) {
      const from = Math.max(last.at, this.firstWriteAt);
      // Over a very short stretch, timing noise says more than the path does.
      if (now - from >= 50) this.noteDelivery(now, ((probe.written - last.written) / (now - from)) * 1000);
    }
    const busy = last !== undefined && probe.written > last.written;
    this.lastAnswer = { at: now, written: probe.written };
    if (busy) this.steer(rtt - this.base(), probe.at, probe.written - (last?.written ?? 0));
    if (this.waiters.length === 0) return;
    if (this.ready()) return this.flush();
    // Still held (a start window not yet open, a pace): look again when that may change.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.arm();
  }

  /**
   * The controller, one step per answered probe that had file data in front of it:
   *
   * - `free`: unpaced, as TCP alone would send; the queuing delay over the target twice in a row
   *   (once can be TCP starting up again after a pause) starts cruising.
   * - `start` (paths that are not a LAN, from idle): a window of bytes past the last answer that
   *   doubles with what arrived, until deliveries stop growing (then cruising at their rate) or a
   *   window of 64 KiB or more comes back 100 ms late (then cruising from the rate that window
   *   passed the bottleneck at, which counts as a delivery).
   * - `cruise`: over the target, the rate becomes the path's rate (the best recent delivery) less
   *   enough to drain the excess in about a quarter second — once per drain (at most two round
   *   trips), as probes sent while it drains still show the queue. Clearly under it (below half), the rate
   *   climbs back to what the path delivered by 25 % a step with no queue at all (else 15 %), and
   *   past it by 5 % a step, so a faster
   *   path shows itself without a queue chat would wait behind. In between, it holds the path's
   *   rate, with a gain that cycles over eight probes: 1.1 once to learn whether the path got
   *   faster, 0.9 once to drain what that queued, then 1.
   */
  private steer(queuing: number, probedAt: number, arrived: number): void {
    const target = this.policy.targetDelayMs;
    const over = queuing > target;
    const wasOver = this.over;
    this.over = over;
    if (this.phase === 'start') {
      // The window opens while no queue shows, or while deliveries still grow (a little queue is
      // the window's own burst passing the bottleneck). Two answers without growth end the start
      // at the path's rate, as does a window that took the bottleneck too long to pass (below).
      const growing = this.lastSample >= this.startDelivery * START_PLATEAU;
      this.startDelivery = Math.max(this.startDelivery, this.lastSample);
      this.startStalls = growing ? 0 : this.startStalls + 1;
      // A window that takes the bottleneck longer than the chat budget to pass ends the start. A
      // window goes out, then waits a round trip for its probe: of the time between answers, all
      // but the path's round trip was the window passing the bottleneck, so the window over that
      // time is about the path's rate (a lower bound when TCP held some of it back). It counts as
      // a delivery, so cruising starts from it, not from the half-empty start's deliveries, less
      // enough to drain what the window queued. (The window over its probe's own delay misread a
      // window that streamed rather than burst: 17.5 of 12.5 MB/s at 100 ms.)
      const passing = this.lastSample > 0 ? arrived / this.lastSample - this.base() / 1000 : 0;
      const measured = passing > 0.005 ? Math.min(arrived / passing, 8 * this.deliveryRate) : 0;
      // While that rate still grows by half a step, the delay is the sender's own pacing (BBR's
      // start paces each window over a good part of a round trip), not the bottleneck: BBR at
      // 300 ms ended the start at a 16 KiB window and then used half the path.
      const widening = measured >= 1.5 * this.startMeasured;
      this.startMeasured = measured;
      // (Only after a step that showed a queue already: one late answer alone is noise — a 32 KiB
      // window once came back 120 ms late and cruising started at a tenth of the path's rate.)
      // Nor on the first few small windows, which TCP and BBR pace as they please.
      const late = queuing > START_EXIT_DELAY * target && this.startQueuing >= target && !widening && arrived >= START_EXIT_MIN_BYTES;
      this.startQueuing = queuing;
      if (late) {
        if (measured > this.deliveryRate) {
          this.deliveries.push({ at: performance.now(), rate: measured });
          this.deliveryRate = measured;
        }
        this.cruise(queuing);
        return;
      }
      // Growing deliveries open it whatever the delay: under BBR every window is paced over a good
      // part of the round trip from the first (holding it at a 100 ms delay kept a 300 ms path at
      // 0.4 of its rate; the cost is one more doubling at 100 ms, a 195 ms queue once).
      if (queuing < target / 2 || growing) this.startWindow = Math.max(this.startWindow, START_GROWTH * arrived);
      else if (this.startStalls < 2 || this.deliveryRate === 0) return;
      else if (over) this.cruise(queuing);
      else {
        this.enter('cruise');
        this.rate = Math.max(MIN_RATE, this.deliveryRate);
      }
      return;
    }
    if (this.deliveryRate === 0) return;
    if (this.phase === 'free') {
      if (over && wasOver && performance.now() >= this.freeUntil) this.cruise(queuing);
      return;
    }
    if (over) {
      if (probedAt < this.nextCutAfter) return;
      // Cuts that do not bring the delay down mean the delay is not ours: on a lossy path TCP holds
      // every probe behind a retransmission, whatever the rate. Then pacing only costs speed.
      // On a far path only a cut while already paced well under what the path delivers counts:
      // above that, the queue may simply still be ours. (On a LAN a busy CPU delays probes: any.)
      const draining = !this.far() || this.rate <= 0.85 * this.deliveryRate;
      this.fruitless = draining && queuing >= this.lastCutQueuing ? this.fruitless + 1 : 0;
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
      // From the pace itself when the path took all of it (the smoothed estimate lags a rise), else
      // from what it delivered (a pace above that is not the path's: compounding it builds a queue).
      // With no queue at all the path took the pace, whatever one stretch's sample says.
      // Back to what the path delivered quickly; past it, gently: a step shows a round trip later,
      // and what it queued meanwhile is what chat waits behind (steps growing to 15 % or 50 % when
      // several in a row found no queue made +60 ms and +250 ms more at 300 ms).
      const took = Number.isFinite(this.rate) && (queuing < target / 4 || this.lastSample >= 0.9 * this.rate);
      const from = took ? this.rate : this.deliveryRate;
      const next = from < this.deliveryRate ? Math.min(this.deliveryRate, from * (queuing < target / 4 ? CLIMB_GAIN : 1.15)) : from * 1.05;
      // At most twice what the path delivered (never below the pace itself: after a start, the
      // half-empty windows' deliveries lag the path's rate that the start measured).
      this.rate = Math.max(MIN_RATE, Math.min(Math.max(2 * this.deliveryRate, this.rate), next));
      return;
    }
    this.cycle = (this.cycle + 1) % GAIN_CYCLE.length;
    this.rate = Math.max(MIN_RATE, this.deliveryRate * GAIN_CYCLE[this.cycle]!);
  }

  /** Paces at the path's rate, less enough to drain the queue's excess over the target. */
  private cruise(queuing: number): void {
    this.enter('cruise');
    this.lastCutQueuing = queuing;
    const excess = Math.max(0, queuing - this.policy.targetDelayMs);
    const drain = Math.min(0.3, excess / 250);
    // From what the path delivered lately: the smoothed best lags a pace that just climbed.
    this.rate = Math.max(MIN_RATE, Math.min(this.rate, Math.max(this.deliveryRate, this.lastSample)) * (1 - drain));
    // Probes sent while the excess drains still show it: no second cut for them (cuts compounded,
    // halving the rate). At most two round trips, in case the path got slower meanwhile.
    this.nextCutAfter = performance.now() + (drain > 0 ? Math.min(excess / drain, 2 * this.base()) : 0);
    this.cycle = 2;
  }

  private enter(phase: 'free' | 'start' | 'cruise'): void {
    this.phase = phase;
    if (phase === 'free') this.rate = Number.POSITIVE_INFINITY;
  }

  /** The path's rate: the most it delivered in any busy stretch of the last few probes (as BBR's bottleneck estimate). */
  private noteDelivery(now: number, sample: number): void {
    this.lastSample = sample;
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

/** A power of two within the frame sizes, at most `bytes`. */
function pow2Within(bytes: number): number {
  return Math.min(MAX_FRAME_BYTES, Math.max(MIN_FRAME_BYTES, 2 ** Math.floor(Math.log2(Math.max(1, bytes)))));
}
