import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../../src-main/wire/errors';
import type { PeerPolicy } from '../../../src-main/link/peer-connection';
import { CloseCode, LIMITS } from '../../../src-main/wire/protocol';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { chatTexts, closeAll, join, recordEvents, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';

afterEach(closeAll);
afterEach(closeRawPeers);

/** A room with one well-behaved guest watching for any trouble spilling over to it. */
async function roomWithBystander(policy: Partial<PeerPolicy> = {}) {
  const host = await startHost({ policy: { rate: { capacity: 100, refillPerSecond: 100 }, ...policy } });
  const alice = await join(host, 'Alice');
  const warnings: AppError[] = [];
  const statuses: SessionStatus[] = [];
  alice.on('warning', (w) => warnings.push(w));
  alice.on('status', (s) => statuses.push(s));
  const hostSeen = recordEvents(host);
  return { host, alice, hostSeen, warnings, statuses };
}

/** The host still runs and the bystander noticed nothing but chat and comings and goings. */
async function assertUnharmed({ host, alice, hostSeen, warnings, statuses }: Awaited<ReturnType<typeof roomWithBystander>>) {
  const tag = `still fine ${Math.random()}`;
  alice.send(`${tag} from alice`);
  await waitFor(host, () => chatTexts(hostSeen).includes(`${tag} from alice`), 3000, 'the host to hear alice');
  host.send(`${tag} from host`);
  await waitFor(alice, () => chatTexts(alice.seen).includes(`${tag} from host`), 3000, 'alice to hear the host');
  assert.deepEqual(warnings, [], 'the bystander got no warning or error');
  assert.deepEqual(statuses, [], 'the bystander never lost its connection');
  assert.equal(alice.state, 'connected');
  // And the host still lets people in.
  const late = await join(host, `Late ${Math.floor(Math.random() * 1e6)}`);
  assert.equal(late.state, 'connected');
}

test('malformed JSON: an error frame, counted, the connection stays', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  for (const junk of ['{', 'not json at all', '{"type":"chat",', '\u0000\u0001']) mallory.send(junk);
  await waitFor(room.host, () => room.host.stats.offenses === 4, 3000, 'offenses');
  await mallory.next(() => mallory.errors().length === 4);
  assert.deepEqual(mallory.errors(), ['bad-json', 'bad-json', 'bad-json', 'bad-json']);
  assert.equal(mallory.ws.readyState, mallory.ws.OPEN);
  await assertUnharmed(room);
});

// Changed by the extensible-protocol issue: unknown types after hello used to be offenses with an
// `unknown-type` error; now they are skipped and counted (PROTOCOL.md §4), everything else as before.
test('unknown message types are skipped and counted; a second hello, invalid fields: error frames, counted', async () => {
  const room = await roomWithBystander({ maxOffenses: 10 });
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  mallory.send({ type: 'welcome' });
  mallory.send({ type: 'admin', grant: true });
  mallory.send({ type: 'hello', name: 'Mallory again' });
  mallory.send({ type: 'chat', id: 'has spaces', text: 'hi' });
  mallory.send({ type: 'chat', id: 'm1', text: 'hi', from: { id: 'host', name: 'Host', host: true } });
  await mallory.next(() => mallory.errors().length === 3);
  assert.deepEqual(mallory.errors(), ['already-joined', 'invalid-message', 'invalid-message']);
  assert.equal(room.host.stats.offenses, 3);
  assert.equal(room.host.stats.ignoredMessages, 2);
  assert.deepEqual(chatTexts(room.hostSeen), [], 'nothing was posted');
  await assertUnharmed(room);
});

test('chat before hello: refused and closed with 4000', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.connect(room.host);
  mallory.send({ type: 'chat', id: 'm1', text: 'sneaking in' });
  const closed = await mallory.closed();
  assert.equal(closed.code, CloseCode.badHello);
  assert.deepEqual(mallory.errors(), ['hello-first']);
  assert.equal(room.host.stats.offenses, 1);
  assert.deepEqual(chatTexts(room.hostSeen), []);
  await assertUnharmed(room);
});

test('junk instead of a hello: refused and closed with 4000', async () => {
  const room = await roomWithBystander();
  for (const [junk, code] of [
    ['{', 'bad-json'],
    [JSON.stringify({ type: 'nope' }), 'unknown-type'],
    [Buffer.from('{"type":"hello","name":"Bin"}'), 'binary-not-expected'],
  ] as const) {
    const mallory = await RawPeer.connect(room.host);
    mallory.send(junk);
    assert.equal((await mallory.closed()).code, CloseCode.badHello);
    assert.deepEqual(mallory.errors(), [code]);
  }
  assert.equal(room.host.stats.offenses, 3);
  assert.equal(room.host.members().length, 2);
  await assertUnharmed(room);
});

test('a binary frame after hello: an error frame, counted', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  mallory.send(Buffer.from(JSON.stringify({ type: 'chat', id: 'm1', text: 'in binary' })));
  await mallory.next((f) => f.type === 'error');
  assert.deepEqual(mallory.errors(), ['binary-not-expected']);
  assert.equal(room.host.stats.offenses, 1);
  assert.deepEqual(chatTexts(room.hostSeen), []);
  await assertUnharmed(room);
});

