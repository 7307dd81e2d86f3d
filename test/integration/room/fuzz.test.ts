import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { PortholeError, type AppError } from '../../../src-main/wire/errors';
import { decodeTextFrame } from '../../../src-main/wire/frame-decoder';
import { formatInvite } from '../../../src-main/link/invite';
import type { PeerPolicy } from '../../../src-main/link/peer-connection';
import { CloseCode, LIMITS, PROTOCOL, ROOM_PATH, welcomeSchemaFor, type Member } from '../../../src-main/wire/protocol';
import { BUILD_MESSAGES } from '../../../src-main/session/room-features';

const welcomeSchema = welcomeSchemaFor(BUILD_MESSAGES.events);
import { createRoomSecret, type RoomHost } from '../../../src-main/session/room-host';
import { RoomClient, type JoinOptions } from '../../../src-main/session/room-client';
import { chatTexts, closeAll, join, recordEvents, startHost, testIdentity, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers, roomSecret } from '../../fixtures/raw-peer';
import { removeTempDirs, tempDir } from '../../fixtures/transfer-files';
import { closesConnection, fuzzFrames, nestedTypeFrame, type FuzzFrame } from '../../fixtures/frame-fuzzer';

/*
 * "No input from a peer can throw past the handler." Seeded fuzz frames against a real host
 * (before and after hello) and against a real guest (from a hostile host). Every seed is in its
 * test's name: to replay a failure, run this file; the frame labels carry their index.
 */

/** FUZZ_SEED=<number> runs the same tests with other seeds (each test adds its own offset). */
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_0000) >>> 0;
const SEED_BEFORE_HELLO = (BASE_SEED + 1) >>> 0;
const SEED_AFTER_HELLO = (BASE_SEED + 2) >>> 0;
const SEED_GUEST = (BASE_SEED + 3) >>> 0;
const SEED_GUEST_HANDSHAKE = (BASE_SEED + 4) >>> 0;
const hex = (seed: number) => `0x${seed.toString(16)}`;

/** Frames sent before the other side must prove it has read them (a ping answered by a pong). */
const BATCH = 40;

afterEach(closeHostileHosts);
afterEach(closeFuzzPeers);
afterEach(closeRawPeers);
afterEach(closeAll);
afterEach(removeTempDirs);

/** Enough rate and offense budget that every fuzz frame of a joined peer reaches the decoder. */
const PERMISSIVE: Partial<PeerPolicy> = {
  rate: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
  transferRate: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
  maxOffenses: 1_000_000,
  maxDropped: 1_000_000,
  controlRate: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
};

// ---- host side ----------------------------------------------------------------------

test('host, before hello: the 5,000-level nested type is refused (4000), the host carries on', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.connect(room.host);
  mallory.send(nestedTypeFrame(5000));
  assert.equal((await mallory.closed()).code, CloseCode.badHello);
  assert.deepEqual(mallory.errors(), ['unknown-type']);
  assert.equal(mallory.frames[0]?.message, 'Unknown message type.');
  await assertRoomWorks(room);
});

