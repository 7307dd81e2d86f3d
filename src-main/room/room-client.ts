import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { PortholeError, toAppError, type AppError } from './errors';
import { decodeTextFrame } from './frame-decoder';
import { HOST_MESSAGE_TYPES, isFinal, openHostLink } from './host-link';
import { asWarningCode, closeError } from './host-close-reasons';
import { parseInvite, type Invite } from './invite';
import { CloseCode, FINAL_CLOSE_CODES, checkedText, hostMessageSchema, nameSchema, type Member, type RoomEvent, type Welcome } from './protocol';
import type { RoomSession, SessionEvents, SessionState } from './session-events';
import { FileTransfers, type FileTransferOptions } from '../transfer/file-transfers';
import { isTransferMessage, type TransferHostMessage } from '../transfer/transfer-messages';
import { wsHubLink } from '../transfer/ws-hub-link';

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

/**
 * A guest's side of a room. Reconnects on its own after a lost connection and resumes from the
 * last sequence number it saw; messages typed meanwhile wait in an outbox and are sent once,
 * or reported as failed if the room cannot be reached again.
 */
export class RoomClient extends EventEmitter<SessionEvents> implements RoomSession {
  me!: Member;
  state: SessionState = 'connecting';
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
  private readonly backoff: BackoffPolicy;
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

  /** The first connection; history arrives as replayed room events before this resolves. */
  async connect(): Promise<void> {
    if (this.state !== 'connecting') throw new Error('connect() is called once');
    try {
      const link = await openHostLink({ invite: this.invite, name: this.name, timeoutMs: this.timeoutMs });
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
    const message = { id: randomBytes(9).toString('base64url'), text: checkedText(text) };
    this.outbox.set(message.id, message);
    if (this.state === 'connected') this.transmit(message);
    return message.id;
  }

  /** Messages typed but not yet confirmed by the host. */
  pending(): Outgoing[] {
    return [...this.outbox.values()];
  }

  /** Leaves the room with a close frame; resolves once partial files of unfinished transfers are gone. */
  close(): Promise<void> {
    this.leaving ??= new Promise<void>((resolve) => {
      clearTimeout(this.retryTimer);
      const ws = this.ws;
      if (!ws || ws.readyState === ws.CLOSED) {
        this.finish();
        return resolve();
      }
      const cut = setTimeout(() => ws.terminate(), 2000);
      ws.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
      ws.close(CloseCode.normal, 'Left the room.');
    }).then(() => this.transfers.stopped());
    return this.leaving;
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
    this.transfers.attach(wsHubLink(ws));
    for (const message of this.outbox.values()) this.transmit(message);
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      if (!this.transfers.onChunk(data)) this.emit('warning', { code: 'bad-host-message', message: 'The host sent file data that fits no transfer.' });
      return;
    }
    const decoded = decodeTextFrame(hostMessageSchema, HOST_MESSAGE_TYPES, data, isBinary);
    if (!decoded.ok) {
      this.emit('warning', { code: 'bad-host-message', message: `The host sent something invalid: ${decoded.error.message}` });
      return;
    }
    const message = decoded.message;
    if (isTransferMessage(message)) return this.transfers.onControl(message as TransferHostMessage);
    if (message.type === 'error' && message.code === 'already-posted' && message.ref) this.outbox.delete(message.ref);
    else if (message.type === 'error') this.emit('warning', { code: asWarningCode(message.code), message: message.message });
    else if (message.type === 'chat' || message.type === 'joined' || message.type === 'left') this.apply(message, message.seq <= this.historyUntil);
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
      return this.finish({ code: 'host-unreachable', message: `Could not reconnect to the host after ${attempt - 1} tries. ${why.message}` });
    }
    this.setState('reconnecting', attempt, why);
    this.retryTimer = setTimeout(async () => {
      try {
        const link = await openHostLink({
          invite: this.invite,
          name: this.me.name,
          resume: { token: this.token, lastSeq: this.lastSeq },
          timeoutMs: this.timeoutMs,
        });
        if (this.leaving) return link.ws.terminate();
        this.attach(link.ws, link.welcome);
      } catch (err) {
        if (this.leaving) return;
        if (isFinal(err)) this.finish(toAppError(err));
        else this.reconnect(attempt + 1, toAppError(err), err instanceof PortholeError ? err.retryAfterMs : undefined);
      }
    }, Math.max(backoffDelay(this.backoff, attempt), atLeastMs));
  }

  private finish(error?: AppError): void {
    if (this.state === 'closed') return;
    clearTimeout(this.watchdog);
    clearTimeout(this.retryTimer);
    const failure = error ?? { code: 'not-connected' as const, message: 'You left the room before this message was sent.' };
    for (const message of this.outbox.values()) this.emit('send-failed', { ...message, error: failure });
    this.outbox.clear();
    this.setState('closed', undefined, error);
  }

  private transmit(message: Outgoing): void {
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