test('an over-long name in the hello: refused with name-invalid and 4000, nobody joins', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.connect(room.host);
  mallory.send({ type: 'hello', name: 'M'.repeat(LIMITS.nameMaxChars + 1) });
  assert.equal((await mallory.closed()).code, CloseCode.badHello);
  assert.deepEqual(mallory.errors(), ['name-invalid']);
  assert.equal(room.host.stats.offenses, 1);
  assert.deepEqual(
    room.host
      .members()
      .map((m) => m.name)
      .sort(),
    ['Alice', 'Host'],
  );
  await assertUnharmed(room);
});

test('over-long chat text: text-invalid, nothing posted', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  mallory.send({ type: 'chat', id: 'long', text: 'x'.repeat(LIMITS.textMaxChars + 1) });
  // Just under the frame limit is still only an invalid message, not a reason to disconnect.
  const padded = JSON.stringify({ type: 'chat', id: 'big', text: '' });
  mallory.send({ type: 'chat', id: 'big', text: 'y'.repeat(LIMITS.maxFrameBytes - padded.length) });
  await mallory.next(() => mallory.errors().length === 2);
  assert.deepEqual(mallory.errors(), ['text-invalid', 'text-invalid']);
  assert.equal(mallory.ws.readyState, mallory.ws.OPEN);
  assert.equal(room.host.stats.offenses, 2);
  assert.deepEqual(chatTexts(room.hostSeen), []);
  await assertUnharmed(room);
});

test('a frame above LIMITS.maxFrameBytes closes the connection with 1009', async () => {
  const room = await roomWithBystander();
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  mallory.send({ type: 'chat', id: 'huge', text: 'z'.repeat(LIMITS.maxFrameBytes) });
  assert.equal((await mallory.closed()).code, CloseCode.frameTooLarge);
  await waitFor(room.host, () => room.host.members().length === 2, 3000, 'Mallory to be gone');
  assert.equal(room.host.stats.offenses, 1, 'counted as an offense');
  assert.deepEqual(chatTexts(room.hostSeen), []);
  // Before the hello too.
  const early = await RawPeer.connect(room.host);
  early.send(Buffer.alloc(LIMITS.maxFrameBytes + 1, 0x20).toString());
  assert.equal((await early.closed()).code, CloseCode.frameTooLarge);
  await assertUnharmed(room);
});

test('a flood: a rate-limited error frame, then close 4008; what got through is posted once', async () => {
  const room = await roomWithBystander({ rate: { capacity: 5, refillPerSecond: 1 }, maxDropped: 10 });
  const mallory = await RawPeer.joined(room.host, 'Mallory'); // the hello took one token
  for (let i = 0; i < 200; i++) mallory.send({ type: 'chat', id: `f${i}`, text: `flood ${i}` });
  const closed = await mallory.closed();
  assert.equal(closed.code, CloseCode.rateLimited);
  assert.deepEqual(mallory.errors(), ['rate-limited'], 'one warning, not one per dropped frame');
  assert.deepEqual(chatTexts(room.hostSeen), ['flood 0', 'flood 1', 'flood 2', 'flood 3']);
  await waitFor(room.host, () => room.host.members().length === 2, 3000, 'Mallory to be gone');
  await assertUnharmed(room);
});

test('repeat offenses: closed with 4003 after maxOffenses', async () => {
  const room = await roomWithBystander({ maxOffenses: 3 });
  const mallory = await RawPeer.joined(room.host, 'Mallory');
  for (let i = 0; i < 10; i++) mallory.send('{');
  const closed = await mallory.closed();
  assert.equal(closed.code, CloseCode.tooManyErrors);
  assert.deepEqual(mallory.errors(), ['bad-json', 'bad-json', 'bad-json']);
  assert.equal(room.host.stats.offenses, 3);
  await waitFor(room.host, () => room.host.members().length === 2, 3000, 'Mallory to be gone');
  const left = room.hostSeen.find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.reason, 'removed');
  await assertUnharmed(room);
});

test('all of it, one attack after another, in one room', async () => {
  const room = await roomWithBystander({ rate: { capacity: 5, refillPerSecond: 1 }, maxDropped: 10, maxOffenses: 3 });
  const attack = async (name: string, frames: Array<object | string | Buffer>) => {
    const m = await RawPeer.joined(room.host, name);
    for (const f of frames) m.send(f);
    return m;
  };
  const closeCode = (m: RawPeer) => m.closed().then((c) => c.code);
  assert.equal(await attack('M1', ['{', { type: 'nope' }, Buffer.from('bin'), '{']).then(closeCode), CloseCode.tooManyErrors);
  assert.equal(
    await attack('M2', [{ type: 'chat', id: 'big', text: 'z'.repeat(LIMITS.maxFrameBytes) }]).then(closeCode),
    CloseCode.frameTooLarge,
  );
  const flood = Array.from({ length: 100 }, (_, i) => ({ type: 'chat', id: `f${i}`, text: 'flood' }));
  assert.equal(await attack('M3', flood).then(closeCode), CloseCode.rateLimited);
  const early = await RawPeer.connect(room.host);
  early.send({ type: 'chat', id: 'x', text: 'before hello' });
  assert.equal(await closeCode(early), CloseCode.badHello);
  assert.equal(room.host.stats.offenses, 5);
  await assertUnharmed(room);
});