test('host, after hello: the 5,000-level nested type is an error frame, the connection stays', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  mallory.send(nestedTypeFrame(5000));
  mallory.send(`{"type":"chat","id":"m1","text":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  await mallory.next(() => mallory.errors().length === 2);
  assert.deepEqual(mallory.errors(), ['unknown-type', 'text-invalid']);
  assert.equal(mallory.ws.readyState, mallory.ws.OPEN);
  await assertRoomWorks(room);
});

const CONNECTIONS_BEFORE_HELLO = 400;
const BURST_BEFORE_HELLO = 8;

test(`host, before hello: ${CONNECTIONS_BEFORE_HELLO} connections send ${CONNECTIONS_BEFORE_HELLO * BURST_BEFORE_HELLO} fuzz frames (seed ${hex(SEED_BEFORE_HELLO)}); a late guest sees every honest line`, async (t) => {
  const frames = fuzzFrames(SEED_BEFORE_HELLO, CONNECTIONS_BEFORE_HELLO * BURST_BEFORE_HELLO);
  const host = await startHost({ historySize: 10_000 });
  const bob = await join(host, 'Bob');
  const honest: string[] = [];
  const say = (n: number) => {
    honest.push(sent(`host line ${n}`, (text) => host.send(text)));
    honest.push(sent(`bob line ${n}`, (text) => bob.send(text)));
  };
  const closes = new Tally();
  let opened = 0;
  let refused = 0;
  let next = 0;
  const worker = async (w: number) => {
    for (let c = w; c < CONNECTIONS_BEFORE_HELLO; c += 8) {
      if (c % 40 === 0) say(c / 40);
      const burst = frames.slice(c * BURST_BEFORE_HELLO, (c + 1) * BURST_BEFORE_HELLO);
      next += burst.length;
      const peer = await FuzzPeer.open(host, sourceAddress(c)).catch(() => undefined);
      if (!peer) {
        refused += 1;
        continue;
      }
      opened += 1;
      // All at once: the host reads the first, refuses the connection, and must ignore the rest.
      for (const frame of burst) peer.ws.send(frame.data, { binary: frame.binary });
      if (await barrier(peer.ws, burst)) peer.ws.terminate(); // a valid hello got it in: leave
      closes.add(await peer.closeCode, burst);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
  say(CONNECTIONS_BEFORE_HELLO / 40);

  t.diagnostic(
    `seed ${hex(SEED_BEFORE_HELLO)}: ${next} frames sent on ${opened} connections (${refused} refused at upgrade); close codes ${closes}`,
  );
  assert.ok(opened >= CONNECTIONS_BEFORE_HELLO / 2, `most connections opened (${opened}, ${refused} refused)`);
  closes.assertNoInternalError();
  assert.ok(host.stats.offenses >= opened / 2, 'the host judged the first frame of each connection');
  await waitFor(bob, () => isSubsequence(honest, chatTexts(bob.seen)), 5000, 'Bob to see every honest line');
  const carol = await join(host, 'Carol');
  assert.equal(carol.state, 'connected');
  assert.ok(isSubsequence(honest, chatTexts(carol.seen)), 'a guest who joins afterwards sees every honest line, in order');
  assert.equal(bob.state, 'connected');
});

const FRAMES_AFTER_HELLO = 3200;
const PEERS_AFTER_HELLO = 4;

test(`host, after hello: ${PEERS_AFTER_HELLO} joined peers send ${FRAMES_AFTER_HELLO} fuzz frames (seed ${hex(SEED_AFTER_HELLO)}); an honest member hears every line`, async (t) => {
  // Each reconnect is a new member, and a dropped one lingers a while: room for them all.
  const host = await startHost({ policy: PERMISSIVE, maxMembers: 500 });
  const alice = await join(host, 'Alice', {
    backoff: { baseDelayMs: 10, maxDelayMs: 50 },
    transfers: { downloadDir: await tempDir(), autoAccept: true },
  });
  const frames = fuzzFrames(SEED_AFTER_HELLO, FRAMES_AFTER_HELLO, { memberIds: [alice.me.id, host.me.id] });
  const aliceStatus: string[] = [];
  const transfers = recordTransferStates(alice);
  alice.on('status', (s) => aliceStatus.push(s.state));
  const hostSeen = recordEvents(host);
  const honest: string[] = [];
  const closes = new Tally();
  let delivered = 0;
  let joins = 0;
  const worker = async (w: number) => {
    const mine = frames.filter((_, i) => i % PEERS_AFTER_HELLO === w);
    let at = 0;
    let batches = 0;
    while (at < mine.length) {
      const n = joins++;
      const peer = await FuzzPeer.joined(host, `Fuzzer ${n}`, sourceAddress(n));
      while (at < mine.length) {
        if (w === 0 && batches++ % 10 === 0) {
          honest.push(sent(`host line ${batches}`, (text) => host.send(text)));
          honest.push(sent(`alice line ${batches}`, (text) => alice.send(text)));
        }
        const batch = takeBatch(mine, at, 'client');
        at += batch.length;
        for (const frame of batch) peer.ws.send(frame.data, { binary: frame.binary });
        const open = await barrier(peer.ws, batch);
        delivered += batch.length;
        if (!open) {
          closes.add(await peer.closeCode, batch);
          break;
        }
      }
      peer.ws.terminate();
    }
  };
  await Promise.all(Array.from({ length: PEERS_AFTER_HELLO }, (_, w) => worker(w)));
  honest.push(sent('host line last', (text) => host.send(text)));
  honest.push(sent('alice line last', (text) => alice.send(text)));

  t.diagnostic(
    `seed ${hex(SEED_AFTER_HELLO)}: ${delivered} frames read by the host on ${joins} joined connections; offenses ${host.stats.offenses}; close codes ${closes}; Alice's transfers ${transfers}`,
  );
  closes.assertNoInternalError();
  // Only frames ws itself refuses (bad UTF-8: 1007; over the size limits: 1009) end a fuzzer's connection.
  closes.assertOnly([1007, 1009], 'a joined fuzzer with an unlimited offense budget');
  assert.ok(host.stats.offenses > FRAMES_AFTER_HELLO / 2, 'most frames were judged invalid by the host');
  await waitFor(alice, () => isSubsequence(honest, chatTexts(alice.seen)), 5000, 'Alice to hear every honest line');
  assert.ok(isSubsequence(honest, chatTexts(hostSeen)), 'the host saw every honest line, in order');
  assert.deepEqual(aliceStatus, [], 'Alice never lost her connection');
  const late = await join(host, 'Late');
  assert.equal(late.state, 'connected');
});

