import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { History } from './history';
import { welcomeFrames } from './welcome-frames';
import type { HostIdentity } from '../link/host-identity';
import { PeerConnection, type PeerMessage, type PeerPolicy } from '../link/peer-connection';
import {
  CloseCode,
  LIMITS,
  PROTOCOL,
  type JoinedEvent,
  type LeaveReason,
  type LeftEvent,
  type Member,
  type NumberedEvent,
} from '../wire/protocol';
import type { z } from 'zod';
import type { helloSchema } from '../wire/protocol';
import { MemberRegistry, type GuestSession } from './member-registry';
import type { RoomEvents } from './session-events';
import { checkUpgrade, refuseUpgrade } from '../link/upgrade-gate';
import { ConnectionGate, DEFAULT_GATE_POLICY, type GatePolicy } from '../link/connection-gate';
import { listen } from '../link/listen';
import { WS_RECEIVER_LIMITS } from '../wire/ws-limits';
import { roomLog } from '../wire/room-log';
import { PortholeError } from '../wire/errors';
import { removalSentence } from '../wire/host-close-reasons';
import { sharedFeatures } from '../wire/features';
import { MessageRegistry } from '../wire/message-registry';
import type { Feature, HubRoom, MemberConnection, Unstamped, WireMessage } from './feature';
import { LocalMember } from './local-member';
import { FeatureTable } from './feature-table';
import { ROOM_SIZE_RULE } from './room-size';

type Hello = z.infer<typeof helloSchema>;

