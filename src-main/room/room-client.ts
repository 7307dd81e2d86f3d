import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../link/backoff';
import { PortholeError, cancelledBy, toAppError, type AppError } from '../wire/errors';
import { decodeTextFrame } from '../wire/frame-decoder';
import { HOST_MESSAGE_TYPES, isFinal, leaveLink, openHostLink } from '../link/host-link';
import { asWarningCode, closeError } from '../wire/host-close-reasons';
import { parseInvite, type Invite } from '../link/invite';
import {
  CloseCode,
  FINAL_CLOSE_CODES,
  VERSION_1_CHAT_RATE,
  checkedText,
  hostMessageSchema,
  nameSchema,
  type Member,
  type RoomEvent,
  type Welcome,
} from '../wire/protocol';
import type { RoomSession, SessionEvents, SessionState } from './session-events';
import { ChatPacer } from '../features/chat/chat-pacer';
import { CHAT_FEATURE, FILES_FEATURE, OUR_FEATURES, allowed, sharedFeatures } from '../wire/features';
import { FileTransfers, type FileTransferOptions } from '../features/files/file-transfers';
import type { HubLink } from '../features/files/member-link';
import { isTransferMessage } from '../features/files/transfer-messages';
import { wsHubLink } from '../features/files/ws-hub-link';

export interface JoinOptions {
  name: string;
  /** Download folder and auto-accept for files offered in the room. */
  transfers?: FileTransferOptions;
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
}

interface Outgoing {
  id: string;
  text: string;
}

/** Offers the host refused lately, whose error frame (same ref) needs no warning of its own. */
const REFUSED_OFFERS_KEPT = 64;

/**
 * A guest's side of a room. Reconnects on its own after a lost connection and resumes from the
 * last sequence number it saw; messages typed meanwhile wait in an outbox and are sent once,
 * or reported as failed if the room cannot be reached again.
 */
export class RoomClient extends EventEmitter<SessionEvents> implements RoomSession {
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
  private readonly outbox = new Map<string, Outgoing>();
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
  private features: ReadonlySet<string> = sharedFeatures(undefined);
  /** Keeps chat under the host's rate; one per connection. */
  private pacer: ChatPacer<Outgoing> | undefined;
  private readonly refusedOffers = new Set<string>();
  /** This guest's file transfers; they end when the connection does. */
  readonly transfers: FileTransfers;

  private constructor(
    private readonly invite: Invite,
    private readonly name: string,
    private readonly timeoutMs: number,
    backoff: Partial<BackoffPolicy>,
    transfers: FileTransferOptions,
  ) {
    super();
    this.backoff = { ...DEFAULT_BACKOFF, ...backoff };
    this.transfers = new FileTransfers(transfers, (id) => this.memberList.find((m) => m.id === id));
  }

  /** Validates the invite and name; call connect() after subscribing to events. */
  static create(invite: Invite | string, options: JoinOptions): RoomClient {
    const parsed = typeof invite === 'string' ? parseInvite(invite) : invite;
    const name = nameSchema.safeParse(options.name);
    if (!name.success) throw new PortholeError('name-invalid', `${name.error.issues[0]?.message ?? 'Invalid name.'} Pick another name.`);
    return new RoomClient(parsed, name.data, options.connectTimeoutMs ?? 10_000, options.backoff ?? {}, options.transfers ?? {});
  }