// ---- guest side ---------------------------------------------------------------------

test('guest: lines a host sends in the same TCP read as the welcome are all shown (the link is handed over without a gap)', async () => {
  const hostile = await startHostileHost(async (ws, session) => {
    // Corked: the welcome and the lines leave in one write, so the guest's ws emits them all in one go.
    const socket = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socket.cork();
    session.welcome();
    for (let seq = 1; seq <= 5; seq++) session.chat(seq, `line ${seq}`);
    socket.uncork();
  });
  const guest = await joinHostile(hostile, 'Alice');
  await waitFor(guest, () => chatTexts(guest.seen).length === 5, 5000, 'five lines');
  assert.deepEqual(chatTexts(guest.seen), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
});

test('guest: the 5,000-level nested type from a host is a warning, the next chat still shows', async () => {
  const hostile = await startHostileHost(async (ws, session) => {
    session.welcome();
    ws.send(nestedTypeFrame(5000));
    session.chat(1, 'after the nested type');
  });
  const guest = await joinHostile(hostile, 'Alice');
  const warnings = recordWarnings(guest);
  await waitFor(guest, () => chatTexts(guest.seen).includes('after the nested type'), 5000, 'the chat line');
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['bad-host-message'],
  );
  assert.match(warnings[0]!.message, /Unknown message type\.$/);
  assert.equal(guest.state, 'connected');

  // And in place of the welcome, during the join: a refusal with a reason, not a crash.
  const early = await startHostileHost(async (ws) => void ws.send(nestedTypeFrame(5000)));
  await assert.rejects(RoomClient.join(early.invite, { name: 'Bob', connectTimeoutMs: 3000 }), (err: unknown) => {
    assert.ok(err instanceof PortholeError);
    assert.equal(err.code, 'bad-host-message');
    return true;
  });
});

const FRAMES_GUEST = 3200;

