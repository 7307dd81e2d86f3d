import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { PortholeError } from '../../../src-main/wire/errors';
import { CloseCode } from '../../../src-main/wire/protocol';
import { RoomClient } from '../../../src-main/session/room-client';
import type { RoomHost } from '../../../src-main/session/room-host';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { chatTexts, closeAll, inviteFor, join, recordEvents, sleep, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers, refusedUpgrade } from '../../fixtures/raw-peer';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

afterEach(closeProxies);
afterEach(closeAll);
afterEach(closeRawPeers);
afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
});

// Other machines are played by other loopback addresses; the honest guest comes from 127.0.0.1.
const attacker = (n: number) => `127.0.0.${n + 2}`;
const sockets = new Set<Socket>();

/** A TCP connection that never says anything. */
async function idleTcp(host: RoomHost, localAddress: string): Promise<Socket> {
  const socket = tcpConnect({ host: '127.0.0.1', port: host.port, localAddress });
  sockets.add(socket);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** A TLS connection that finishes its handshake and then never sends a request. */
async function idleTls(host: RoomHost, localAddress: string): Promise<Socket> {
  const tcp = tcpConnect({ host: '127.0.0.1', port: host.port, localAddress });
  sockets.add(tcp);
  const socket = tlsConnect({ socket: tcp, rejectUnauthorized: false });
  sockets.add(socket);
  socket.on('error', () => {});
  await once(socket, 'secureConnect');
  return socket;
}

const closedSoon = (socket: Socket, ms: number) =>
  socket.destroyed
    ? Promise.resolve()
    : Promise.race([once(socket, 'close'), sleep(ms).then(() => assert.fail(`still open after ${ms} ms`))]);

test('connections that never show the secret are capped per address and dropped within seconds', async () => {
  const host = await startHost({ gate: { maxUnauthenticatedPerAddress: 3, unauthenticatedTimeoutMs: 600 } });
  const idle = [];
  for (let i = 0; i < 5; i++) idle.push(await idleTcp(host, attacker(0)));
  await Promise.all(idle.map((s) => closedSoon(s, 5000)));
  assert.equal(host.gate.stats.refusedConnections, 2, 'two over the per-address cap, refused at once');
  assert.equal(host.gate.stats.timedOut, 3, 'the three admitted, dropped when their time ran out');
});

test('an honest guest joins while attackers hold every unauthenticated connection the caps allow', async () => {
  const host = await startHost({ gate: { maxUnauthenticated: 16, maxUnauthenticatedPerAddress: 8 } });
  const held = [];
  for (let i = 0; i < 16; i++) held.push(await idleTls(host, attacker(i % 2)));
  assert.ok(
    held.every((s) => !s.destroyed),
    'the caps let all sixteen in',
  );
  const alice = await join(host, 'Alice');
  host.send('welcome, Alice');
  await waitFor(alice, () => chatTexts(alice.seen).includes('welcome, Alice'));
  assert.ok(host.gate.evicted >= 1, 'an attacker connection made room');
});

test('upgrades that never say hello hold few slots, get a momentary 503, and cannot keep a guest out', async () => {
  const host = await startHost();
  for (let a = 0; a < 8; a++) {
    for (let i = 0; i < 4; i++) await RawPeer.connect(host, { localAddress: attacker(a) }); // 32: every slot
  }
  const busy = await refusedUpgrade(host, { localAddress: attacker(0) });
  assert.equal(busy.status, 503);
  assert.equal(busy.body.code, 'room-busy');
  assert.equal(busy.headers['retry-after'], '2');
  const alice = await join(host, 'Alice');
  assert.equal(alice.state, 'connected');
  assert.ok(host.gate.evicted >= 1);
});

test('a timed-out hello frees its slot at once, even when the peer never finishes the close', async () => {
  const host = await startHost({
    gate: { maxAwaitingHelloPerAddress: 1 },
    policy: { helloTimeoutMs: 300, closeGraceMs: 800 },
  });
  const silent = await RawPeer.connect(host, { localAddress: attacker(0) });
  silent.ws.pause(); // reads nothing: the close frame stays unanswered
  const pausedAt = Date.now();
  await sleep(450);
  const next = await RawPeer.connect(host, { localAddress: attacker(0) }); // would be 503 if the slot were still held
  assert.equal(next.ws.readyState, next.ws.OPEN);
  assert.ok(Date.now() - pausedAt < 800 + 300, 'the slot came back before the close grace ended');
  silent.ws.resume();
  const closed = await silent.closed(3000);
  assert.ok([CloseCode.helloTimeout, 1006].includes(closed.code), `closed with ${closed.code}`);
});

test('a reconnecting member that meets a momentary 503 waits and comes back; it is not turned away', async () => {
  const host = await startHost({ gate: { maxAwaitingHelloPerAddress: 1 }, policy: { helloTimeoutMs: 1000 } });
  const proxy = await TcpProxy.start(host.port);
  const bob = await join(
    host,
    'Bob',
    { backoff: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 5 } },
    inviteFor(host, { port: proxy.port }),
  );
  const statuses: SessionStatus[] = [];
  bob.on('status', (s) => statuses.push(s));
  await RawPeer.connect(host); // holds 127.0.0.1's only hello slot for a second
  proxy.cutAll();
  await waitFor(bob, () => statuses.some((s) => s.error?.code === 'room-busy'), 5000, 'a 503 while reconnecting');
  await waitFor(bob, () => bob.state === 'connected', 10_000, 'bob back in the room');
  assert.equal(
    statuses.some((s) => s.state === 'closed'),
    false,
    JSON.stringify(statuses),
  );
});

