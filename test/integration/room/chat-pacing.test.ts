import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../../src-main/wire/errors';
import { CloseCode } from '../../../src-main/wire/protocol';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { chatTexts, closeAll, inviteFor, join, recordEvents, sleep, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { CliProcess } from '../../fixtures/cli-process';

afterEach(closeRawPeers);
afterEach(closeAll);

const started: CliProcess[] = [];
afterEach(() => started.splice(0).forEach((p) => p.kill()));

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} line ${i + 1}`);

test('a pasted block of 100 lines arrives whole and in order at the default rate; nobody is removed or warned', async () => {
  const host = await startHost();
  const hostSeen = recordEvents(host);
  const alice = await join(host, 'Alice');
  const bob = await join(host, 'Bob');
  const warnings: AppError[] = [];
  const statuses: SessionStatus[] = [];
  alice.on('warning', (w) => warnings.push(w));
  alice.on('status', (s) => statuses.push(s));
  const block = lines(100, 'pasted');
  for (const line of block) alice.send(line);
  await waitFor(bob, () => chatTexts(bob.seen).length >= 100, 20_000, 'Bob to read all 100 lines');
  assert.deepEqual(chatTexts(hostSeen), block);
  assert.deepEqual(chatTexts(bob.seen), block);
  assert.deepEqual(warnings, [], 'no rate-limited warning');
  assert.deepEqual(statuses, [], 'never disconnected');
  assert.deepEqual(alice.pending(), []);
  assert.equal(host.stats.offenses, 0);
});

test('the guest paces by the rate its welcome announces', async () => {
  // A slow host: 4 at once, then 4 a second. Unpaced, 20 lines would lose 15 and end the connection.
  const host = await startHost({ policy: { rate: { capacity: 4, refillPerSecond: 4 }, maxDropped: 3 } });
  const hostSeen = recordEvents(host);
  const alice = await join(host, 'Alice');
  const warnings: AppError[] = [];
  alice.on('warning', (w) => warnings.push(w));
  const block = lines(20, 'slow');
  const t0 = Date.now();
  for (const line of block) alice.send(line);
  await waitFor(host, () => chatTexts(hostSeen).length >= 20, 15_000, 'all 20 lines');
  const elapsed = Date.now() - t0;
  assert.deepEqual(chatTexts(hostSeen), block);
  assert.deepEqual(warnings, []);
  // 2 at once (half the burst, less the hello's token), then 3.6 a second: about 5 s.
  assert.ok(elapsed > 4000, `paced: ${elapsed} ms`);

  // What an unpaced client gets from the same host.
  const raw = await RawPeer.joined(host, 'Raw');
  for (const line of block) raw.send({ type: 'chat', id: `r${block.indexOf(line)}`, text: line });
  assert.equal((await raw.closed()).code, CloseCode.rateLimited);
});

test('100 lines written at once to `porthole join --json` arrive whole and in order', async () => {
  const host = await startHost();
  const hostSeen = recordEvents(host);
  const guest = await CliProcess.start(['join', inviteFor(host), '--json', '--name', 'Scripted']);
  started.push(guest);
  await guest.waitFor((e) => e.event === 'ready');
  const block = lines(100, 'scripted');
  guest.type(block.join('\n'));
  await waitFor(host, () => chatTexts(hostSeen).length >= 100, 20_000, 'all 100 lines');
  assert.deepEqual(chatTexts(hostSeen), block);
  assert.deepEqual(
    host
      .members()
      .map((m) => m.name)
      .sort(),
    ['Host', 'Scripted'],
  );
  assert.equal(host.stats.offenses, 0);
  assert.ok(
    !guest.events.some((e) => e.event === 'warning' || e.event === 'send-failed'),
    JSON.stringify(guest.events.filter((e) => e.event !== 'chat')),
  );
});

test('dropped frames are forgiven over time: a member with occasional bursts is never closed, a flood still is', async () => {
  const policy = { rate: { capacity: 5, refillPerSecond: 5 }, maxDropped: 10, droppedForgivenPerSecond: 10 };
  const host = await startHost({ policy });
  const hostSeen = recordEvents(host);
  const bursty = await RawPeer.joined(host, 'Bursty');
  // Five bursts of 10, a second apart: 5 dropped each time, 25 in all, more than maxDropped.
  for (let burst = 0; burst < 5; burst++) {
    for (let i = 0; i < 10; i++) bursty.send({ type: 'chat', id: `b${burst}-${i}`, text: `burst ${burst} line ${i}` });
    await sleep(1100);
  }
  assert.equal(bursty.ws.readyState, bursty.ws.OPEN, 'still in the room');
  assert.equal(bursty.errors().filter((c) => c === 'rate-limited').length, 5, 'told once per burst');
  assert.ok(chatTexts(hostSeen).length >= 20, 'about half of each burst was posted');
  const flood = await RawPeer.joined(host, 'Flood');
  for (let i = 0; i < 100; i++) flood.send({ type: 'chat', id: `f${i}`, text: 'flood' });
  assert.equal((await flood.closed()).code, CloseCode.rateLimited);

  // Without forgiveness, the same bursts end the connection (the rule before this change).
  const strict = await startHost({ policy: { ...policy, droppedForgivenPerSecond: 0 } });
  const victim = await RawPeer.joined(strict, 'Bursty');
  const closed = victim.closed(10_000);
  for (let burst = 0; burst < 3 && victim.ws.readyState === victim.ws.OPEN; burst++) {
    for (let i = 0; i < 10; i++) victim.send({ type: 'chat', id: `b${burst}-${i}`, text: 'x' });
    await sleep(1100);
  }
  assert.equal((await closed).code, CloseCode.rateLimited);
});