test(`guest: a hostile host sends ${FRAMES_GUEST} fuzz frames after the welcome (seed ${hex(SEED_GUEST)}); a valid chat event afterwards still shows`, async (t) => {
  // Text that is not UTF-8 only exercises ws (1007) and a reconnect, which the host-side runs cover;
  // without it, connections last long enough for fuzzed offers and chunks to meet.
  const all = fuzzFrames(SEED_GUEST, FRAMES_GUEST, { side: 'host', memberIds: ['guest1', 'hostile'], invalidUtf8: false });
  // A valid event numbered at the very top would leave no number for the final line: the host's right, not a bug.
  const frames = all.filter((f) => (eventSeq(f) ?? 0) < Number.MAX_SAFE_INTEGER - 1);
  const lastSeq = Math.max(0, ...frames.map((f) => eventSeq(f) ?? 0));
  let at = 0;
  let delivered = 0;
  const closes = new Tally();
  let finished!: () => void;
  let failed!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => ([finished, failed] = [resolve, reject]));
  // Each connection goes on where the last one stopped: a frame ws refuses closes it and the guest reconnects.
  const hostile = await startHostileHost(async (ws, session) => {
    session.welcome();
    while (at < frames.length) {
      const batch = takeBatch(frames, at, 'host');
      at += batch.length;
      for (const frame of batch) ws.send(frame.data, { binary: frame.binary });
      const open = await barrier(ws, batch).catch((err: Error) => {
        failed(err);
        return false;
      });
      delivered += batch.length;
      if (!open) {
        closes.add(await session.closeCode, batch);
        return;
      }
    }
    session.chat(lastSeq + 1, 'after the fuzz');
    finished();
  });
  const guest = await joinHostile(hostile, 'Alice', {
    backoff: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 1000 },
    transfers: { downloadDir: await tempDir(), autoAccept: true },
  });
  const warnings = recordWarnings(guest);
  const transfers = recordTransferStates(guest);
  guest.on('status', (s) => s.state === 'closed' && failed(new Error(`the guest gave up: ${s.error?.message ?? 'closed'}`)));
  await done;
  await waitFor(guest, () => chatTexts(guest.seen).includes('after the fuzz'), 5000, 'the chat line after the fuzz');

  t.diagnostic(
    `seed ${hex(SEED_GUEST)}: ${delivered} frames read by the guest over ${hostile.sessions()} connections; ${warnings.length} warnings; close codes ${closes}; transfers ${transfers}`,
  );
  closes.assertOnly([1007, 1009], 'the guest');
  assert.equal(guest.state, 'connected');
  assert.ok(warnings.length > frames.length / 2, 'invalid frames were noticed');
  assert.ok(
    warnings.every((w) => w.message.length < 400),
    'warnings stay short',
  );
  // RoomClient's last-resort catch reports a throw with this sentence: any means a handler has a bug.
  assert.deepEqual(
    warnings.filter((w) => /could not handle/.test(w.message)),
    [],
    'no frame made a handler throw',
  );
});

const HANDSHAKES_GUEST = 150;

test(`guest: ${HANDSHAKES_GUEST} joins each get a fuzz frame instead of a welcome (seed ${hex(SEED_GUEST_HANDSHAKE)}); each join settles, none throws`, async (t) => {
  const frames = fuzzFrames(SEED_GUEST_HANDSHAKE, HANDSHAKES_GUEST, { side: 'host' });
  let n = 0;
  const hostile = await startHostileHost(async (ws) => {
    const frame = frames[n++ % frames.length]!;
    ws.send(frame.data, { binary: frame.binary });
    await barrier(ws, [frame]).catch(() => false);
    ws.close(1000);
  });
  const outcomes = new Tally();
  for (const frame of frames) {
    try {
      const guest = await RoomClient.join(hostile.invite, { name: 'Alice', connectTimeoutMs: 3000 });
      outcomes.add('joined', [frame]); // the frame was a valid welcome
      await guest.close();
    } catch (err) {
      assert.ok(err instanceof PortholeError, `${frame.label}: ${String(err)}`);
      outcomes.add(err.code, [frame]);
    }
  }
  t.diagnostic(`seed ${hex(SEED_GUEST_HANDSHAKE)}: outcomes ${outcomes}`);
  assert.ok(outcomes.count('bad-host-message') > HANDSHAKES_GUEST / 2);
});

// ---- helpers ------------------------------------------------------------------------

/** A room with a guest whose view shows whether the trouble spilled over. */
async function roomWithBystander() {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const warnings = recordWarnings(alice);
  return { host, alice, warnings, hostSeen: recordEvents(host) };
}

async function assertRoomWorks({ host, alice, warnings, hostSeen }: Awaited<ReturnType<typeof roomWithBystander>>) {
  alice.send('alice still here');
  await waitFor(host, () => chatTexts(hostSeen).includes('alice still here'), 3000, 'the host to hear Alice');
  host.send('host still here');
  await waitFor(alice, () => chatTexts(alice.seen).includes('host still here'), 3000, 'Alice to hear the host');
  assert.deepEqual(warnings, []);
  const late = await join(host, 'Late');
  assert.equal(late.state, 'connected');
}

/** A guest of the hostile host, tracked by the fixtures like any other (join() needs no RoomHost when given the invite). */
function joinHostile(hostile: HostileHost, name: string, options: Partial<JoinOptions> = {}) {
  return join(undefined as unknown as RoomHost, name, options, hostile.invite);
}

