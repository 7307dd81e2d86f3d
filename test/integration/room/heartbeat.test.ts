import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloseCode } from '../../../src-main/wire/protocol';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { chatTexts, closeAll, inviteFor, join, recordEvents, sleep, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

// Proxies first: a frozen link would otherwise hold up each guest's polite close.
afterEach(closeProxies);
afterEach(closeAll);
afterEach(closeRawPeers);

// Short, but with room for a busy CI machine: a responsive guest must never miss a 500 ms pong deadline.
const fast = { heartbeat: { intervalMs: 150, timeoutMs: 500 }, helloTimeoutMs: 1000 };
const quickBackoff = { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 30 };

test('a peer that stops answering pings is dropped, and the others hear it timed out', async () => {
  const host = await startHost({ policy: fast });
  const alice = await join(host, 'Alice');
  const silent = await RawPeer.joined(host, 'Silent', { autoPong: false });
  const closed = await silent.closed();
  assert.equal(closed.code, 1006, 'terminated, not closed politely');
  await waitFor(alice, () => alice.seen.some((e) => e.type === 'left' && e.member.name === 'Silent'), 3000, 'the left event');
  const left = alice.seen.find((e) => e.type === 'left' && e.member.name === 'Silent');
  assert.equal(left?.type === 'left' && left.reason, 'timeout');
  assert.deepEqual(
    host
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Host'],
  );
  assert.deepEqual(
    alice
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Host'],
  );
});

test('guests that answer pings stay, well past several heartbeat periods', async () => {
  const host = await startHost({ policy: fast });
  const alice = await join(host, 'Alice');
  const responsive = await RawPeer.joined(host, 'Responsive');
  const statuses: SessionStatus[] = [];
  alice.on('status', (s) => statuses.push(s));
  let pings = 0;
  responsive.ws.on('ping', () => (pings += 1));
  await waitFor(alice, () => pings >= 5, 3000, 'five pings');
  assert.deepEqual(statuses, [], 'alice never dropped');
  assert.equal(responsive.ws.readyState, responsive.ws.OPEN);
  assert.equal(host.members().length, 3);
  assert.equal(alice.seen.filter((e) => e.type === 'left').length, 0);
});

test('a connection that never says hello is closed with 4004', async () => {
  const host = await startHost({ policy: fast });
  const alice = await join(host, 'Alice');
  const mute = await RawPeer.connect(host);
  assert.equal((await mute.closed()).code, CloseCode.helloTimeout);
  assert.equal(host.members().length, 2);
  assert.deepEqual(
    alice.seen.filter((e) => e.type !== 'chat' && e.member.name !== 'Alice'),
    [],
    'never a member: no joined or left event',
  );
});

test('a guest whose host goes silent notices, reconnects once the link is back, and chats again', async () => {
  const host = await startHost({ policy: fast });
  const hostSeen = recordEvents(host);
  const proxy = await TcpProxy.start(host.port);
  const bob = await join(host, 'Bob', { backoff: quickBackoff, connectTimeoutMs: 300 }, inviteFor(host, { port: proxy.port }));
  const statuses: SessionStatus[] = [];
  bob.on('status', (s) => statuses.push(s));

  proxy.pause(); // the link freezes both ways: no close, no reset, nothing
  await waitFor(bob, () => bob.state === 'reconnecting', 3000, 'bob to notice the silence');
  // The host notices too, from the missing pongs.
  await waitFor(host, () => hostSeen.some((e) => e.type === 'left' && e.member.name === 'Bob'), 3000, 'the host to drop bob');
  const left = hostSeen.find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.reason, 'timeout');

  await sleep(400); // a reconnect attempt or two into a frozen link
  proxy.resume();
  await waitFor(bob, () => bob.state === 'connected', 5000, 'bob to reconnect');
  assert.equal(statuses[0]?.state, 'reconnecting');
  assert.equal(statuses[0]?.error?.code, 'connection-lost');
  bob.send('back again');
  await waitFor(host, () => chatTexts(hostSeen).includes('back again'), 3000, 'the host to hear bob');
  host.send('welcome back');
  await waitFor(bob, () => chatTexts(bob.seen).includes('welcome back'), 3000, 'bob to hear the host');
});

test('a guest whose host stays silent gives up instead of hanging', async () => {
  const host = await startHost({ policy: fast });
  const proxy = await TcpProxy.start(host.port);
  const bob = await join(
    host,
    'Bob',
    { backoff: { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 2 }, connectTimeoutMs: 200 },
    inviteFor(host, { port: proxy.port }),
  );
  const failed: string[] = [];
  bob.on('send-failed', (f) => failed.push(f.text));
  const attempts: number[] = [];
  bob.on('status', (s) => s.attempt && attempts.push(s.attempt));
  proxy.pause();
  await waitFor(bob, () => bob.state === 'reconnecting', 3000, 'bob to notice the silence');
  bob.send('into the void');
  await waitFor(bob, () => bob.state === 'closed', 5000, 'bob to give up');
  assert.deepEqual(attempts, [1, 2]);
  assert.deepEqual(failed, ['into the void']);
  assert.ok(proxy.accepted >= 3, 'each attempt really tried the frozen link');
});
