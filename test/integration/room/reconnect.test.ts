import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../../src-main/wire/errors';
import type { RoomEvent } from '../../../src-main/session/room-session';

type ClientMessage = { type: string; id?: string; text?: string };
import type { RoomHost } from '../../../src-main/session/room-host';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { chatTexts, closeAll, inviteFor, join, recordEvents, startHost, testIdentity, waitFor } from '../../fixtures/room';
import { roomSecret } from '../../fixtures/raw-peer';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

afterEach(closeProxies);
afterEach(closeAll);

const quickBackoff = { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 50 };

/** A guest that reaches the host through a proxy, with what it sees and reports recorded. */
async function guestBehindProxy(host: RoomHost, name: string, backoff = quickBackoff) {
  const proxy = await TcpProxy.start(host.port);
  const guest = await join(host, name, { backoff, connectTimeoutMs: 1000 }, inviteFor(host, { port: proxy.port }));
  const statuses: SessionStatus[] = [];
  const warnings: AppError[] = [];
  guest.on('status', (s) => statuses.push(s));
  guest.on('warning', (w) => warnings.push(w));
  return { proxy, guest, statuses, warnings };
}

/** Every chat event's text once, in order; fails on a repeated sequence number. */
function assertEachOnce(events: RoomEvent[], who: string): void {
  const seqs = events.map((e) => e.seq);
  assert.deepEqual(
    seqs,
    [...new Set(seqs)].sort((a, b) => a - b),
    `${who} saw sequence numbers out of order or twice: ${seqs.join(',')}`,
  );
}

const count = (texts: string[], text: string) => texts.filter((t) => t === text).length;

test('a cut guest reconnects by itself and resumes: what others said meanwhile arrives, once each', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const { proxy, guest: bob, statuses, warnings } = await guestBehindProxy(host, 'Bob');
  host.send('before the cut');
  await waitFor(bob, () => chatTexts(bob.seen).includes('before the cut'));

  proxy.cutAll();
  await waitFor(bob, () => bob.state === 'reconnecting', 3000, 'bob to notice');
  const gap = ['gap 1 from host', 'gap 2 from alice', 'gap 3 from host'];
  host.send(gap[0]!);
  alice.send(gap[1]!);
  await waitFor(alice, () => chatTexts(alice.seen).includes(gap[1]!));
  host.send(gap[2]!);

  await waitFor(bob, () => bob.state === 'connected', 5000, 'bob to reconnect');
  host.send('after the reconnect');
  await waitFor(bob, () => chatTexts(bob.seen).includes('after the reconnect'), 3000, 'the live message');
  assert.deepEqual(chatTexts(bob.seen), ['before the cut', ...gap, 'after the reconnect']);
  assertEachOnce(bob.seen, 'bob');
  assert.deepEqual(
    statuses.map((s) => s.state),
    ['reconnecting', 'connected'],
  );
  assert.deepEqual(warnings, [], 'no history was missed, so no warning');
  assert.equal(bob.members().length, 3);
});

test('a message typed while disconnected is sent once reconnected, and everyone sees it once', async () => {
  const host = await startHost();
  const hostSeen = recordEvents(host);
  const alice = await join(host, 'Alice');
  const { proxy, guest: bob } = await guestBehindProxy(host, 'Bob');
  proxy.cutAll();
  await waitFor(bob, () => bob.state === 'reconnecting', 3000, 'bob to notice');
  const id = bob.send('typed while away');
  assert.deepEqual(
    bob.pending().map((m) => m.id),
    [id],
  );

  await waitFor(alice, () => chatTexts(alice.seen).includes('typed while away'), 5000, 'alice to get it');
  await waitFor(bob, () => bob.pending().length === 0, 3000, 'bob to see it confirmed');
  host.send('flush'); // anything still in flight arrives before this
  await waitFor(alice, () => chatTexts(alice.seen).includes('flush'));
  await waitFor(bob, () => chatTexts(bob.seen).includes('flush'));
  assert.equal(count(chatTexts(alice.seen), 'typed while away'), 1);
  assert.equal(count(chatTexts(bob.seen), 'typed while away'), 1);
  assert.equal(count(chatTexts(hostSeen), 'typed while away'), 1);
  const event = bob.seen.find((e) => e.type === 'chat' && e.text === 'typed while away');
  assert.equal(event?.type === 'chat' && event.id, id);
  assert.equal(event?.type === 'chat' && event.from.name, 'Bob');
});