  /** Joins the room an invite names; rejects with a PortholeError saying why it could not. */
  static async join(invite: Invite | string, options: JoinOptions): Promise<RoomClient> {
    const client = RoomClient.create(invite, options);
    await client.connect();
    return client;
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
        features: OUR_FEATURES,
        signal: cancel,
      });
      // Cancelled as the welcome came in: the link is not used.
      if (cancel.aborted) {
        leaveLink(link.ws);
        throw cancelledBy(cancel, 'Joining was cancelled.');
      }
      this.announce = link.announced;
      this.attach(link.ws, link.welcome);
    } catch (err) {
      this.state = 'closed';
      throw err;
    }
  }

  members(): Member[] {
    return [...this.memberList];
  }

  /** Sends a message now, or queues it while reconnecting. Returns its id. */
  send(text: string): string {
    if (this.state === 'closed') throw new PortholeError('not-connected', 'You are no longer in the room. Join again to send messages.');
    if (this.state === 'connected' && !this.features.has(CHAT_FEATURE)) {
      throw new PortholeError('not-allowed', "This room's host does not take chat messages.");
    }
    const message = { id: randomBytes(9).toString('base64url'), text: checkedText(text) };
    this.outbox.set(message.id, message);
    if (this.state === 'connected') this.pacer?.push(message);
    return message.id;
  }

  /** Messages typed but not yet confirmed by the host. */
  pending(): Outgoing[] {
    return [...this.outbox.values()];
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
    await this.transfers.stopped();
  }

  private attach(ws: WebSocket, welcome: Welcome): void {
    this.ws = ws;
    if (welcome.room !== this.roomId) this.lastSeq = 0; // a new room: old numbers mean nothing
    this.roomId = welcome.room;
    this.token = welcome.resumeToken;
    this.me = welcome.you;
    if (welcome.historyGap && this.state === 'reconnecting') {
      this.emit('warning', { code: 'connection-lost', message: 'Some older messages were missed while you were disconnected.' });
    }
    this.historyUntil = welcome.lastSeq;
    for (const event of welcome.history) this.apply(event, true);
    this.memberList = welcome.members;
    // Nothing of a feature the host did not list is sent (PROTOCOL.md §4, Features).
    this.features = sharedFeatures(welcome.features);
    if (!this.features.has(CHAT_FEATURE))
      this.failOutbox({ code: 'not-allowed', message: "This room's host does not take chat messages." });
    // Queued before anyone hears of the connection, so a line sent from a status listener goes after them.
    this.pacer = new ChatPacer(welcome.rate ?? VERSION_1_CHAT_RATE, (message) => this.transmit(message));
    for (const message of this.outbox.values()) this.pacer.push(message);
    this.setState('connected');
    this.emit('members', this.members());
    this.armWatchdog(welcome.heartbeat.intervalMs + welcome.heartbeat.timeoutMs);
    ws.on('ping', () => this.armWatchdog(welcome.heartbeat.intervalMs + welcome.heartbeat.timeoutMs));
    ws.on('message', (data, isBinary) => {
      // Whatever a host sends, a throw must not reach ws (it would end the process): it is reported instead.
      try {
        this.onFrame(data as Buffer, isBinary);
      } catch {
        this.emit('warning', { code: 'bad-host-message', message: 'The host sent something this app could not handle.' });
      }
    });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    this.transfers.attach(this.features.has(FILES_FEATURE) ? wsHubLink(ws) : this.noFilesLink());
  }

  /** For a host that does not speak files: every offer is refused here, and nothing is sent. */
  private noFilesLink(): HubLink {
    return {
      control: (message) => {
        if (message.type !== 'file-offer') return;
        queueMicrotask(() => this.transfers.onControl({ type: 'file-refused', ref: message.ref, reason: 'no-recipients' }));
      },
      chunk: () => {},
      ready: () => true,
      whenReady: (wake) => queueMicrotask(wake),
    };
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      if (!this.transfers.onChunk(data))
        this.emit('warning', { code: 'bad-host-message', message: 'The host sent file data that fits no transfer.' });
      return;
    }
    const decoded = decodeTextFrame(hostMessageSchema, HOST_MESSAGE_TYPES, data, isBinary);
    // A type a newer host speaks, or a feature this connection does not share: skipped, no warning.
    const unspoken = decoded.ok
      ? !allowed(this.features, decoded.message.type)
      : decoded.unknownType || (decoded.type !== undefined && !allowed(this.features, decoded.type));
    if (unspoken) {
      this.stats.ignoredMessages += 1;
      return;
    }
    if (!decoded.ok) {
      this.emit('warning', { code: 'bad-host-message', message: `The host sent something invalid: ${decoded.error.message}` });
      return;
    }
    const message = decoded.message;
    if (message.type === 'file-refused') this.rememberRefusal(message.ref);
    if (isTransferMessage(message)) return this.transfers.onControl(message);
    if (message.type === 'error') return this.onError(message);
    if (message.type === 'chat' || message.type === 'joined' || message.type === 'left')
      this.apply(message, message.seq <= this.historyUntil);
  }

  /** An error frame; its `ref` names the message it answers, if any (PROTOCOL.md §6). */
  private onError(error: { code: string; message: string; ref?: string | undefined }): void {
    const { ref } = error;
    if (ref && error.code === 'already-posted') return void this.outbox.delete(ref);
    // The offer's refusal already told the person; the error frame says the same.
    if (ref && this.refusedOffers.delete(ref)) return;
    const pending = ref ? this.outbox.get(ref) : undefined;
    if (pending) {
      // The host refused this message: it would be refused again after a reconnect.
      this.outbox.delete(pending.id);
      this.emit('send-failed', { ...pending, error: { code: asWarningCode(error.code), message: error.message } });
      return;
    }
    this.emit('warning', { code: asWarningCode(error.code), message: error.message });
  }

  private rememberRefusal(ref: string): void {
    this.refusedOffers.add(ref);
    if (this.refusedOffers.size > REFUSED_OFFERS_KEPT) this.refusedOffers.delete(this.refusedOffers.values().next().value!);
  }

  /** Shows each numbered event once, in order, and confirms our own messages. */
  private apply(event: RoomEvent, replayed: boolean): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    if (event.type === 'chat' && event.from.id === this.me?.id) this.outbox.delete(event.id);
    if (!replayed && event.type === 'joined') this.memberList = [...this.memberList.filter((m) => m.id !== event.member.id), event.member];
    if (!replayed && event.type === 'left') this.memberList = this.memberList.filter((m) => m.id !== event.member.id);
    this.emit('room-event', event, replayed);
    if (!replayed && event.type !== 'chat') this.emit('members', this.members());
  }

  private onClose(code: number, reason: string): void {
    clearTimeout(this.watchdog);
    this.pacer?.stop();
    this.ws = undefined;
    this.transfers.detach(this.leaving ? 'cancelled' : code === CloseCode.roomClosed ? 'host-left' : 'connection-lost');
    if (this.leaving) return this.finish();
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
        ...(this.announce ? { features: OUR_FEATURES } : {}),
        signal: this.stopAttempts.signal,
      });
      if (this.leaving) return leaveLink(link.ws);
      this.announce = link.announced;
      this.attach(link.ws, link.welcome);
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
    this.pacer?.stop();
    this.failOutbox(error ?? { code: 'not-connected', message: 'You left the room before this message was sent.' });
    this.setState('closed', undefined, error);
  }

  private failOutbox(error: AppError): void {
    for (const message of this.outbox.values()) this.emit('send-failed', { ...message, error });
    this.outbox.clear();
  }

  private transmit(message: Outgoing): void {
    // Confirmed meanwhile (it was posted before a reconnect): nothing left to send.
    if (!this.outbox.has(message.id)) return;
    this.ws?.send(JSON.stringify({ type: 'chat', id: message.id, text: message.text }));
  }

  private armWatchdog(ms: number): void {
    clearTimeout(this.watchdog);
    // No ping from the host for a whole heartbeat period: the link is dead even if TCP has not noticed.
    this.watchdog = setTimeout(() => this.ws?.terminate(), ms);
  }

  private setState(state: SessionState, attempt?: number, error?: AppError): void {
    this.state = state;
    this.emit('status', { state, ...(attempt ? { attempt } : {}), ...(error ? { error } : {}) });
  }
}
