import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { request } from 'node:https';
import { CloseCode } from '../../../src-main/wire/protocol';
import type { RoomHost } from '../../../src-main/session/room-host';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { closeAll, inviteFor, join, sleep, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

// Proxies first: a frozen link would otherwise hold up each guest's polite close.
afterEach(closeProxies);
afterEach(closeAll);
afterEach(closeRawPeers);

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** host.close(), failing the test if it has not resolved after `ms` (it should take far less). */
async function closeWithin(host: RoomHost, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('host.close() did not resolve')), ms);
  });
  try {
    await Promise.race([host.close(), hung]);
  } finally {
    clearTimeout(timer);
  }
}

test('host.close() closes every guest with 1001: room-closed, no reconnect attempts; then the port is closed', async () => {
  const host = await startHost();
  const port = host.port;
  const guests = [await join(host, 'Alice', { backoff: { baseDelayMs: 10 } }), await join(host, 'Bob', { backoff: { baseDelayMs: 10 } })];
  const statuses = guests.map((g) => {
    const seen: SessionStatus[] = [];
    g.on('status', (s) => seen.push(s));
    return seen;
  });
  const raw = await RawPeer.joined(host, 'Raw');
  const notYetHello = await RawPeer.connect(host);
  let hostClosed = false;
  host.on('status', (s) => (hostClosed = s.state === 'closed'));

  await closeWithin(host, 5000);
  assert.ok(hostClosed, 'the host reports its own session as closed');
  assert.equal((await raw.closed()).code, CloseCode.roomClosed);
  assert.equal((await notYetHello.closed()).code, CloseCode.roomClosed);
  for (const [i, guest] of guests.entries()) {
    await waitFor(guest, () => guest.state === 'closed', 3000, `guest ${i} closed`);
    assert.deepEqual(
      statuses[i]!.map((s) => s.state),
      ['closed'],
      'straight to closed, never reconnecting',
    );
    assert.equal(statuses[i]![0]!.error?.code, 'room-closed');
  }
  assert.ok(await portRefuses(port), 'the port is closed');
  await sleep(100);
  assert.ok(guests.every((g) => g.state === 'closed'));
  assert.throws(() => guests[0]!.send('too late'), { code: 'not-connected' });
});

test('host.close() resolves even with connections that never got anywhere', async () => {
  const host = await startHost({ closeTimeoutMs: 300 });
  const port = host.port;
  const alice = await join(host, 'Alice');
  // A bare TCP connection that never starts TLS, a TLS connection that never sends a request,
  // and a browser-like HTTPS request kept alive after its answer.
  const bare = connectTcp({ host: '127.0.0.1', port });
  bare.on('error', () => {});
  const quiet = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false });
  quiet.on('error', () => {});
  await new Promise((resolve) => quiet.once('secureConnect', resolve));
  const status = await new Promise<number>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', rejectUnauthorized: false, agent: undefined, headers: { Connection: 'keep-alive' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => {});
    req.end();
  });
  assert.equal(status, 426, 'a plain web request is told this is a Porthole room');
  // And a guest whose link froze, so it will not answer the close handshake.
  const proxy = await TcpProxy.start(port);
  const frozen = await join(host, 'Frozen', {}, inviteFor(host, { port: proxy.port }));
  proxy.pause();

  await closeWithin(host, 5000);
  assert.ok(await portRefuses(port));
  await waitFor(alice, () => alice.state === 'closed');
  assert.equal(frozen.state, 'connected', 'the frozen guest has not heard yet: its link is frozen');
  bare.destroy();
  quiet.destroy();
});

test('guest.close() tells the others it left, with reason "left"', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const bob = await join(host, 'Bob', { backoff: { baseDelayMs: 10 } });
  const bobStatuses: SessionStatus[] = [];
  bob.on('status', (s) => bobStatuses.push(s));
  await bob.close();
  await waitFor(alice, () => alice.seen.some((e) => e.type === 'left'), 3000, 'the left event');
  const left = alice.seen.find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.member.name, 'Bob');
  assert.equal(left?.type === 'left' && left.reason, 'left');
  assert.deepEqual(
    alice
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Host'],
  );
  await waitFor(host, () => host.members().length === 2);
  assert.deepEqual(
    bobStatuses.map((s) => [s.state, s.error]),
    [['closed', undefined]],
  );
  await sleep(50);
  assert.equal(bob.state, 'closed', 'no reconnect after leaving');
  // Closing twice is harmless.
  await bob.close();
});

test('a guest can leave while it is reconnecting; queued messages are reported, not sent later', async () => {
  const host = await startHost();
  const proxy = await TcpProxy.start(host.port);
  const bob = await join(host, 'Bob', { backoff: { baseDelayMs: 200, maxDelayMs: 200 } }, inviteFor(host, { port: proxy.port }));
  const failed: string[] = [];
  bob.on('send-failed', (f) => failed.push(`${f.text}: ${f.error.code}`));
  proxy.cutAll();
  await waitFor(bob, () => bob.state === 'reconnecting');
  bob.send('typed, then left');
  await bob.close();
  assert.equal(bob.state, 'closed');
  assert.deepEqual(failed, ['typed, then left: not-connected']);
  const accepted = proxy.accepted;
  await sleep(400);
  assert.equal(proxy.accepted, accepted, 'no reconnect attempt after close()');
});
