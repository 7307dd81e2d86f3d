// The host's side of a relay: one control connection, joined with the host's own certificate
// (so its id on the relay is the fingerprint its invites carry), kept alive, rejoined with
// back-off when it drops, and every session the relay invites it to joined and handed on as a
// raw socket for the room's TLS server (`server.emit('connection', socket)`).
//
// The relay drops every session of a host when the host's control connection drops, and it
// passes no close from one side of a session to the other: both are the room's heartbeat's job.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type AppError, PortholeError, toAppError } from '../wire/errors';
import { type RoomLogFields, roomLog } from '../wire/room-log';
import { openRelayControl, type RelayIdentity, readRelayMessages, relayUnreachable } from './relay-control';
import { encodeRelayMessage, RESPONSE_CODES, type RelayMessage } from './relay-messages';
import { joinRelaySession } from './relay-session';
import { relayAddressText, type RelayUri } from './relay-uri';

export type RelayListenerState = 'joining' | 'joined' | 'retrying' | 'closed';

export interface RelayListenerStatus {
  state: RelayListenerState;
  /** Why the last connection failed or dropped (`retrying`). */
  error?: AppError;
  /** When the next join is tried (`retrying`). */
  retryInMs?: number;
}

export interface RelayBackoff {
  /** The wait after the first failure; default 1 s. It doubles with each failure in a row. */
  initialMs?: number;
  /** The longest wait; default 60 s. */
  maxMs?: number;
}

/** Where the listener's log lines go; the room's log channel by default (src-main/log writes it out). */
export interface RelayLogger {
  debug(message: string, fields?: RoomLogFields): void;
  info(message: string, fields?: RoomLogFields): void;
  warn(message: string, fields?: RoomLogFields): void;
}

export interface RelayListenerOptions {
  uri: RelayUri;
  /** The host's own certificate and key: the relay knows the host by its SHA-256. */
  identity: RelayIdentity;
  backoff?: RelayBackoff;
  logger?: RelayLogger;
}

/** What the relay said about a session's other side. */
export interface RelaySessionInfo {
  /** The id the guest's control connection presented (SHA-256 of its throwaway certificate), 32 bytes. */
  from: Buffer;
}

export type RelayListenerEvents = {
  /** A raw TCP socket joined to a session with a guest, paused, its first bytes unread. */
  session: [socket: Socket, info: RelaySessionInfo];
  status: [status: RelayListenerStatus];
};

/** How long connecting and joining (control or session) may take. */
const STEP_TIMEOUT_MS = 10_000;
/**
 * The wait before joining a session: joining at once lost the relay's join race in 1-8 % of
 * sessions (strelaysrv 1.19 refuses one side with "already connected"); 50 ms made it vanish.
 */
const SESSION_JOIN_DELAY_MS = 50;
/** A connection joined this long counts as stable: the next drop starts the back-off afresh. */
const STABLE_MS = 10_000;
/** close() waits at most this long for the control connection to close. */
const CLOSE_WAIT_MS = 1_000;

