import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRoomSecret } from '../../../src-main/session/room-host';
import { formatInvite } from '../../../src-main/link/invite';
import { PortholeError } from '../../../src-main/wire/errors';
import { RoomClient } from '../../../src-main/session/room-client';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { WS_RECEIVER_LIMITS } from '../../../src-main/wire/ws-limits';
import { FragmentAttacker, HostileHost, type AttackOutcome } from '../../fixtures/fragment-attacker';
import { HostChild, type MemorySample } from '../../fixtures/host-child';
import { chatTexts, closeAll, recordEvents, startHost, testIdentity } from '../../fixtures/room';
import { roomSecret } from '../../fixtures/raw-peer';

const MB = 1024 * 1024;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await closeAll();
});

async function hostChild(): Promise<HostChild> {
  const host = await HostChild.start();
  cleanups.push(() => host.stop());
  return host;
}

async function guest(
  invite: string,
  name: string,
): Promise<RoomClient & { seen: ReturnType<typeof recordEvents>; statuses: SessionStatus[] }> {
  const client = RoomClient.create(invite, { name, connectTimeoutMs: 5000 });
  const seen = recordEvents(client);
  const statuses: SessionStatus[] = [];
  await client.connect();
  client.on('status', (s) => statuses.push(s));
  cleanups.push(() => client.close());
  return Object.assign(client, { seen, statuses });
}

function attackers(list: FragmentAttacker[]): FragmentAttacker[] {
  cleanups.push(() => list.forEach((a) => a.close()));
  return list;
}