test('a message the host got but whose echo was lost is not posted twice', async () => {
  const host = await startHost();
  const hostSeen = recordEvents(host);
  const alice = await join(host, 'Alice');
  const { proxy, guest: bob } = await guestBehindProxy(host, 'Bob');

  proxy.pause('to-guest'); // the host hears bob, bob hears nothing back
  bob.send('said once');
  await waitFor(host, () => chatTexts(hostSeen).includes('said once'), 3000, 'the host to get it');
  assert.equal(bob.pending().length, 1, 'bob has no confirmation yet');
  proxy.cutAll(); // the echo dies with the connection
  proxy.resume();
  await waitFor(bob, () => bob.state === 'reconnecting', 3000, 'bob to notice');

  await waitFor(bob, () => bob.state === 'connected' && bob.pending().length === 0, 5000, 'bob to learn it was posted');
  host.send('flush');
  await Promise.all([alice, bob].map((g) => waitFor(g, () => chatTexts(g.seen).includes('flush'))));
  assert.equal(count(chatTexts(hostSeen), 'said once'), 1);
  assert.equal(count(chatTexts(alice.seen), 'said once'), 1);
  assert.equal(count(chatTexts(bob.seen), 'said once'), 1);
  assertEachOnce(bob.seen, 'bob');
});

test('a resend of a message the host already posted is not posted again', async () => {
  // The guest's resume normally confirms the message from history; with the history too short to
  // hold it any more, the guest resends it and the host must recognize the id.
  const host = await startHost({ historySize: 2 });
  const hostSeen = recordEvents(host);
  const received = chatIdsReceived(host);
  const alice = await join(host, 'Alice');
  const { proxy, guest: bob, warnings } = await guestBehindProxy(host, 'Bob');
  proxy.pause('to-guest');
  const id = bob.send('said once');
  await waitFor(host, () => chatTexts(hostSeen).includes('said once'));
  for (let i = 1; i <= 3; i++) host.send(`pushes it out ${i}`);
  proxy.cutAll();
  proxy.resume();
  await waitFor(bob, () => bob.state === 'reconnecting', 3000, 'bob to notice');
  await waitFor(bob, () => bob.state === 'connected', 5000, 'bob to reconnect');
  host.send('flush');
  await waitFor(alice, () => chatTexts(alice.seen).includes('flush'));
  await waitFor(bob, () => chatTexts(bob.seen).includes('flush'));
  assert.deepEqual(
    received.filter((r) => r === id),
    [id, id],
    'the guest did resend it',
  );
  assert.equal(count(chatTexts(hostSeen), 'said once'), 1);
  assert.equal(count(chatTexts(alice.seen), 'said once'), 1);
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['connection-lost'],
    'bob is told some history was missed',
  );
  await waitFor(bob, () => bob.pending().length === 0, 3000, "the host's answer to the resend to confirm it was posted");
});

/** Ids of the chat messages that reach the host's room logic, resends included. */
function chatIdsReceived(host: RoomHost): string[] {
  const ids: string[] = [];
  const spied = host as unknown as { onMessage(peer: unknown, message: ClientMessage): void };
  const original = spied.onMessage.bind(host);
  spied.onMessage = (peer, message) => {
    if (message.type === 'chat' && message.id) ids.push(message.id);
    original(peer, message);
  };
  return ids;
}

