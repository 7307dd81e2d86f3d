import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomClient } from '../../../src-main/session/room-client';
import { LIMITS } from '../../../src-main/wire/protocol';
import type { RoomEvent } from '../../../src-main/session/room-session';
import { chatTexts, closeAll, inviteFor, join, recordEvents, startHost, waitFor } from '../../fixtures/room';

afterEach(closeAll);

test('several guests and the host chat, each message seen once, in the same order everywhere', async () => {
  const host = await startHost();
  const hostSeen = recordEvents(host);
  const alice = await join(host, 'Alice');
  const bob = await join(host, 'Bob');
  const carol = await join(host, 'Carol');
  const seen = [alice, bob, carol].map(recordEvents);

  alice.send('hello from alice');
  await waitFor(alice, () => chatTexts(seen[0]!).includes('hello from alice'));
  bob.send('hi alice');
  await waitFor(bob, () => chatTexts(seen[1]!).includes('hi alice'));
  host.send('welcome all');
  carol.send('carol here');

  const expected = ['hello from alice', 'hi alice', 'welcome all', 'carol here'];
  for (const [i, client] of [alice, bob, carol].entries()) {
    await waitFor(client, () => chatTexts(seen[i]!).length >= 4, 5000, `client ${i} messages`);
  }
  await waitFor(host, () => chatTexts(hostSeen).length >= 4);
  assert.deepEqual(chatTexts(hostSeen), expected);
  // Everyone sees the same order, since the host numbers every message.
  const hostOrder = chatTexts(hostSeen);
  for (const events of seen) {
    const laterThanJoin = chatTexts(events).filter((t) => hostOrder.includes(t));
    assert.deepEqual(laterThanJoin, hostOrder.slice(hostOrder.length - laterThanJoin.length));
  }
  // Sequence numbers rise strictly and timestamps are present.
  const seqs = hostSeen.map((e) => e.seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
  );
  assert.ok(hostSeen.every((e) => e.ts > 0));

  assert.deepEqual(
    host
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Bob', 'Carol', 'Host'],
  );
  await waitFor(alice, () => alice.members().length === 4);
  assert.deepEqual(
    alice
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Bob', 'Carol', 'Host'],
  );
  assert.equal(alice.members().find((m) => m.name === 'Host')?.host, true);

  await Promise.all([alice.close(), bob.close(), carol.close()]);
  await host.close();
});

test('join and leave events reach the others, and the member list follows', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const seen = recordEvents(alice);
  const bob = await join(host, 'Bob');
  await waitFor(alice, () => seen.some((e) => e.type === 'joined' && e.member.name === 'Bob'));
  assert.equal(alice.members().length, 3);
  await bob.close();
  await waitFor(alice, () => seen.some((e) => e.type === 'left' && e.member.name === 'Bob'));
  const left = seen.find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.reason, 'left');
  assert.deepEqual(
    alice
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Host'],
  );
  await alice.close();
  await host.close();
});

test('a new member receives the recent history, capped at the history size, marked as replayed', async () => {
  const host = await startHost({ historySize: 5 });
  const alice = await join(host, 'Alice');
  for (let i = 1; i <= 8; i++) host.send(`message ${i}`);
  await waitFor(alice, () => chatTexts(alice.seen).length === 8);

  const replayed: string[] = [];
  const late = RoomClient.create(inviteFor(host), { name: 'Late' });
  late.on('room-event', (e, wasReplayed) => {
    if (wasReplayed) replayed.push(e.type === 'chat' ? e.text : `${e.type} ${e.member.name}`);
  });
  const lateSeen = recordEvents(late);
  await late.connect();
  // The newest five room events: four messages and the newcomer's own arrival.
  assert.deepEqual(replayed, ['message 5', 'message 6', 'message 7', 'message 8', 'joined Late']);
  host.send('after join');
  await waitFor(late, () => chatTexts(lateSeen).includes('after join'));
  // Each message exactly once: the history, then live.
  assert.deepEqual(chatTexts(lateSeen), ['message 5', 'message 6', 'message 7', 'message 8', 'after join']);
  await Promise.all([alice.close(), late.close()]);
  await host.close();
});

test('a long history of long messages reaches a new guest whole, as history, in frames no larger than the limit', async () => {
  const host = await startHost();
  const long = (i: number) => `${i}:${'ж'.repeat(LIMITS.textMaxChars - 10)}`; // ~8 KB of UTF-8 each
  for (let i = 1; i <= LIMITS.historySize; i++) host.send(long(i));
  const guest = RoomClient.create(inviteFor(host), { name: 'Late' });
  const history: RoomEvent[] = [];
  const warnings: unknown[] = [];
  guest.on('room-event', (event, replayed) => {
    if (replayed) history.push(event);
  });
  guest.on('warning', (w) => warnings.push(w));
  await guest.connect();
  await waitFor(guest, () => history.length >= LIMITS.historySize, 10_000, 'the whole history');
  assert.deepEqual(warnings, []);
  // The newcomer's own 'joined' is the newest event, so the oldest message has left the history.
  const texts = chatTexts(history);
  assert.equal(texts.length, LIMITS.historySize - 1);
  assert.ok(
    texts.every((text, i) => text === long(i + 2)),
    'every message, whole and in order',
  );
  // After the history, new messages are live again.
  const live: RoomEvent[] = [];
  guest.on('room-event', (event, replayed) => {
    if (!replayed) live.push(event);
  });
  host.send('now');
  await waitFor(guest, () => chatTexts(live).includes('now'), 5000, 'a live message');
  await guest.close();
});
