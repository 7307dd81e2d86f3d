import { BulkPacer, type PacerStats } from './bulk-pacer';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { AppError } from '../wire/errors';
import { decodeTextFrame, type Refused } from '../wire/frame-decoder';
import type { MessageRegistry } from '../wire/message-registry';
import { CloseCode, type LeaveReason } from '../wire/protocol';
import { RateLimiter } from '../wire/rate-limiter';
import { releaseFrame } from '../wire/frame-buffers';
import { roomLog } from '../wire/room-log';

/** A validated message from a peer: the room and the features it registered know its shape. */
export interface PeerMessage {
  type: string;
}

export interface PeerPolicy {
  heartbeat: { intervalMs: number; timeoutMs: number };
  rate: { capacity: number; refillPerSecond: number };
  /**
   * Messages of features whose spec asks for the `bulk` bucket (file-transfer control: acks come
   * about once per megabyte moved, far above the chat rate) draw from this larger one.
   */
  transferRate: { capacity: number; refillPerSecond: number };
  /** Invalid frames tolerated before the connection is closed. */
  maxOffenses: number;
  /** Frames dropped for exceeding the rate before the connection is closed. */
  maxDropped: number;
  /**
   * Dropped frames are forgiven at this rate, so that a long-lived member is never closed for
   * bursts spread over hours; a flood still reaches maxDropped within seconds.
   */
  droppedForgivenPerSecond: number;
  helloTimeoutMs: number;
  /** Outgoing bytes allowed to pile up for a peer that does not read. */
  maxBufferedBytes: number;
  /** A close handshake the peer does not finish is cut after this long. */
  closeGraceMs: number;
  /** Pings and pongs the peer may send: a burst, then a steady rate. */
  controlRate: { capacity: number; refillPerSecond: number };
}

type PeerEvents = {
  message: [message: PeerMessage];
  /** A message of a known type broke its schema and was answered with an error naming `ref`. */
  rejected: [type: string, ref: string];
  /** A binary frame (file data) from a member that has joined. */
  chunk: [frame: Buffer];
  offense: [error: AppError];
  /** A frame skipped without blame: a type this host does not know, or of a feature the member did not announce. */
  ignored: [];
  /** The connection started to close (or broke): it holds no admission slot any more. */
  closing: [];
  /** Its hello was accepted. */
  joined: [];
  gone: [reason: LeaveReason];
};

/**
 * One guest's connection on the host: turns frames into validated messages, enforces the rate
 * limit and offense budget, and runs the ping/pong heartbeat. Room logic lives in RoomHost.
 */
export class PeerConnection extends EventEmitter<PeerEvents> {
  joined = false;
  /** The features this member and the host both speak; set by its hello. */
  private features: ReadonlySet<string> = new Set();
  private offenses = 0;
  /** Dropped frames not yet forgiven, as of droppedAt. */
  private dropped = 0;
  private droppedAt = 0;
  private leaveReason: LeaveReason | undefined;
  private readonly limiter: RateLimiter;
  private readonly transferLimiter: RateLimiter;
  private readonly pingTimer: NodeJS.Timeout;
  private pongTimer: NodeJS.Timeout | undefined;
  private helloTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private closingSignalled = false;
  private readonly controlLimiter: RateLimiter;
  private readonly pacer: BulkPacer;