export class RelayListener extends EventEmitter<RelayListenerEvents> {
  private readonly uri: RelayUri;
  private readonly identity: RelayIdentity;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly log: RelayLogger;
  /** Aborted by close(): cancels a connect in flight and every session join. */
  private readonly closing = new AbortController();
  private started = false;
  private control: TLSSocket | undefined;
  private current: RelayListenerStatus = { state: 'closed' };
  private failures = 0;
  private joinedAt = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: RelayListenerOptions) {
    super();
    this.uri = options.uri;
    this.identity = options.identity;
    this.initialMs = Math.max(1, options.backoff?.initialMs ?? 1_000);
    this.maxMs = Math.max(this.initialMs, options.backoff?.maxMs ?? 60_000);
    this.log = options.logger ?? roomLog;
  }

  /** The last status reported. */
  get status(): RelayListenerStatus {
    return this.current;
  }

  /** Starts joining the relay (once; nothing after close()). */
  start(): void {
    if (this.started || this.closing.signal.aborted) return;
    this.started = true;
    this.connect();
  }

  /**
   * Leaves the relay: the control connection and every session join still on its way are closed;
   * resolves within about a second whatever the relay does. Sessions already handed on belong to
   * whoever took them (the relay drops them once the control connection is gone).
   */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new PortholeError('cancelled', 'The relay listener was closed.'));
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const control = this.control;
    this.control = undefined;
    this.report({ state: 'closed' });
    if (control === undefined || control.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      control.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      control.destroy();
    });
  }

  private connect(): void {
    this.report({ state: 'joining' });
    openRelayControl({ uri: this.uri, identity: this.identity, timeoutMs: STEP_TIMEOUT_MS, signal: this.closing.signal }).then(
      (socket) => this.join(socket),
      (err: unknown) => this.retry(err),
    );
  }

  private join(socket: TLSSocket): void {
    if (this.closing.signal.aborted) {
      socket.destroy();
      return;
    }
    this.control = socket;
    let joined = false;
    let keepalive: NodeJS.Timeout | undefined;
    const silence = this.uri.networkTimeoutMs;
    // Not joined in time, or nothing heard for the relay's networkTimeout: the connection is gone.
    let deadline = this.after(STEP_TIMEOUT_MS, () => drop(relayUnreachable(this.uri, 'it did not answer the join in time')));
    const heard = () => {
      if (!joined) return;
      clearTimeout(deadline);
      this.timers.delete(deadline);
      deadline = this.after(silence, () => drop(relayUnreachable(this.uri, 'it went silent')));
    };
    let dropped = false;
    const drop = (err: PortholeError) => {
      if (dropped) return;
      dropped = true;
      loop.stop();
      clearTimeout(deadline);
      this.timers.delete(deadline);
      if (keepalive !== undefined) clearInterval(keepalive);
      socket.destroy();
      if (this.control !== socket) return; // close() let it go
      this.control = undefined;
      if (joined && Date.now() - this.joinedAt >= STABLE_MS) this.failures = 0;
      this.retry(err);
    };
    const onMessage = (message: RelayMessage): void => {
      switch (message.type) {
        case 'ping':
          socket.write(encodeRelayMessage({ type: 'pong' }));
          break;
        case 'response':
          if (joined) {
            this.log.debug('relay response while joined', { code: message.code });
          } else if (message.code === RESPONSE_CODES.success) {
            joined = true;
            this.joinedAt = Date.now();
            heard();
            keepalive = setInterval(() => socket.write(encodeRelayMessage({ type: 'ping' })), Math.max(1, silence / 2));
            this.log.info('joined the relay', { relay: relayAddressText(this.uri) });
            this.report({ state: 'joined' });
          } else {
            drop(refusedJoin(this.uri, message.code, message.message));
          }
          break;
        case 'session-invitation':
          if (joined) this.acceptSession(message);
          break;
        case 'relay-full':
          drop(
            new PortholeError(
              'relay-full',
              `The relay at ${relayAddressText(this.uri)} is full. Friends cannot come through it until it has room again.`,
            ),
          );
          break;
        default:
          break;
      }
    };
    socket.on('data', heard);
    socket.on('error', (err: NodeJS.ErrnoException) => drop(relayUnreachable(this.uri, err.code ?? err.message)));
    socket.on('close', () => drop(relayUnreachable(this.uri, 'it closed the connection')));
    const loop = readRelayMessages(socket, onMessage, (why) => drop(relayUnreachable(this.uri, why)));
    socket.write(encodeRelayMessage({ type: 'join-relay-request' }));
  }

  private acceptSession(invitation: Extract<RelayMessage, { type: 'session-invitation' }>): void {
    const signal = this.closing.signal;
    this.after(SESSION_JOIN_DELAY_MS, () => {
      joinRelaySession({ uri: this.uri, invitation, timeoutMs: STEP_TIMEOUT_MS, signal }).then(
        (socket) => {
          // Nobody to take it (closed meanwhile, or no 'session' handler): it must not linger open.
          if (signal.aborted || this.listenerCount('session') === 0) {
            socket.destroy();
            return;
          }
          this.emit('session', socket, { from: invitation.from });
        },
        (err: unknown) => {
          if (!signal.aborted) this.log.warn('could not join a relay session', fieldsOf(err));
        },
      );
    });
  }

  private retry(err: unknown): void {
    if (this.closing.signal.aborted) return;
    const error = toAppError(err);
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    // Up to a quarter more, so hosts that lost one relay together do not all come back at once.
    const retryInMs = Math.round(Math.min(this.maxMs, base * (1 + Math.random() / 4)));
    this.log.warn('relay connection lost, retrying', { code: error.code, retryInMs });
    this.report({ state: 'retrying', error, retryInMs });
    this.after(retryInMs, () => this.connect());
  }

  private after(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private report(status: RelayListenerStatus): void {
    this.current = status;
    this.emit('status', status);
  }
}

function refusedJoin(uri: RelayUri, code: number, text: string): PortholeError {
  const where = relayAddressText(uri);
  if (code === RESPONSE_CODES.alreadyConnected) {
    return new PortholeError(
      'relay-refused',
      `The relay at ${where} still holds an earlier connection of this host; it lets go of it within its network timeout, and joining is retried until then.`,
    );
  }
  if (code === RESPONSE_CODES.wrongToken) {
    return new PortholeError(
      'relay-refused',
      `The relay at ${where} asks for a token to join it, which Porthole does not support. Use a relay without one.`,
    );
  }
  return new PortholeError('relay-refused', `The relay at ${where} refused the host (${code}: ${text}).`);
}

function fieldsOf(err: unknown): RoomLogFields {
  const { code } = toAppError(err);
  return { code };
}