/** Offers and transfer states a member saw (auto-accepting, so fuzzed offers and chunks reach the file code). */
function recordTransferStates(session: RoomClient): Tally {
  const tally = new Tally();
  session.transfers.on('offer', () => tally.add('offer', []));
  session.transfers.on('update', (v) => tally.add(v.reason ? `${v.state}:${v.reason}` : v.state, []));
  return tally;
}

function recordWarnings(session: RoomClient): AppError[] {
  const warnings: AppError[] = [];
  session.on('warning', (w) => warnings.push(w));
  return warnings;
}

/** Sends one honest line and returns its text. */
function sent(text: string, send: (text: string) => unknown): string {
  send(text);
  return text;
}

/** Whether `wanted` appears in `seen` in the same order (other lines may come between). */
function isSubsequence(wanted: string[], seen: string[]): boolean {
  let i = 0;
  for (const line of seen) if (line === wanted[i]) i += 1;
  return i === wanted.length;
}

/** Spreads connections over loopback addresses, as many attackers would: per-address limits are not under test here. */
function sourceAddress(n: number): string {
  return `127.0.0.${2 + (n % 250)}`;
}

/** Frames from `at`, at most BATCH, ending early after one the receiver closes the connection on. */
function takeBatch(frames: FuzzFrame[], at: number, receiver: 'client' | 'host'): FuzzFrame[] {
  const batch: FuzzFrame[] = [];
  for (let i = at; i < frames.length && batch.length < BATCH; i++) {
    batch.push(frames[i]!);
    // The host reads a guest's frames (side 'client'); a guest reads the host's.
    if (closesConnection(frames[i]!, receiver)) break;
  }
  return batch;
}

/**
 * Resolves true once the other side answered a ping sent after `batch` (so it has handled every
 * frame before it), false if the connection closed instead. A silent, open connection is a hang.
 */
function barrier(ws: WebSocket, batch: FuzzFrame[]): Promise<boolean> {
  if (ws.readyState !== ws.OPEN) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const finish = (outcome: boolean | Error) => {
      clearTimeout(timer);
      ws.off('pong', onPong);
      ws.off('close', onClose);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onPong = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(new Error(`no answer after frames ${batch.map((f) => f.label).join(' | ')}`)), 10_000);
    ws.on('pong', onPong);
    ws.on('close', onClose);
    ws.ping();
  });
}

/** The seq of a frame that is a valid numbered event for a guest. */
function eventSeq(frame: FuzzFrame): number | undefined {
  if (frame.binary) return undefined;
  const decoded = decodeTextFrame<{ type: string; seq?: number }>(BUILD_MESSAGES.toMember, Buffer.from(frame.data), false);
  return decoded.ok && typeof decoded.message.seq === 'number' ? decoded.message.seq : undefined;
}

/** Counts close codes (or outcomes), keeping a few frame labels for each to show on failure. */
class Tally {
  private readonly counts = new Map<string, { n: number; examples: string[] }>();

  add(key: string | number, frames: FuzzFrame[]): void {
    const entry = this.counts.get(String(key)) ?? { n: 0, examples: [] };
    entry.n += 1;
    // The whole batch: any frame in it may be the one (before hello, only the first is read).
    if (entry.examples.length < 3 && frames.length > 0) entry.examples.push(frames.map((f) => f.label).join(' | '));
    this.counts.set(String(key), entry);
  }

  count(key: string | number): number {
    return this.counts.get(String(key))?.n ?? 0;
  }

  /** 4010: a handler threw and only the last-resort catch kept the process up. */
  assertNoInternalError(): void {
    const internal = this.counts.get('4010');
    assert.equal(internal, undefined, `a handler threw on: ${internal?.examples.join('\n')}`);
  }

  assertOnly(codes: number[], who: string): void {
    for (const [code, { examples }] of this.counts) {
      assert.ok(codes.includes(Number(code)), `${who} was closed with ${code} after: ${examples.join('\n')}`);
    }
  }

  toString(): string {
    return [...this.counts].map(([k, { n }]) => `${k}×${n}`).join(', ') || 'none';
  }
}

// ---- a raw guest from any loopback address -------------------------------------------

const fuzzPeers = new Set<FuzzPeer>();