test('when the host is gone for good the guest gives up after maxAttempts and reports each queued message', async () => {
  const host = await startHost();
  const { proxy, guest: bob, statuses } = await guestBehindProxy(host, 'Bob', { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 });
  const failures: Array<{ text: string; code: string }> = [];
  bob.on('send-failed', (f) => failures.push({ text: f.text, code: f.error.code }));
  await proxy.close(); // nothing listens at the invite's address any more

  await waitFor(bob, () => bob.state === 'reconnecting', 3000);
  bob.send('first');
  bob.send('second');
  await waitFor(bob, () => bob.state === 'closed', 5000, 'bob to give up');
  assert.deepEqual(
    statuses.map((s) => s.attempt ?? s.state),
    [1, 2, 3, 'closed'],
  );
  assert.equal(statuses.at(-1)?.error?.code, 'host-unreachable');
  assert.match(statuses.at(-1)?.error?.message ?? '', /after 3 tries/);
  assert.deepEqual(failures, [
    { text: 'first', code: 'host-unreachable' },
    { text: 'second', code: 'host-unreachable' },
  ]);
  assert.deepEqual(bob.pending(), []);
  assert.throws(() => bob.send('third'), { code: 'not-connected' });
});

test('host restart on the same port (same identity and secret): the guest rejoins the new room and misses nothing new', async () => {
  const identity = await testIdentity();
  const first = await startHost({ identity });
  const port = first.port;
  const secret = roomSecret(first);
  const { proxy, guest: bob, warnings } = await guestBehindProxy(first, 'Bob');
  for (let i = 1; i <= 5; i++) first.send(`old room ${i}`);
  await waitFor(bob, () => chatTexts(bob.seen).length === 5);

  // The host dies (no close frame reaches the guest) and comes back on the same port.
  proxy.pause();
  proxy.cutAll();
  await first.close();
  const second = await startHost({ identity, secret, port });
  const secondSeen = recordEvents(second);
  assert.notEqual(second.roomId, first.roomId);
  proxy.resume();
  second.send('new room 1'); // seq 1 again: lower than anything bob saw before
  await waitFor(bob, () => bob.state === 'connected' && bob.members().length === 2, 5000, 'bob to rejoin');
  second.send('new room 2');
  bob.send('bob in the new room');
  await waitFor(bob, () => chatTexts(bob.seen).includes('new room 2') && bob.pending().length === 0, 3000, 'the new messages');
  await waitFor(second, () => chatTexts(secondSeen).includes('bob in the new room'));

  assert.deepEqual(chatTexts(bob.seen), [
    'old room 1',
    'old room 2',
    'old room 3',
    'old room 4',
    'old room 5',
    'new room 1',
    'new room 2',
    'bob in the new room',
  ]);
  assert.deepEqual(
    second
      .members()
      .map((m) => m.name)
      .sort(),
    ['Bob', 'Host'],
  );
  assert.ok(!warnings.some((w) => w.code === 'bad-host-message'));
});

test('events sent right after a (re)join welcome are not lost', async () => {
  const host = await startHost();
  // Whenever someone (re)joins, the host speaks at once, in the same tick as the welcome.
  host.on('members', () => host.send(`members now ${host.members().length}`));
  const { proxy, guest: bob } = await guestBehindProxy(host, 'Bob');
  await waitFor(bob, () => chatTexts(bob.seen).includes('members now 2'), 3000, 'the message right after the first welcome');
  proxy.cutAll();
  await waitFor(bob, () => bob.state === 'reconnecting');
  await waitFor(bob, () => bob.state === 'connected', 5000);
  await waitFor(bob, () => count(chatTexts(bob.seen), 'members now 2') === 2, 3000, 'the message right after the rejoin welcome');
  host.send('flush');
  await waitFor(bob, () => chatTexts(bob.seen).includes('flush'));
  assertEachOnce(bob.seen, 'bob');
});