test('a first join that meets a 503 says the room is busy, not full', async () => {
  const host = await startHost({ gate: { maxAwaitingHelloPerAddress: 1 } });
  await RawPeer.connect(host);
  const err = await RoomClient.join(inviteFor(host), { name: 'Carol', connectTimeoutMs: 3000 }).then(
    () => assert.fail('joined'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PortholeError && err.code === 'room-busy', String(err));
  assert.match(err.message, /busy/);
});

test('join/leave spam from one address is throttled: the room sees a few lines, not hundreds', async () => {
  const host = await startHost();
  const seen = recordEvents(host);
  let refused = 0;
  for (let i = 0; i < 100; i++) {
    try {
      const spam = await RawPeer.joined(host, `spam${i}`, { localAddress: attacker(0) });
      spam.ws.close();
      await spam.closed();
    } catch {
      refused += 1;
    }
  }
  const lines = seen.filter((e) => e.type === 'joined' || e.type === 'left').length;
  assert.ok(refused >= 70, `only ${refused} of 100 joins were refused`);
  assert.ok(lines <= 2 * 30, `${lines} join/leave lines`);
  const alice = await join(host, 'Alice'); // another address is not affected
  assert.equal(alice.state, 'connected');
});

test('a member whose link keeps dropping and resuming shows no leave/join lines while it resumes in time', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const proxy = await TcpProxy.start(host.port);
  const bob = await join(
    host,
    'Bob',
    { backoff: { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 50 } },
    inviteFor(host, { port: proxy.port }),
  );
  await waitFor(alice, () => alice.seen.some((e) => e.type === 'joined' && e.member.name === 'Bob'));
  const before = alice.seen.length;
  for (let i = 0; i < 5; i++) {
    const resumed = new Promise<void>((resolve) =>
      bob.once('status', function again(s) {
        if (s.state === 'connected') resolve();
        else bob.once('status', again);
      }),
    );
    proxy.cutAll();
    await resumed;
  }
  host.send('still here?');
  await waitFor(alice, () => chatTexts(alice.seen).includes('still here?'));
  const lines = alice.seen.slice(before).filter((e) => e.type === 'joined' || e.type === 'left');
  assert.deepEqual(lines, [], 'five quick resumes, no lines');
  assert.deepEqual(
    host.members().map((m) => m.name),
    ['Host', 'Alice', 'Bob'],
  );
});

test('a member that does not come back within the grace is announced as gone', async () => {
  const host = await startHost({ resumeGraceMs: 300 });
  const alice = await join(host, 'Alice');
  const proxy = await TcpProxy.start(host.port);
  await join(host, 'Bob', { backoff: { baseDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 1 } }, inviteFor(host, { port: proxy.port }));
  proxy.cutAll();
  await waitFor(alice, () => alice.seen.some((e) => e.type === 'left' && e.member.name === 'Bob'), 3000, 'bob announced gone');
  const left = alice.seen.find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.reason, 'disconnected');
});

test('someone rejoining afresh under the name of a member that just dropped is let in at once', async () => {
  const host = await startHost({ resumeGraceMs: 60_000 });
  const alice = await join(host, 'Alice');
  const dropped = await RawPeer.joined(host, 'Bob');
  dropped.ws.terminate(); // a killed app: no goodbye
  await waitFor(alice, () => host.members().length === 3);
  const bob = await join(host, 'Bob'); // the restarted app, with no resume token
  assert.equal(bob.state, 'connected');
  await waitFor(alice, () => alice.seen.some((e) => e.type === 'left' && e.member.name === 'Bob'), 3000, 'the old Bob gone');
  await waitFor(alice, () => alice.seen.filter((e) => e.type === 'joined' && e.member.name === 'Bob').length === 2, 3000, 'the new Bob in');
});

test('a member that resumes in a loop is slowed down with a close that says try later', async () => {
  const host = await startHost();
  const first = await RawPeer.joined(host, 'Looper');
  const welcome = await first.next((f) => f.type === 'welcome');
  const token = String(welcome.resumeToken);
  first.ws.terminate();
  let closedWith: number | undefined;
  for (let i = 0; i < 10 && closedWith === undefined; i++) {
    const peer = await RawPeer.connect(host);
    peer.send({ type: 'hello', name: 'Looper', resume: { token, lastSeq: 0 } });
    const outcome = await Promise.race([peer.next((f) => f.type === 'welcome').then(() => undefined), peer.closed()]);
    if (outcome) closedWith = outcome.code;
    else peer.ws.terminate();
  }
  assert.equal(closedWith, CloseCode.tryLater);
});

test('names and chat text that are not well-formed (lone surrogates) are refused with their codes', async () => {
  const host = await startHost();
  assert.throws(
    () => RoomClient.create(inviteFor(host), { name: 'Bob\ud800' }),
    (e: unknown) => e instanceof PortholeError && e.code === 'name-invalid',
  );
  assert.throws(
    () => host.send('broken \udc00 text'),
    (e: unknown) => e instanceof PortholeError && e.code === 'text-invalid',
  );
  const bad = await RawPeer.connect(host);
  bad.send('{"type":"hello","name":"Eve\\ud800"}');
  assert.equal((await bad.next((f) => f.type === 'error')).code, 'name-invalid');
  const mallory = await RawPeer.joined(host, 'Mallory');
  mallory.send('{"type":"chat","id":"m1","text":"hi \\udbff"}');
  const refused = await mallory.next((f) => f.type === 'error');
  assert.equal(refused.code, 'text-invalid');
  // A pair is fine: only halves without their partner are refused.
  mallory.send({ type: 'chat', id: 'm2', text: 'hi 😀' });
  await mallory.next((f) => f.type === 'chat' && f.text === 'hi 😀');
});
