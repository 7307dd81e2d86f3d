import { BulkPacer } from '../link/bulk-pacer';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../link/backoff';
import { PortholeError, cancelledBy, toAppError, type AppError } from '../wire/errors';
import { decodeTextFrame } from '../wire/frame-decoder';
import { isFinal, leaveLink, openHostLink, type HostLink } from '../link/host-link';
import { asWarningCode, closeError, removedError } from '../wire/host-close-reasons';
import { parseInvite, type Invite } from '../link/invite';
import { CloseCode, FINAL_CLOSE_CODES, VERSION_1_CHAT_RATE, nameSchema, type Member, type NumberedEvent } from '../wire/protocol';
import type { RoomEvents, SessionState } from './session-events';
import { sharedFeatures } from '../wire/features';
import { MessageRegistry } from '../wire/message-registry';
import { FeatureTable } from './feature-table';
import type { DetachReason, Feature, RoomLink, WireMessage } from './feature';

export interface JoinedRoomOptions {
  name: string;
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
}

/**
 * A guest's side of a room. Reconnects on its own after a lost connection and resumes from the
 * last sequence number it saw. What people do in the room are features (room/feature.ts), given
 * at construction: each gets the connection when it is up and its own messages.
 */
export class JoinedRoom<M extends RoomEvents<NumberedEvent> & Record<keyof M, unknown[]> = RoomEvents> extends EventEmitter<M> {
  /** Emits one of the room's own events, whatever events a composition adds to `M`. */
  private tell<K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]): void {
    (this as unknown as { emit(event: string, ...args: unknown[]): boolean }).emit(event, ...args);
  }

  me!: Member;
  state: SessionState = 'connecting';
  /** `ignoredMessages`: frames from the host skipped without a warning (types or features this guest does not speak). */
  readonly stats = { ignoredMessages: 0 };
  private ws: WebSocket | undefined;
  private roomId = '';
  private token = '';
  private lastSeq = 0;
  /** Events up to this number are history, even when they come after the welcome frame. */
  private historyUntil = 0;
  private memberList: Member[] = [];
  private watchdog: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private leaving: Promise<void> | undefined;
  /** Aborted by close(): gives up the connection attempt in flight, the first one or a reconnect. */
  private readonly stopAttempts = new AbortController();
  /** The connection attempt in flight, settled (never rejects); close() waits for it to give up. */
  private attempt: Promise<void> | undefined;
  private readonly backoff: BackoffPolicy;
  /** Features go in the hello until a host refuses them (a version-1 host); then it gets version-1 hellos. */
  private announce = true;
  /** What this connection may use: the features the welcome and this guest share. */
  private features: ReadonlySet<string>;
  /** The wire protocol of this guest: the core and the features it was built with. */
  readonly messages: MessageRegistry;
  /** Which member side handles each message type. */
  private readonly table: FeatureTable;
  private readonly invite: Invite;
  private readonly name: string;
  private readonly timeoutMs: number;
  /** The member ids this guest had before its current one (a restarted host gives a new one). */
  private readonly formerIds: string[] = [];
  /** The host's sentence from an `error` `removed`, for the close 4006 that follows it. */
  private removal: string | undefined;

  /** Validates the invite and name (throws a PortholeError); call connect() after subscribing to events. */
  protected constructor(
    invite: Invite | string,
    options: JoinedRoomOptions,
    private readonly featureList: readonly Feature[],
  ) {
    super();
    this.invite = typeof invite === 'string' ? parseInvite(invite) : invite;
    const name = nameSchema.safeParse(options.name);
    if (!name.success) throw new PortholeError('name-invalid', `${name.error.issues[0]?.message ?? 'Invalid name.'} Pick another name.`);
    this.name = name.data;
    this.timeoutMs = options.connectTimeoutMs ?? 10_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.messages = new MessageRegistry(featureList.map((f) => f.spec));
    this.table = new FeatureTable(featureList, this.messages);
    this.features = sharedFeatures(this.messages.names, undefined);
  }

  /** A guest's room with these features (session/room-client.ts makes one with this build's); call connect() next. */
  static with(invite: Invite | string, options: JoinedRoomOptions, features: readonly Feature[]): JoinedRoom {
    return new JoinedRoom(invite, options, features);
  }

  /**
   * The first connection; history arrives as replayed room events before this resolves. `signal`
   * (or close()) gives up at any stage: it rejects at once with a 'cancelled' PortholeError and
   * nothing stays open (a host that already admitted this guest hears it leave).
   */
  async connect(signal?: AbortSignal): Promise<void> {
    if (this.state !== 'connecting') throw new Error('connect() is called once');
    const cancel = signal ? AbortSignal.any([signal, this.stopAttempts.signal]) : this.stopAttempts.signal;
    const joining = this.firstConnection(cancel);
    this.attempt = joining.then(
      () => {},
      () => {},
    );
    return joining;
  }

  private async firstConnection(cancel: AbortSignal): Promise<void> {
    try {
      const link = await openHostLink({
        invite: this.invite,
        name: this.name,
        timeoutMs: this.timeoutMs,
        vocabulary: this.messages.toMember,
        features: this.messages.names,
        signal: cancel,
      });
      // Cancelled as the welcome came in: the link is not used.
      if (cancel.aborted) {
        leaveLink(link.ws);
        throw cancelledBy(cancel, 'Joining was cancelled.');
      }
      this.announce = link.announced;
      this.attach(link);
    } catch (err) {
      this.state = 'closed';
      throw err;
    }
  }

  members(): Member[] {
    return [...this.memberList];
  }

  /**
   * Leaves the room with a close frame; resolves once partial files of unfinished transfers are
   * gone. A connection attempt in flight (joining, reconnecting) is given up first.
   */
  close(): Promise<void> {
    // Set before anything else runs, so every path that checks `leaving` sees it.
    this.leaving ??= Promise.resolve().then(() => this.leave());
    return this.leaving;
  }

  private async leave(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.stopAttempts.abort(new PortholeError('cancelled', 'You left before the room answered.'));
    await this.attempt;
    const ws = this.ws;
    if (!ws || ws.readyState === ws.CLOSED) this.finish();
    else {
      await new Promise<void>((resolve) => {
        const cut = setTimeout(() => ws.terminate(), 2000);
        ws.once('close', () => {
          clearTimeout(cut);
          resolve();
        });
        ws.close(CloseCode.normal, 'Left the room.');
      });
    }
    await Promise.all(this.featureList.map((f) => f.member?.stopped?.()));
  }

  private attach(link: HostLink): void {
    const { ws, welcome } = link;
    this.ws = ws;
    if (welcome.room !== this.roomId) this.lastSeq = 0; // a new room: old numbers mean nothing
    this.roomId = welcome.room;
    this.token = welcome.resumeToken;
    const before = this.me as Member | undefined;
    this.me = welcome.you;
    if (before && before.id !== welcome.you.id) {
      this.formerIds.push(before.id);
      this.tell('identity', this.me, [...this.formerIds]);
    }
    if (welcome.historyGap && this.state === 'reconnecting') {
      this.tell('warning', { code: 'connection-lost', message: 'Some older messages were missed while you were disconnected.' });
    }
    this.historyUntil = welcome.lastSeq;
    for (const event of welcome.history) this.apply(event, true);
    this.memberList = welcome.members;
    // Nothing of a feature the host did not list is sent (PROTOCOL.md §4, Features).
    this.features = sharedFeatures(this.messages.names, welcome.features);
    // Every feature has its link before anyone hears of the connection: a line sent from a status
    // listener goes after the ones queued while disconnected.
    const roomLink = this.roomLink(ws, welcome.rate ?? VERSION_1_CHAT_RATE);
    for (const feature of this.featureList) feature.member?.attach(this.features.has(feature.spec.name) ? roomLink : undefined);
    this.setState('connected');
    this.tell('members', this.members());
    const heartbeatMs = welcome.heartbeat.intervalMs + welcome.heartbeat.timeoutMs;
    this.armWatchdog(heartbeatMs);
    link.deliver({
      ping: () => this.armWatchdog(heartbeatMs),
      frame: (data, isBinary) => {
        // Whatever a host sends, a throw must not reach ws (it would end the process): it is reported instead.
        try {
          this.onFrame(data, isBinary);
        } catch {
          this.tell('warning', { code: 'bad-host-message', message: 'The host sent something this app could not handle.' });
        }
      },
      close: (code, reason) => this.onClose(code, reason),
    });
  }

  /** How the member-side features reach the host over this one connection (a later one gets its own). */
  private roomLink(ws: WebSocket, rate: RoomLink['rate']): RoomLink {
    const room = this;
    const pacer = new BulkPacer(ws, true);
    return {
      get me() {
        return room.me;
      },
      members: () => this.members(),
      rate,
      send: (message: WireMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      sendBinary: (frame, done) => {
        if (ws.readyState !== ws.OPEN) return done();
        pacer.send(frame, done);
      },
      frameBytes: () => pacer.frameBytes(),
      bulkReady: () => pacer.ready(),
      whenBulkReady: (wake) => pacer.whenReady(wake),
      isOpen: () => ws.readyState === ws.OPEN,
    };
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const owner = this.table.binary(data);
      const member = owner && this.features.has(owner.spec.name) ? owner.member : undefined;
      if (!member?.binary?.(data))
        this.tell('warning', { code: 'bad-host-message', message: 'The host sent file data that fits no transfer.' });
      return;
    }
    const decoded = decodeTextFrame<WireMessage>(this.messages.toMember, data, isBinary);
    // A type a newer host speaks, or a feature this connection does not share: skipped, no warning.
    const unspoken = decoded.ok
      ? !this.messages.allowed(this.features, decoded.message.type)
      : decoded.unknownType || (decoded.type !== undefined && !this.messages.allowed(this.features, decoded.type));
    if (unspoken) {
      this.stats.ignoredMessages += 1;
      return;
    }
    if (!decoded.ok) {
      this.tell('warning', { code: 'bad-host-message', message: `The host sent something invalid: ${decoded.error.message}` });
      return;
    }
    const message = decoded.message;
    if (message.type === 'error') return this.onError(message as { type: 'error'; code: string; message: string; ref?: string });
    if (message.type === 'welcome') return; // a second welcome means nothing
    if (this.messages.isEvent(message.type)) {
      const event = message as NumberedEvent;
      return this.apply(event, event.seq <= this.historyUntil);
    }
    this.table.member(message.type)?.message(message);
  }

  /** An error frame; its `ref` names the message it answers, if any (PROTOCOL.md §6). */
  private onError(frame: { code: string; message: string; ref?: string | undefined }): void {
    if (frame.code === 'removed') {
      this.removal = frame.message; // said when the close 4006 follows
      return;
    }
    const error = { code: asWarningCode(frame.code), message: frame.message };
    const { ref } = frame;
    // The feature whose message it answers says what it means (a refused chat line, a refused offer).
    if (ref && this.featureList.some((f) => f.member?.answered?.(error, ref))) return;
    this.tell('warning', error);
  }

  /** Shows each numbered event once, in order. */
  private apply(event: NumberedEvent, replayed: boolean): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    const member = (event as { member?: Member }).member;
    const roomChange = (event.type === 'joined' || event.type === 'left') && member !== undefined;
    if (!replayed && roomChange && event.type === 'joined')
      this.memberList = [...this.memberList.filter((m) => m.id !== member.id), member];
    if (!replayed && roomChange && event.type === 'left') this.memberList = this.memberList.filter((m) => m.id !== member.id);
    for (const feature of this.featureList) feature.member?.event?.(event, replayed);
    // Back in a restarted host's room under a new id: the person already saw themselves join.
    const rejoinedSelf = event.type === 'joined' && member?.id === this.me.id && this.formerIds.length > 0;
    if (!rejoinedSelf) this.tell('room-event', event, replayed);
    if (!replayed && roomChange) this.tell('members', this.members());
  }

  private onClose(code: number, reason: string): void {
    clearTimeout(this.watchdog);
    this.ws = undefined;
    const why: DetachReason = this.leaving ? 'left' : code === CloseCode.roomClosed ? 'host-left' : 'connection-lost';
    for (const feature of this.featureList) feature.member?.detach(why);
    if (this.leaving) return this.finish();
    if (code === CloseCode.removed) return this.finish(removedError(this.removal));
    if (FINAL_CLOSE_CODES.has(code)) {
      return this.finish(closeError(code, reason));
    }
    this.reconnect(1, { code: 'connection-lost', message: 'The connection to the host was lost. Reconnecting…' });
  }

  private reconnect(attempt: number, why: AppError, atLeastMs = 0): void {
    if (attempt > this.backoff.maxAttempts) {
      return this.finish({
        code: 'host-unreachable',
        message: `Could not reconnect to the host after ${attempt - 1} tries. ${why.message}`,
      });
    }
    this.setState('reconnecting', attempt, why);
    this.retryTimer = setTimeout(
      () => {
        this.attempt = this.reconnectOnce(attempt);
      },
      Math.max(backoffDelay(this.backoff, attempt), atLeastMs),
    );
  }

  /** One reconnection attempt; close() gives it up through `stopAttempts`. Never rejects. */
  private async reconnectOnce(attempt: number): Promise<void> {
    try {
      const link = await openHostLink({
        invite: this.invite,
        name: this.me.name,
        resume: { token: this.token, lastSeq: this.lastSeq },
        timeoutMs: this.timeoutMs,
        vocabulary: this.messages.toMember,
        ...(this.announce ? { features: this.messages.names } : {}),
        signal: this.stopAttempts.signal,
      });
      if (this.leaving) return leaveLink(link.ws);
      this.announce = link.announced;
      this.attach(link);
    } catch (err) {
      if (this.leaving) return;
      if (isFinal(err)) this.finish(toAppError(err));
      else this.reconnect(attempt + 1, toAppError(err), err instanceof PortholeError ? err.retryAfterMs : undefined);
    }
  }

  private finish(error?: AppError): void {
    if (this.state === 'closed') return;
    clearTimeout(this.watchdog);
    clearTimeout(this.retryTimer);
    for (const feature of this.featureList) feature.member?.closed?.(error);
    this.setState('closed', undefined, error);
  }

  private armWatchdog(ms: number): void {
    clearTimeout(this.watchdog);
    // No ping from the host for a whole heartbeat period: the link is dead even if TCP has not noticed.
    this.watchdog = setTimeout(() => this.ws?.terminate(), ms);
  }

  private setState(state: SessionState, attempt?: number, error?: AppError): void {
    this.state = state;
    this.tell('status', { state, ...(attempt ? { attempt } : {}), ...(error ? { error } : {}) });
  }
}
