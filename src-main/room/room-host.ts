import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { ErrorCode } from '../wire/errors';
import { History, type Unstamped } from './history';
import { welcomeFrames } from './welcome-frames';
import type { HostIdentity } from '../link/host-identity';
import { PeerConnection, type PeerPolicy } from '../link/peer-connection';
import {
  CloseCode,
  LIMITS,
  PROTOCOL,
  checkedText,
  type ChatEvent,
  type ClientMessage,
  type LeaveReason,
  type Member,
  type RoomEvent,
} from '../wire/protocol';
import { MemberRegistry, type GuestSession } from './member-registry';
import type { RoomSession, SessionEvents } from './session-events';
import { checkUpgrade, refuseUpgrade } from '../link/upgrade-gate';
import { ConnectionGate, DEFAULT_GATE_POLICY, type GatePolicy } from '../link/connection-gate';
import { listen } from '../link/listen';
import { WS_RECEIVER_LIMITS } from '../wire/ws-limits';
import { roomLog } from '../wire/room-log';
import { CHAT_FEATURE, FILES_FEATURE, OUR_FEATURES, sharedFeatures } from '../wire/features';
import { MAX_CHUNK_FRAME_BYTES } from '../features/files/chunk-frame';
import type { FileTransfers } from '../features/files/file-transfers';
import { HostTransfers, type HostTransferOptions } from '../features/files/host-transfers';
import { isTransferMessage } from '../features/files/transfer-messages';

export interface RoomHostOptions {
  identity: HostIdentity;
  /** The room secret guests present (base64url, 32 random bytes). */
  secret: string;
  /** The host's own display name in the room. */
  hostName: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '::' (every IPv6 and IPv4 interface); falls back to '0.0.0.0' without IPv6. */
  listenHost?: string | undefined;
  maxMembers?: number;
  historySize?: number;
  policy?: Partial<PeerPolicy>;
  /**
   * A member whose connection dropped (no goodbye) stays listed this long; if it resumes in
   * time, the room sees neither a leave nor a join. Default 5 s.
   */
  resumeGraceMs?: number;
  /** Admission limits before membership (connections, upgrades, hellos per address). */
  gate?: Partial<GatePolicy>;
  /** Closing handshakes longer than this are cut at shutdown. */
  closeTimeoutMs?: number;
  /** Download folder, auto-accept and relay limits for file transfers. */
  transfers?: HostTransferOptions;
}

export const DEFAULT_POLICY: PeerPolicy = {
  heartbeat: { intervalMs: 20_000, timeoutMs: 20_000 },
  rate: { capacity: 30, refillPerSecond: 10 },
  transferRate: { capacity: 2000, refillPerSecond: 2000 },
  maxOffenses: 5,
  maxDropped: 50,
  droppedForgivenPerSecond: 1,
  helloTimeoutMs: 5_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  closeGraceMs: 2_000,
  controlRate: { capacity: 50, refillPerSecond: 10 },
};

const DEFAULT_RESUME_GRACE_MS = 5_000;