  constructor(
    private readonly ws: WebSocket,
    private readonly policy: PeerPolicy,
    private readonly registry: MessageRegistry,
    /** The peer's IP address, for the log. */
    readonly address?: string | undefined,
  ) {
    super();
    this.limiter = new RateLimiter(policy.rate.capacity, policy.rate.refillPerSecond);
    this.transferLimiter = new RateLimiter(policy.transferRate.capacity, policy.transferRate.refillPerSecond);
    this.controlLimiter = new RateLimiter(policy.controlRate.capacity, policy.controlRate.refillPerSecond);
    this.pacer = new BulkPacer(ws, false);
    ws.on('message', (data, isBinary) => this.guarded(() => this.onFrame(data as Buffer, isBinary)));
    ws.on('pong', () => this.guarded(() => this.onControlFrame() && this.onPong()));
    ws.on('ping', () => this.guarded(() => this.onControlFrame()));
    ws.on('error', (err: Error & { code?: string }) => {
      // 'close' always follows and does the cleanup; a frame over maxPayload is worth counting.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.emit('offense', { code: 'frame-too-large', message: 'A frame was larger than the protocol allows.' });
      }
      if (err.code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') {
        this.emit('offense', { code: 'frame-too-large', message: 'A message came in more pieces than the protocol allows.' });
      }
    });
    ws.on('close', (code) => this.onClose(code));
    // Errors (a frame too large, too many fragments…) mean ws is already tearing the connection down.
    ws.on('error', () => this.signalClosing());
    this.pingTimer = setInterval(() => this.ping(), policy.heartbeat.intervalMs);
    this.helloTimer = setTimeout(() => this.close(CloseCode.helloTimeout, 'No hello arrived in time.'), policy.helloTimeoutMs);
  }

  /** Marks the hello as done, so the hello timer stops; `features` are those both sides speak. */
  markJoined(features: ReadonlySet<string>): void {
    this.joined = true;
    this.features = features;
    clearTimeout(this.helloTimer);
    this.emit('joined');
  }

  /** Whether this member and the host both speak the feature named `name` (`files/1`). */
  shares(name: string): boolean {
    return this.features.has(name);
  }

  /** Whether the member announced the feature a message type belongs to (the core always). */
  speaks(type: string): boolean {
    return this.registry.allowed(this.features, type);
  }

  /** Sends a message, unless it is of a feature the member did not announce (PROTOCOL.md §4). */
  send(message: PeerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN || !this.speaks(message.type)) return;
    if (this.ws.bufferedAmount > this.policy.maxBufferedBytes) {
      roomLog.warn('dropped a peer that stopped reading', { address: this.address, bufferedBytes: this.ws.bufferedAmount });
      this.leaveReason = 'disconnected';
      this.ws.terminate();
      return;
    }
    this.ws.send(JSON.stringify(message));
  }

  /** Sends a binary (file chunk) frame now; `done` runs once it left our buffers, or failed. */
  sendBinary(frame: Buffer, done: () => void): void {
    this.pacer.send(frame, done);
  }

  /** Whether file data may go now without adding to the queue on the path (bulk-pacer.ts). */
  bulkReady(): boolean {
    return this.pacer.ready();
  }

  /** Runs `wake` once bulkReady() holds. */
  whenBulkReady(wake: () => void): void {
    this.pacer.whenReady(wake);
  }

  /** The file frame size that suits this connection now (bulk-pacer.ts). */
  frameBytes(): number {
    return this.pacer.frameBytes();
  }

  /** What the pacer measured on this connection. */
  pacing(): PacerStats {
    return this.pacer.stats();
  }

  isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  sendError(error: AppError, ref?: string): void {
    this.send({ type: 'error', code: error.code, message: error.message, ...(ref ? { ref } : {}) } as PeerMessage);
  }

  /** Closes with a close frame; the reason is cut to the protocol's 123 bytes on a character boundary. */
  close(code: number, reason: string, leaveReason: LeaveReason = 'removed'): void {
    // Closing every peer at shutdown is routine; any other close is the host removing someone.
    if (code !== CloseCode.roomClosed && !this.closingSignalled) {
      roomLog.info('closing a peer’s connection', { closeCode: code, reason, address: this.address, joined: this.joined });
    }
    this.leaveReason ??= leaveReason;
    this.signalClosing();
    if (this.ws.readyState !== this.ws.OPEN) return this.ws.terminate();
    this.ws.close(code, closeReason(reason));
    // ws would wait 30 s for the peer's close frame; a peer that never answers must not hold memory that long.
    this.closeTimer ??= setTimeout(() => this.ws.terminate(), this.policy.closeGraceMs);
  }

  /** Drops the connection at once, without a close handshake. */
  terminate(): void {
    this.signalClosing();
    this.ws.terminate();
  }

  /** Resolves once the connection is fully closed. */
  closed(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    // Once closing, later frames must not close again: that would cut the close frame short.
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (isBinary) return this.onBinary(data);
    const decoded = decodeTextFrame<PeerMessage>(this.registry.toHost, data, isBinary);
    // Bulk messages (file offers included: dropping 40 files at once must not lose offers) have their
    // own bucket; what offers can cost the host is bounded by the per-sender transfer limit instead.
    const bulk = decoded.ok && this.registry.featureOf(decoded.message.type)?.bucket === 'bulk';
    if (!(bulk ? this.transferLimiter : this.limiter).take()) return this.drop();
    if (!decoded.ok) return this.onInvalid(decoded);
    // A member that did not announce a feature is not in that conversation: skipped, not punished.
    if (this.joined && !this.speaks(decoded.message.type)) return void this.emit('ignored');
    this.emit('message', decoded.message);
  }

  /** A frame over the rate: dropped; one error per burst, and a flood is closed. */
  private drop(): void {
    const now = performance.now();
    const forgiven = ((now - this.droppedAt) / 1000) * this.policy.droppedForgivenPerSecond;
    const fresh = this.dropped - forgiven <= 0;
    this.dropped = Math.max(0, this.dropped - forgiven) + 1;
    this.droppedAt = now;
    if (fresh) this.sendError({ code: 'rate-limited', message: 'You are sending too fast; some messages were dropped.' });
    if (this.dropped > this.policy.maxDropped) this.close(CloseCode.rateLimited, 'Too many messages too fast.');
  }

  private onInvalid(refused: Refused): void {
    if (refused.error.code === 'frame-too-large') return this.oversized(refused.error);
    if (!this.joined) return this.refuse(refused.error);
    // A type some other version speaks, or a broken message of a feature this member did not announce.
    if (refused.unknownType || (refused.type && !this.speaks(refused.type))) return void this.emit('ignored');
    // Its feature may settle what the message started (a refused offer), before the error frame.
    if (refused.type && refused.ref) this.emit('rejected', refused.type, refused.ref);
    this.offend(refused.error, refused.ref);
  }

  /** File data is paced by transfer credit, not the chat rate; the hub checks each chunk. */
  private onBinary(data: Buffer): void {
    if (!this.joined) return this.refuse({ code: 'binary-not-expected', message: 'A binary frame arrived before hello.' });
    // A pooled buffer goes back once handled: whoever keeps the frame holds it (wire/frame-buffers.ts).
    try {
      this.emit('chunk', data);
    } finally {
      releaseFrame(data);
    }
  }

  private oversized(error: AppError): void {
    this.emit('offense', error);
    this.close(CloseCode.frameTooLarge, 'Text frame too large.');
  }

  /** Counts a protocol violation, tells the peer, and disconnects a repeat offender. */
  offend(error: AppError, ref?: string): void {
    this.offenses += 1;
    this.emit('offense', error);
    this.sendError(error, ref);
    if (this.offenses >= this.policy.maxOffenses) {
      this.close(CloseCode.tooManyErrors, 'Too many invalid messages.');
    }
  }

  /** Turns away a connection whose first message was not a valid hello. */
  refuse(error: AppError): void {
    this.emit('offense', error);
    this.sendError(error);
    this.close(CloseCode.badHello, 'The hello was not valid.');
  }

  /**
   * Runs one handler for something the peer sent. Whatever goes wrong inside — a bug that a
   * hostile frame found — costs this connection only: it is counted and closed, never thrown
   * into ws, where it would end the process and the room for everyone.
   */
  private guarded(handle: () => unknown): void {
    try {
      handle();
    } catch (err) {
      // A bug a frame found: its kind and where, not the frame.
      roomLog.error('a message could not be handled', {
        address: this.address,
        error: err instanceof Error ? err.name : typeof err,
        at: err instanceof Error ? err.stack?.split('\n')[1]?.trim() : undefined,
      });
      this.emit('offense', { code: 'internal', message: 'A message could not be handled.' });
      this.close(CloseCode.internalError, 'A message could not be handled.');
    }
  }

  /** Counts a ping or pong from the peer; a flood of them closes the connection. */
  private onControlFrame(): boolean {
    if (this.controlLimiter.take()) return true;
    this.emit('offense', { code: 'rate-limited', message: 'Too many pings or pongs.' });
    this.close(CloseCode.rateLimited, 'Too many control frames.');
    return false;
  }

  private signalClosing(): void {
    if (this.closingSignalled) return;
    this.closingSignalled = true;
    clearTimeout(this.helloTimer);
    this.emit('closing');
  }

  private ping(): void {
    if (this.pongTimer || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.ping();
    this.pongTimer = setTimeout(() => {
      roomLog.info('dropped a peer that stopped answering pings', { address: this.address, joined: this.joined });
      this.leaveReason = 'timeout';
      this.ws.terminate();
    }, this.policy.heartbeat.timeoutMs);
  }

  private onPong(): void {
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private onClose(code: number): void {
    this.signalClosing();
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.closeTimer);
    this.emit('gone', this.leaveReason ?? (SAID_GOODBYE.has(code) ? 'left' : 'disconnected'));
  }
}

/** Close codes from a peer that closed on purpose (1005: a close frame without a code). */
const SAID_GOODBYE: ReadonlySet<number> = new Set([CloseCode.normal, 1001, 1005]);

/** At most 123 bytes of UTF-8 (what a close frame allows), never half a character. */
export function closeReason(text: string): string {
  let kept = '';
  let bytes = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > 123) break;
    kept += char;
  }
  return kept;
}