export interface HostedRoomOptions {
  identity: HostIdentity;
  /** The room secret guests present (base64url, 32 random bytes). */
  secret: string;
  /** The host's own display name in the room. */
  hostName: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '::' (every IPv6 and IPv4 interface); falls back to '0.0.0.0' without IPv6. */
  listenHost?: string | undefined;
  /**
   * How many people the room lets in, the host included (default LIMITS.maxMembers); at least 2.
   * People choose within LIMITS.roomSize (room-size.ts); code, such as tests, may go past its top.
   */
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

/** A room size the room can keep: a whole number, and room for a guest beside the host. */
function atLeastTwo(maxMembers: number): number {
  if (!Number.isInteger(maxMembers) || maxMembers < 2) throw new PortholeError('invalid-request', ROOM_SIZE_RULE);
  return maxMembers;
}

/** Creates a fresh room secret: 32 random bytes, base64url. */
export function createRoomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The host side of a room: a wss server, admission, the member list, numbered history, the
 * welcome, resume. What people do in the room — chat, files — are features (room/feature.ts),
 * given at construction; the room routes their messages and knows none of them.
 */
export class HostedRoom<M extends RoomEvents<NumberedEvent> & Record<keyof M, unknown[]> = RoomEvents> extends EventEmitter<M> {
  /** Emits one of the room's own events, whatever events a composition adds to `M`. */
  private tell<K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]): void {
    (this as unknown as { emit(event: string, ...args: unknown[]): boolean }).emit(event, ...args);
  }

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
    maxPayload: LIMITS.maxBinaryFrameBytes,
    ...WS_RECEIVER_LIMITS,
    handleProtocols: () => PROTOCOL,
  });
  private closing: Promise<void> | undefined;
  private readonly server: Server;
  /** The wire protocol of this room: the core and the features it was built with. */
  readonly messages: MessageRegistry;
  /** Each joined connection as the features see it. */
  private readonly connections = new Map<PeerConnection, MemberConnection>();
  /** Which feature handles each message type. */
  private readonly table: FeatureTable;
  /** The host's own member, joined to the hub features in-process. */
  private readonly local: LocalMember;
  /** The secret the upgrade gate checks; setSecret() changes it (a revoked invite). */
  private secret: string;

  protected constructor(
    private readonly options: HostedRoomOptions,
    private readonly features: readonly Feature[],
  ) {
    super();
    this.secret = options.secret;
    this.messages = new MessageRegistry(features.map((f) => f.spec));
    this.table = new FeatureTable(features, this.messages);
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.history = new History(options.historySize ?? LIMITS.historySize, LIMITS.historyMaxBytes);
    this.me = { id: randomBytes(6).toString('base64url'), name: options.hostName, host: true };
    this.registry = new MemberRegistry(this.me, atLeastTwo(options.maxMembers ?? LIMITS.maxMembers));
    this.gate = new ConnectionGate({ ...DEFAULT_GATE_POLICY, ...options.gate });
    const server = createServer({
      cert: options.identity.certPem,
      key: options.identity.keyPem,
      minVersion: 'TLSv1.2',
      noDelay: true,
      // The connection gate drops anything unauthenticated sooner; this is Node's own backstop.
      handshakeTimeout: DEFAULT_GATE_POLICY.unauthenticatedTimeoutMs,
    });
    this.server = server;
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
    this.local = new LocalMember(this.me, this.table, () => this.registry.members());
  }

  /** Opens a room with these features; resolves once the port is open. */
  static async open(options: HostedRoomOptions, features: readonly Feature[]): Promise<HostedRoom> {
    const room = new HostedRoom(options, features);
    await room.listen();
    return room;
  }

  /** Starts the features and listens; resolves once the port is open. */
  protected async listen(): Promise<void> {
    const hubRoom: HubRoom = {
      me: this.me,
      members: () => this.registry.members(),
      publish: (event, except) => this.publish(event, except ? this.peerOf(except) : undefined),
      event: (seq) => this.history.since(seq - 1).events.find((e) => e.seq === seq),
      broadcast: (message, except) => {
        for (const [peer, connection] of this.connections) if (connection !== except) peer.send(message);
        if (except !== this.local.connection) this.local.deliver(message);
      },
    };
    for (const feature of this.features) feature.hub?.start(hubRoom);
    this.local.join();
    await listen(this.server, this.options.port ?? 0, this.options.listenHost);
    roomLog.info('room open', { port: this.port });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  members(): Member[] {
    return this.registry.members();
  }

  /**
   * Hands the room a connection that arrived some other way than its own port (a relayed one):
   * it goes through the same TLS, gate and upgrade as any other.
   */
  adoptConnection(socket: Socket): void {
    this.server.emit('connection', socket);
  }

  /**
   * Revokes the invite: from now on only `secret` opens the room. Everyone present stays (their
   * connections are past the gate), and a member whose connection drops resumes only with the new
   * invite. Throws PortholeError('invalid-request') for a malformed secret.
   */
  setSecret(secret: string): void {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) throw new PortholeError('invalid-request', 'A room secret is 32 random bytes in base64url.');
    this.secret = secret;
    roomLog.info('the invite was revoked');
  }

  /**
   * Removes a guest: it gets an `error` `removed` with the host's sentence, then close 4006, and
   * the others a `left` with reason `removed`. Its session cannot be resumed and a fresh hello
   * under its name is refused until allow(name). Throws PortholeError('not-found') for an id that
   * is not a guest here.
   */
  remove(memberId: string, reason?: string): Member {
    const session = this.registry.presentById(memberId);
    if (!session) throw new PortholeError('not-found', 'That person is no longer in the room.');
    this.registry.remove(session);
    roomLog.info('the host removed a member', { member: session.member.id });
    const { peer } = session;
    if (peer) {
      peer.sendError({ code: 'removed', message: removalSentence(reason) });
      peer.close(CloseCode.removed, 'Removed by the host.'); // its 'gone' announces the leave
    } else this.announceLeft(session, 'removed'); // it was lingering after a lost connection
    this.tell('removed', this.registry.removed());
    return session.member;
  }

  /** How many people the room lets in now, the host included. */
  get maxMembers(): number {
    return this.registry.maxMembers;
  }

  /**
   * Changes the room size while the room is open. Nobody present is removed when it goes below
   * the number in the room: newcomers get `room-full` (naming the new size) until enough leave.
   * Throws PortholeError('invalid-request') for a size below 2 or not a whole number.
   */
  setMaxMembers(maxMembers: number): void {
    if (maxMembers === this.registry.maxMembers) return;
    this.registry.maxMembers = atLeastTwo(maxMembers);
    roomLog.info('the room size changed', { maxMembers, present: this.registry.members().length });
  }

  /** Lets a removed name join again with the invite (a fresh hello). True if it was refused until now. */
  allow(name: string): boolean {
    const allowed = this.registry.allow(name);
    if (allowed) this.tell('removed', this.registry.removed());
    return allowed;
  }

  /** The names removed and not let back in, as they were shown. */
  removedNames(): string[] {
    return this.registry.removed();
  }

  /** Closes every connection with a close frame, then the listening socket. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const peers = [...this.pending, ...this.registry.peers()];
    // What features must say before the close frames (the files hub: `host-left` to every transfer).
    for (const feature of this.features) feature.hub?.close?.();
    this.local.leave('host-left');
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
    await this.local.stopped(); // the host's own partial files
    roomLog.info('room closed', { peers: peers.length });
    this.tell('status', { state: 'closed' });
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const address = socket.remoteAddress;
    const check = checkUpgrade(req, this.secret);
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
      const peer = new PeerConnection(ws, this.policy, this.messages, address);
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
    peer.on('chunk', (frame) => this.onBinary(peer, frame));
    peer.on('rejected', (type, ref) => {
      const connection = this.connections.get(peer);
      if (connection) this.table.hub(type)?.rejected?.(connection, type, ref);
    });
    peer.on('gone', (reason) => this.onGone(peer, reason));
  }

  private peerOf(connection: MemberConnection): PeerConnection | undefined {
    for (const [peer, c] of this.connections) if (c === connection) return peer;
    return undefined;
  }

  private onBinary(peer: PeerConnection, frame: Buffer): void {
    const connection = this.connections.get(peer);
    const owner = this.table.binary(frame);
    const hub = owner?.hub;
    if (!connection || !owner || !peer.shares(owner.spec.name) || !hub?.binary) {
      return peer.offend({ code: 'binary-not-expected', message: 'A binary frame arrived, but this connection carries none.' });
    }
    hub.binary(connection, frame);
  }

  private onMessage(peer: PeerConnection, message: PeerMessage): void {
    const session = this.registry.sessionOf(peer);
    if (message.type === 'hello') {
      if (session) return peer.offend({ code: 'already-joined', message: 'You already said hello.' });
      return this.onHello(peer, message as Hello);
    }
    const connection = this.connections.get(peer);
    if (!session || !connection) return peer.refuse({ code: 'hello-first', message: 'Send hello before anything else.' });
    this.table.hub(message.type)?.message(connection, message);
  }

  private onHello(peer: PeerConnection, hello: Hello): void {
    const outcome = this.registry.admit(peer, hello.name, hello.resume?.token);
    if (!outcome.ok) {
      roomLog.info('refused a hello', { code: outcome.error.code, address: peer.address });
      peer.sendError(outcome.error);
      // The error frame carries the sentence (with the name); the close reason stays fixed text.
      if (outcome.error.code === 'rate-limited') peer.close(CloseCode.tryLater, 'Reconnecting too often; try again later.');
      else if (outcome.error.code === 'room-full') peer.close(CloseCode.roomFull, 'The room is full.');
      else if (outcome.error.code === 'removed') peer.close(CloseCode.removed, 'Removed by the host.');
      else peer.close(CloseCode.nameTaken, 'That name is taken.');
      return;
    }
    const { session, replaced, announce, resumed, departed } = outcome;
    clearTimeout(this.lingering.get(session));
    this.lingering.delete(session);
    if (departed) this.announceLeft(departed, 'disconnected', peer); // the newcomer reads it in its welcome's history
    this.pending.delete(peer);
    const features = sharedFeatures(this.messages.names, hello.features);
    peer.markJoined(features);
    const connection = this.connectionFor(peer, session.member);
    roomLog.info(resumed ? 'a member resumed' : 'a member joined', {
      member: session.member.id,
      address: peer.address,
      features: [...features].join(' '),
      replaced: !!replaced,
    });
    if (replaced) replaced.close(CloseCode.sessionReplaced, 'You connected again from elsewhere.');
    // The newcomer learns of its own arrival from the welcome's history, so it is skipped here.
    if (announce) this.publish<JoinedEvent>({ type: 'joined', member: session.member }, peer);
    const since = this.history.since(resumed ? (hello.resume?.lastSeq ?? 0) : 0);
    const events = since.events.filter((e) => this.messages.allowed(features, e.type));
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
      ...(hello.features ? { features: [...this.messages.names], rate: { ...this.policy.rate } } : {}),
    });
    peer.send(welcome);
    for (const event of after) peer.send(event); // the rest of the history, before anything new
    // Only now may features speak to it (a guest takes nothing before its welcome). A member that
    // does not speak a feature never hears of it (a member without files is never a recipient).
    for (const feature of this.features) if (features.has(feature.spec.name)) feature.hub?.connected?.(connection);
    this.tell('members', this.registry.members());
  }

  /** How the features see one joined connection. */
  private connectionFor(peer: PeerConnection, member: Member): MemberConnection {
    const connection: MemberConnection = {
      member,
      send: (message: WireMessage) => peer.send(message),
      sendError: (error, ref) => peer.sendError(error, ref),
      offend: (error, ref) => peer.offend(error, ref),
      sendBinary: (frame, done) => peer.sendBinary(frame, done),
      frameBytes: () => peer.frameBytes(),
      bulkReady: () => peer.bulkReady(),
      whenBulkReady: (wake) => peer.whenBulkReady(wake),
      isOpen: () => peer.isOpen(),
    };
    this.connections.set(peer, connection);
    return connection;
  }

  private onGone(peer: PeerConnection, reason: LeaveReason): void {
    this.pending.delete(peer);
    const connection = this.connections.get(peer);
    this.connections.delete(peer);
    if (connection) for (const feature of this.features) feature.hub?.disconnected?.(connection);
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
    this.publish<LeftEvent>({ type: 'left', member: session.member, reason }, except);
    for (const feature of this.features) feature.hub?.left?.(session.member);
    this.tell('members', this.registry.members());
  }

  /** Numbers an event, keeps it in history, and sends it to every member that speaks its feature. */
  private publish<P extends NumberedEvent>(event: Unstamped<P>, except?: PeerConnection): P {
    const stamped = this.history.append<P>(event);
    for (const peer of this.registry.peers()) if (peer !== except) peer.send(stamped);
    this.local.event(stamped);
    this.tell('room-event', stamped, false);
    return stamped;
  }
}