/** Creates a fresh room secret: 32 random bytes, base64url. */
export function createRoomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The host side of a room: a wss server, the member list, numbered history, broadcast. */
export class RoomHost extends EventEmitter<SessionEvents> implements RoomSession {
  readonly me: Member;
  /** Changes on every start, so guests never compare sequence numbers across rooms. */
  readonly roomId = randomBytes(32).toString('base64url');
  /** `ignoredMessages`: frames skipped without blame (unknown types, features a member did not announce). */
  readonly stats = { refusedUpgrades: 0, offenses: 0, ignoredMessages: 0 };
  readonly gate: ConnectionGate;
  private readonly history: History;
  private readonly registry: MemberRegistry;
  private readonly policy: PeerPolicy;
  private readonly pending = new Set<PeerConnection>();
  private readonly lingering = new Map<GuestSession, NodeJS.Timeout>();
  /** Every TCP connection, so that shutdown can drop those that never became a peer. */
  private readonly sockets = new Set<Duplex>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Binary file chunks are the largest frames; text frames are held to LIMITS.maxFrameBytes by the decoder.
    maxPayload: MAX_CHUNK_FRAME_BYTES,
    ...WS_RECEIVER_LIMITS,
    handleProtocols: () => PROTOCOL,
  });
  private closing: Promise<void> | undefined;
  private readonly fileRelay: HostTransfers;

  private constructor(
    private readonly server: Server,
    private readonly options: RoomHostOptions,
  ) {
    super();
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.history = new History(options.historySize ?? LIMITS.historySize, LIMITS.historyMaxBytes);
    this.me = { id: randomBytes(6).toString('base64url'), name: options.hostName, host: true };
    this.registry = new MemberRegistry(this.me, options.maxMembers ?? LIMITS.maxMembers);
    this.fileRelay = new HostTransfers(this.me, () => this.registry.members(), options.transfers);
    this.gate = new ConnectionGate({ ...DEFAULT_GATE_POLICY, ...options.gate });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.gate.connection(socket);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {});
      try {
        this.onUpgrade(req, socket as Socket, head);
      } catch (err) {
        roomLog.error('an upgrade failed unexpectedly; dropped its connection', {
          address: (socket as Socket).remoteAddress,
          error: err instanceof Error ? err.name : typeof err,
        });
        socket.destroy(); // a request no rule foresaw costs only its own connection
      }
    });
    server.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
      res.end('This is a Porthole room. Join it with the Porthole app and an invite.\n');
    });
  }

  /** Starts listening; resolves once the port is open. */
  static async start(options: RoomHostOptions): Promise<RoomHost> {
    const server = createServer({
      cert: options.identity.certPem,
      key: options.identity.keyPem,
      minVersion: 'TLSv1.2',
      noDelay: true,
      // The connection gate drops anything unauthenticated sooner; this is Node's own backstop.
      handshakeTimeout: DEFAULT_GATE_POLICY.unauthenticatedTimeoutMs,
    });
    const host = new RoomHost(server, options);
    await listen(server, options.port ?? 0, options.listenHost);
    roomLog.info('room open', { port: host.port });
    return host;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  members(): Member[] {
    return this.registry.members();
  }

  /** The host member's own file transfers. */
  get transfers(): FileTransfers {
    return this.fileRelay.files;
  }

  /** The host's own chat message. */
  send(text: string): string {
    const checked = checkedText(text);
    const id = randomBytes(9).toString('base64url');
    this.publish<ChatEvent>({ type: 'chat', from: this.me, id, text: checked });
    return id;
  }

  /** Closes every connection with a close frame, then the listening socket. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const peers = [...this.pending, ...this.registry.peers()];
    this.fileRelay.close();
    this.gate.close();
    for (const timer of this.lingering.values()) clearTimeout(timer);
    for (const peer of peers) peer.close(CloseCode.roomClosed, 'The host closed the room.');
    const cut = setTimeout(() => peers.forEach((p) => p.terminate()), this.options.closeTimeoutMs ?? 2000);
    await Promise.all(peers.map((p) => p.closed()));
    clearTimeout(cut);
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // A connection stuck in its TLS handshake or idle after a plain request would otherwise
    // keep close() waiting for minutes (the handshake and keep-alive timeouts).
    for (const socket of this.sockets) socket.destroy();
    await stopped;
    await this.transfers.stopped(); // the host's own partial files
    roomLog.info('room closed', { peers: peers.length });
    this.emit('status', { state: 'closed' });
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const address = socket.remoteAddress;
    const check = checkUpgrade(req, this.options.secret);
    if (!check.ok) {
      this.stats.refusedUpgrades += 1;
      // The code says which rule (path, version, secret); what was presented is never logged.
      roomLog.info('refused an upgrade', { code: check.error.code, status: check.status, address });
      refuseUpgrade(socket, check.status, check.error, check.extra);
      return;
    }
    this.gate.authenticated(socket);
    if (this.closing) {
      refuseUpgrade(socket, 503, { code: 'room-closed', message: 'The room is closing.' });
      return;
    }
    const admitted = this.gate.admitUpgrade(socket);
    if ('refusal' in admitted) {
      const { refusal } = admitted;
      this.stats.refusedUpgrades += 1;
      roomLog.info('refused an upgrade', { code: refusal.error.code, status: refusal.status, address });
      refuseUpgrade(socket, refusal.status, refusal.error, {}, refusal.retryAfterSeconds);
      return;
    }
    // The slot is held until hello, or until the connection starts to close, whichever is first.
    const { release } = admitted;
    socket.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const peer = new PeerConnection(ws, this.policy, address);
      peer.once('closing', release);
      peer.once('joined', release);
      this.adopt(peer);
    });
  }

  private adopt(peer: PeerConnection): void {
    this.pending.add(peer);
    peer.on('message', (message) => this.onMessage(peer, message));
    peer.on('offense', (error) => {
      this.stats.offenses += 1;
      // The code only: an offense's sentence may quote what the peer sent.
      roomLog.warn('a peer broke the protocol', {
        code: error.code,
        address: peer.address,
        member: this.registry.sessionOf(peer)?.member.id,
      });
    });
    peer.on('ignored', () => (this.stats.ignoredMessages += 1));
    peer.on('chunk', (frame) => this.onTransferProblem(peer, this.fileRelay.chunk(peer, frame), 'binary-not-expected'));
    peer.on('gone', (reason) => this.onGone(peer, reason));
  }

  private onMessage(peer: PeerConnection, message: ClientMessage): void {
    const session = this.registry.sessionOf(peer);
    if (message.type === 'hello') {
      if (session) return peer.offend({ code: 'already-joined', message: 'You already said hello.' });
      return this.onHello(peer, message);
    }
    if (!session) return peer.refuse({ code: 'hello-first', message: 'Send hello before anything else.' });
    if (isTransferMessage(message)) return this.onTransferProblem(peer, this.fileRelay.control(peer, message));
    if (message.type !== 'chat') return;
    const earlier = session.seen.get(message.id);
    if (earlier !== undefined) {
      // A resend after a reconnect: show the sender the original instead of posting twice.
      const original = this.history.since(earlier - 1).events.find((e) => e.seq === earlier);
      if (original) peer.send(original);
      else peer.sendError({ code: 'already-posted', message: 'This message was posted earlier.' }, message.id);
      return;
    }
    const event = this.publish<ChatEvent>({ type: 'chat', from: session.member, id: message.id, text: message.text });
    this.registry.remember(session, message.id, event.seq);
  }

  private onHello(peer: PeerConnection, hello: Extract<ClientMessage, { type: 'hello' }>): void {
    const outcome = this.registry.admit(peer, hello.name, hello.resume?.token);
    if (!outcome.ok) {
      roomLog.info('refused a hello', { code: outcome.error.code, address: peer.address });
      peer.sendError(outcome.error);
      // The error frame carries the sentence (with the name); the close reason stays fixed text.
      if (outcome.error.code === 'rate-limited') peer.close(CloseCode.tryLater, 'Reconnecting too often; try again later.');
      else if (outcome.error.code === 'room-full') peer.close(CloseCode.roomFull, 'The room is full.');
      else peer.close(CloseCode.nameTaken, 'That name is taken.');
      return;
    }
    const { session, replaced, announce, resumed, departed } = outcome;
    clearTimeout(this.lingering.get(session));
    this.lingering.delete(session);
    if (departed) this.announceLeft(departed, 'disconnected', peer); // the newcomer reads it in its welcome's history
    this.pending.delete(peer);
    const features = sharedFeatures(hello.features);
    peer.markJoined(features);
    roomLog.info(resumed ? 'a member resumed' : 'a member joined', {
      member: session.member.id,
      address: peer.address,
      features: [...features].join(' '),
      replaced: !!replaced,
    });
    // A member that does not speak files is never a recipient, and never hears of a transfer.
    if (features.has(FILES_FEATURE)) this.fileRelay.joined(peer, session.member.id);
    if (replaced) replaced.close(CloseCode.sessionReplaced, 'You connected again from elsewhere.');
    // The newcomer learns of its own arrival from the welcome's history, so it is skipped here.
    if (announce) this.publish({ type: 'joined', member: session.member }, peer);
    const since = this.history.since(resumed ? (hello.resume?.lastSeq ?? 0) : 0);
    const events = features.has(CHAT_FEATURE) ? since.events : since.events.filter((e) => e.type !== 'chat');
    const gap = since.gap;
    const { welcome, after } = welcomeFrames({
      type: 'welcome',
      protocol: PROTOCOL,
      room: this.roomId,
      you: session.member,
      resumeToken: session.token,
      members: this.registry.members(),
      history: events,
      historyGap: gap,
      lastSeq: this.history.lastSeq,
      heartbeat: this.policy.heartbeat,
      limits: { nameMaxChars: LIMITS.nameMaxChars, textMaxChars: LIMITS.textMaxChars, maxFrameBytes: LIMITS.maxFrameBytes },
      // Only for a guest that announced features: a version-1 guest refuses fields it does not know.
      ...(hello.features ? { features: [...OUR_FEATURES], rate: { ...this.policy.rate } } : {}),
    });
    peer.send(welcome);
    for (const event of after) peer.send(event); // the rest of the history, before anything new
    this.emit('members', this.registry.members());
  }

  private onGone(peer: PeerConnection, reason: LeaveReason): void {
    this.pending.delete(peer);
    this.fileRelay.gone(peer);
    const graceMs = this.options.resumeGraceMs ?? DEFAULT_RESUME_GRACE_MS;
    const linger = reason === 'disconnected' && graceMs > 0 && !this.closing;
    const session = this.registry.release(peer, linger);
    if (session && !this.closing) roomLog.info('a member’s connection ended', { member: session.member.id, reason, lingering: linger });
    if (!session || this.closing) return;
    if (!linger) return this.announceLeft(session, reason);
    const timer = setTimeout(() => {
      this.lingering.delete(session);
      if (this.registry.settle(session)) this.announceLeft(session, reason);
    }, graceMs);
    this.lingering.set(session, timer);
  }

  private announceLeft(session: GuestSession, reason: LeaveReason, except?: PeerConnection): void {
    clearTimeout(this.lingering.get(session));
    this.lingering.delete(session);
    this.publish({ type: 'left', member: session.member, reason }, except);
    this.emit('members', this.registry.members());
  }

  /** Numbers an event, keeps it in history, and sends it to every member. */
  private publish<E extends RoomEvent>(event: Unstamped<E>, except?: PeerConnection): E {
    const stamped = this.history.append<E>(event);
    for (const peer of this.registry.peers()) if (peer !== except) peer.send(stamped);
    this.emit('room-event', stamped, false);
    return stamped;
  }

  /** A broken transfer rule counts as an offense, like any invalid message. */
  private onTransferProblem(peer: PeerConnection, problem: string | undefined, code: ErrorCode = 'invalid-message'): void {
    if (problem) peer.offend({ code, message: problem });
  }
}
