// "Who is typing" (typing/1), the feature that proves the shape of docs/ARCHITECTURE.md: it plugs
// into the room like chat and files, through real rooms on loopback.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Member } from '../../../src-main/wire/protocol';
import { closeAll, join, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';

afterEach(closeRawPeers);
afterEach(closeAll);

/** The names a member side reports as typing, after each change. */
function typingSeen(session: { sides: { typing: { on(e: 'typing', l: (m: Member[]) => void): unknown } } }): string[][] {
  const seen: string[][] = [];
  session.sides.typing.on('typing', (members) => seen.push(members.map((m) => m.name)));
  return seen;
}

test('a member typing is shown to everyone else, the host included, and gone once the line arrives', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const bob = await join(host, 'Bob');
  const atHost = typingSeen(host);
  const atAlice = typingSeen(alice);
  const atBob = typingSeen(bob);
  bob.sides.typing.set(true);
  await waitFor(alice, () => atAlice.length === 1, 3000, 'Alice sees Bob typing');
  await waitFor(host, () => atHost.length === 1, 3000, 'the host sees Bob typing');
  assert.deepEqual(atAlice, [['Bob']]);
  assert.deepEqual(atHost, [['Bob']]);
  bob.send('here it is');
  await waitFor(alice, () => atAlice.length === 2, 3000, 'the line clears it');
  assert.deepEqual(atAlice.at(-1), []);
  assert.deepEqual(atBob, [], 'nobody is told of their own typing');
});

test('typing is said at most every few seconds however often the box changes, and stopping is said once', async () => {
  const host = await startHost();
  const watcher = await RawPeer.connect(host);
  watcher.send({ type: 'hello', name: 'Watcher', features: ['chat/1', 'typing/1'] });
  await watcher.next((f) => f.type === 'welcome');
  const bob = await join(host, 'Bob');
  for (let i = 0; i < 50; i++) bob.sides.typing.set(true);
  bob.sides.typing.set(false);
  bob.sides.typing.set(false);
  await watcher.next((f) => f.type === 'typing' && f.active === false);
  const notices = watcher.frames.filter((f) => f.type === 'typing');
  assert.deepEqual(notices, [
    { type: 'typing', member: bob.me.id, active: true },
    { type: 'typing', member: bob.me.id, active: false },
  ]);
});

test('a member who leaves while typing is cleared for the others at once', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const bob = await join(host, 'Bob');
  const atAlice = typingSeen(alice);
  bob.sides.typing.set(true);
  await waitFor(alice, () => atAlice.length === 1, 3000, 'Alice sees Bob typing');
  await bob.close();
  await waitFor(alice, () => atAlice.length === 2, 3000, 'cleared when Bob left');
  assert.deepEqual(atAlice.at(-1), []);
});

test('a member that does not speak typing/1 (a version-1 guest) never hears of it, and its typing frames are skipped', async () => {
  const host = await startHost();
  const old = await RawPeer.joined(host, 'Old'); // a version-1 hello: chat/1 and files/1
  const bob = await join(host, 'Bob');
  const atBob = typingSeen(bob);
  bob.sides.typing.set(true);
  bob.send('after typing');
  await old.next((f) => f.type === 'chat' && f.text === 'after typing');
  assert.equal(old.frames.filter((f) => f.type === 'typing').length, 0);
  old.send({ type: 'typing', active: true });
  old.send({ type: 'chat', id: 'c1', text: 'still here' });
  await waitFor(bob, () => bob.seen.some((e) => e.type === 'chat' && e.text === 'still here'));
  assert.deepEqual(atBob, [], 'a typing frame from a member that did not announce typing/1 is ignored');
  assert.equal(host.stats.offenses, 0);
  assert.equal(host.stats.ignoredMessages, 1);
});

test('a bad typing frame is an offense answered with an error; the room goes on', async () => {
  const host = await startHost();
  const peer = await RawPeer.connect(host);
  peer.send({ type: 'hello', name: 'Odd', features: ['typing/1'] });
  await peer.next((f) => f.type === 'welcome');
  peer.send({ type: 'typing', active: 'very' });
  await peer.next((f) => f.type === 'error');
  assert.deepEqual(peer.errors(), ['invalid-message']);
  assert.equal(host.stats.offenses, 1);
});