class FuzzPeer {
  readonly closeCode: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('error', () => {});
    this.closeCode = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  static async open(host: RoomHost, localAddress: string): Promise<FuzzPeer> {
    const ws = new WebSocket(`wss://127.0.0.1:${host.port}${ROOM_PATH}`, [PROTOCOL], {
      rejectUnauthorized: false,
      headers: { Authorization: `Bearer ${roomSecret(host)}` },
      perMessageDeflate: false,
      localAddress,
      maxPayload: 1024 * 1024,
    });
    const peer = new FuzzPeer(ws);
    fuzzPeers.add(peer);
    const outcome = await Promise.race([once(ws, 'open').then(() => true), peer.closeCode.then(() => false)]);
    if (!outcome) throw new Error('the upgrade was refused');
    return peer;
  }

  static async joined(host: RoomHost, name: string, localAddress: string): Promise<FuzzPeer> {
    const peer = await FuzzPeer.open(host, localAddress);
    const welcome = new Promise<void>((resolve) =>
      peer.ws.on('message', (data, isBinary) => {
        if (!isBinary && String(data).startsWith('{"type":"welcome"')) resolve();
      }),
    );
    peer.ws.send(JSON.stringify({ type: 'hello', name }));
    await Promise.race([welcome, peer.closeCode.then((code) => Promise.reject(new Error(`closed with ${code} before the welcome`)))]);
    return peer;
  }
}

function closeFuzzPeers(): void {
  for (const peer of fuzzPeers) peer.ws.terminate();
  fuzzPeers.clear();
}

// ---- a hostile host ------------------------------------------------------------------

interface HostileSession {
  /** Sends a valid welcome for this guest. */
  welcome(): void;
  /** Sends a valid chat event from the host member. */
  chat(seq: number, text: string): void;
  readonly closeCode: Promise<number>;
}

interface HostileHost {
  invite: string;
  sessions(): number;
  close(): Promise<void>;
}

const hostileHosts = new Set<HostileHost>();

/**
 * A wss server with the test identity (so the guest's pin matches) that speaks just enough of
 * the protocol to let a guest in, then does whatever `serve` says with each connection.
 */
async function startHostileHost(serve: (ws: WebSocket, session: HostileSession) => Promise<void>): Promise<HostileHost> {
  const identity = await testIdentity();
  const server: Server = createServer({ cert: identity.certPem, key: identity.keyPem });
  const sockets = new Set<Duplex>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: () => PROTOCOL });
  const room = createRoomSecret(); // 43 base64url characters, like a room id
  const me: Member = { id: 'hostile', name: 'Hostile', host: true };
  const you: Member = { id: 'guest1', name: 'Alice', host: false };
  let sessions = 0;
  server.on('connection', (socket: Duplex) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sessions += 1;
      ws.on('error', () => {});
      const closeCode = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.once('message', () => {
        const session: HostileSession = {
          welcome: () => ws.send(JSON.stringify(welcomeSchema.parse(welcomeFor(room, me, you)))),
          chat: (seq, text) => ws.send(JSON.stringify({ type: 'chat', seq, ts: Date.now(), from: me, id: `h${seq}`, text })),
          closeCode,
        };
        void serve(ws, session);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const hostile: HostileHost = {
    invite: formatInvite({ host: '127.0.0.1', port, fingerprint: identity.fingerprint, secret: createRoomSecret() }),
    sessions: () => sessions,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
  hostileHosts.add(hostile);
  return hostile;
}

function welcomeFor(room: string, me: Member, you: Member) {
  return {
    type: 'welcome',
    protocol: PROTOCOL,
    room,
    you,
    resumeToken: createRoomSecret(),
    members: [me, you],
    history: [],
    historyGap: false,
    lastSeq: 0,
    heartbeat: { intervalMs: 60_000, timeoutMs: 60_000 },
    limits: { nameMaxChars: LIMITS.nameMaxChars, textMaxChars: LIMITS.textMaxChars, maxFrameBytes: LIMITS.maxFrameBytes },
  };
}

async function closeHostileHosts(): Promise<void> {
  const hosts = [...hostileHosts];
  hostileHosts.clear();
  await Promise.allSettled(hosts.map((h) => h.close()));
}