async function eventually(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const grewBy = (from: MemorySample, to: MemorySample, key: keyof MemorySample) => (to[key] - from[key]) / MB;
const describe = (m: MemorySample) =>
  `rss ${(m.rss / MB).toFixed(1)} MB, heap ${(m.heapUsed / MB).toFixed(1)} MB, arrayBuffers ${(m.arrayBuffers / MB).toFixed(1)} MB`;

/** Every fragment left in a TLS record of its own (plus one record for the message's start). */
function assertOneRecordPerFragment(outcome: AttackOutcome): void {
  assert.equal(outcome.records, outcome.fragmentsSent + 1, 'each fragment travelled in its own TLS record');
}

// The reviewed attack: ~16 KB records, each 120 unsolicited pongs and a one-byte fragment. Without
// limits every fragment pins its record: this plan is ~64 MB per connection, ~380 MB for six.
const FLOOD = { fragments: 4096, pongsPerFragment: 120, pongBytes: 125, timeoutMs: 8000 };

test('a fragment flood from six connections (three joined, three before hello) is cut off; the host stays small and the room chats on', async (t) => {
  const host = await hostChild();
  const alice = await guest(host.invite, 'Alice');
  const baseline = await host.memory();

  const target = { port: host.port, secret: host.secret };
  const mallory = attackers([]);
  for (let i = 0; i < 3; i++) mallory.push(await FragmentAttacker.joined(target, `Mallory ${i}`));
  // At most a few connections per address may wait for hello; three is within that.
  for (let i = 0; i < 3; i++) mallory.push(await FragmentAttacker.connect(target));

  const attacks = Promise.all(mallory.map((a) => a.attack(FLOOD)));
  alice.send('said during the attack');
  const outcomes = await attacks;
  // The attackers' sockets are still open: whatever the host kept for them is still held here.
  const during = await host.memory();

  const diagnosis = `baseline ${describe(baseline)}; during ${describe(during)}`;
  t.diagnostic(`host memory: ${diagnosis}; fragments sent ${outcomes.map((o) => o.fragmentsSent).join(', ')}`);
  assert.ok(grewBy(baseline, during, 'arrayBuffers') < 16, `buffers held for the attackers stay small: ${diagnosis}`);
  assert.ok(grewBy(baseline, during, 'rss') < 64, `the host's memory stays near its baseline: ${diagnosis}`);
  for (const outcome of outcomes) {
    assert.equal(
      outcome.ended,
      'host-closed',
      `the host closed the connection before ${FLOOD.fragments} fragments: ${JSON.stringify(outcome)}`,
    );
    assert.ok(outcome.fragmentsSent < FLOOD.fragments);
    assertOneRecordPerFragment(outcome);
  }

  for (const attacker of mallory) attacker.close();
  await eventually(() => mallory.every((a) => a.isGone()), 'the attackers to be gone');
  const after = await host.memory();
  const afterDiagnosis = `baseline ${describe(baseline)}; after ${describe(after)}`;
  t.diagnostic(`host memory once the attackers left: ${describe(after)}`);
  assert.ok(grewBy(baseline, after, 'arrayBuffers') < 4, `buffers are released once the attackers left: ${afterDiagnosis}`);
  assert.ok(grewBy(baseline, after, 'heapUsed') < 16, `the heap is back near its baseline: ${afterDiagnosis}`);
  assert.ok(grewBy(baseline, after, 'rss') < 64, `the host's memory stays near its baseline: ${afterDiagnosis}`);

  // The honest guest never noticed, and a newcomer still gets in and chats with everyone.
  await eventually(
    () => host.chat.some((c) => c.from === 'Alice' && c.text === 'said during the attack'),
    "the host to hear Alice's message",
  );
  const bob = await guest(host.invite, 'Bob');
  host.say('welcome back to calm');
  bob.send('hi from Bob');
  await eventually(
    () => chatTexts(alice.seen).includes('welcome back to calm') && chatTexts(alice.seen).includes('hi from Bob'),
    'Alice to hear the host and Bob',
  );
  await eventually(() => chatTexts(bob.seen).includes('welcome back to calm'), 'Bob to hear the host');
  await eventually(() => host.chat.some((c) => c.from === 'Bob' && c.text === 'hi from Bob'), 'the host to hear Bob');
  assert.deepEqual(alice.statuses, [], 'Alice never lost her connection');
  assert.equal(alice.state, 'connected');
});

test(`the host refuses a message in more than ${WS_RECEIVER_LIMITS.maxFragments} fragments with 1008, before and after hello`, async () => {
  const host = await startHost();
  const target = { port: host.port, secret: roomSecret(host) };
  const [early, member] = attackers([await FragmentAttacker.connect(target), await FragmentAttacker.joined(target, 'Mallory')]);
  // No padding: this is about the fragment count alone, whatever else limits pongs.
  const plan = { fragments: 4096, pongsPerFragment: 0, timeoutMs: 4000 };
  for (const attacker of [early!, member!]) {
    const outcome = await attacker.attack(plan);
    assert.equal(outcome.ended, 'host-closed', JSON.stringify(outcome));
    assert.equal(outcome.close?.code, 1008, `closed as a policy violation: ${JSON.stringify(outcome)}`);
    assertOneRecordPerFragment(outcome);
  }
});

test(`the host refuses a frame trickled in more than ${WS_RECEIVER_LIMITS.maxBufferedChunks} TLS records with 1008`, async () => {
  const host = await startHost();
  const target = { port: host.port, secret: roomSecret(host) };
  const [member] = attackers([await FragmentAttacker.joined(target, 'Mallory')]);
  // A text frame that announces 200,000 bytes (under maxPayload) and sends them one per record.
  const outcome = await member!.trickle({ declaredBytes: 200_000, records: 8192, timeoutMs: 4000 });
  assert.equal(outcome.ended, 'host-closed', JSON.stringify(outcome));
  assert.equal(outcome.close?.code, 1008, `closed as a policy violation: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.records, outcome.fragmentsSent + 1, 'each byte travelled in its own TLS record');
});

test('a guest drops a hostile host that answers with an endless message in tiny fragments', async () => {
  const identity = await testIdentity();
  const hostile = await HostileHost.start(identity, { fragments: 4096, pongsPerFragment: 120, timeoutMs: 5000 });
  cleanups.push(() => hostile.close());
  const invite = formatInvite({ host: '127.0.0.1', port: hostile.port, fingerprint: identity.fingerprint, secret: createRoomSecret() });

  const joining = RoomClient.join(invite, { name: 'Alice', connectTimeoutMs: 5000 });
  await assert.rejects(joining, (err: unknown) => {
    assert.ok(err instanceof PortholeError);
    assert.equal(err.code, 'connection-lost');
    assert.match(err.message, /fragments/, 'the guest gave up because of the fragments, not a timeout');
    return true;
  });
  const report = await hostile.reports[0]!;
  assert.ok(report.hungUp, 'the guest hung up');
  assert.ok(report.fragmentsSent < 4096, `the guest hung up before the host ran out of fragments: ${JSON.stringify(report)}`);
  if (report.close) assert.equal(report.close.code, 1008);
});
