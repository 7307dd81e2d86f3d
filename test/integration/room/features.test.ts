import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../../src-main/wire/errors';
import { CloseCode } from '../../../src-main/wire/protocol';
import { chatTexts, closeAll, join, sleep, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { randomFile, removeTempDirs, tempDir, waitForTransfer } from '../../fixtures/transfer-files';
import { HostProxy } from './host-proxy';

afterEach(closeRawPeers);
afterEach(closeAll);
afterEach(removeTempDirs);

/** The keys of a version-1 welcome, exactly (PROTOCOL.md §6 before features). */
const VERSION_1_WELCOME_KEYS = [
  'type',
  'protocol',
  'room',
  'you',
  'resumeToken',
  'members',
  'history',
  'historyGap',
  'lastSeq',
  'heartbeat',
  'limits',
];

test("a hello with features gets the host's features and chat rate; a hello without gets a version-1 welcome, field for field", async () => {
  const host = await startHost({ policy: { rate: { capacity: 12, refillPerSecond: 4 } } });
  const current = await RawPeer.connect(host);
  current.send({ type: 'hello', name: 'Current', features: ['chat/1', 'files/1', 'whiteboard/1'] });
  const welcome = await current.next((f) => f.type === 'welcome');
  assert.deepEqual(welcome.features, ['chat/1', 'files/1', 'files/2', 'typing/1'], 'what the host speaks');
  assert.deepEqual(welcome.rate, { capacity: 12, refillPerSecond: 4 });
  assert.equal(welcome.protocol, 'porthole.v1', 'the subprotocol stays');

  const old = await RawPeer.joined(host, 'Old');
  const oldWelcome = old.frames.find((f) => f.type === 'welcome')!;
  assert.deepEqual(Object.keys(oldWelcome).sort(), [...VERSION_1_WELCOME_KEYS].sort(), 'a version-1 guest refuses fields it does not know');
});

test("a RoomClient announces chat/1, files/1, files/2 and typing/1 and learns the host's", async () => {
  const host = await startHost();
  const proxy = await HostProxy.start(host);
  const alice = await join(host, 'Alice', {}, proxy.invite);
  const hello = JSON.parse(proxy.guestFrames[0]!) as Record<string, unknown>;
  assert.deepEqual(hello, { type: 'hello', name: 'Alice', features: ['chat/1', 'files/1', 'files/2', 'typing/1'] });
  assert.equal(alice.state, 'connected');
  await proxy.close();
});

test('unknown feature names and feature-named fields in a hello are accepted; other extra fields still refuse it', async () => {
  const host = await startHost();
  const future = await RawPeer.connect(host);
  future.send({ type: 'hello', name: 'Future', features: ['chat/1', 'files/1', 'whiteboard/2'], 'whiteboard/2': { colors: 16 } });
  await future.next((f) => f.type === 'welcome');
  const bad = await RawPeer.connect(host);
  bad.send({ type: 'hello', name: 'Bad', features: ['chat/1'], isAdmin: true });
  assert.equal((await bad.closed()).code, CloseCode.badHello);
  assert.deepEqual(bad.errors(), ['invalid-message']);
  const malformed = await RawPeer.connect(host);
  malformed.send({ type: 'hello', name: 'Malformed', features: ['CHAT'] });
  assert.equal((await malformed.closed()).code, CloseCode.badHello);
});

test('a member that announced only chat/1 never hears of files: not a recipient, no file-* frame, its own file-* skipped', async () => {
  const inbox = await tempDir();
  const host = await startHost();
  const chatOnly = await RawPeer.connect(host);
  chatOnly.send({ type: 'hello', name: 'ChatOnly', features: ['chat/1'] });
  const welcome = await chatOnly.next((f) => f.type === 'welcome');
  // Nobody else who takes files: an offer to everyone, or to it, has no recipient.
  const src = await tempDir();
  const path = await randomFile(src, 'a.bin', 1000);
  await assert.rejects(host.transfers.offer(path), /Nobody else/);
  await assert.rejects(host.transfers.offer(path, { to: (welcome.you as { id: string }).id }), /Nobody else/);
  // With a member who does take files, the offer goes to it alone.
  const alice = await join(host, 'Alice', { transfers: { downloadDir: inbox, autoAccept: true } });
  const id = await host.transfers.offer(path);
  const view = await waitForTransfer(host.transfers, (v) => v.id === id && (v.recipients?.length ?? 0) > 0, 5000);
  assert.deepEqual(
    view.recipients?.map((r) => r.member.name),
    ['Alice'],
  );
  chatOnly.send({ type: 'file-offer', ref: 'r1', name: 'x.txt', size: 1 });
  chatOnly.send({ type: 'file-offer', ref: 'r2', name: '', size: -1 }); // invalid too, and still only skipped
  chatOnly.send({ type: 'chat', id: 'c1', text: 'chat still works' });
  await chatOnly.next((f) => f.type === 'chat' && f.text === 'chat still works');
  await waitFor(alice, () => chatTexts(alice.seen).includes('chat still works'));
  assert.deepEqual(
    chatOnly.frames.filter((f) => /^files?-/.test(f.type)),
    [],
    'no file message reached it',
  );
  assert.deepEqual(chatOnly.errors(), []);
  assert.equal(host.stats.ignoredMessages, 2);
  assert.equal(host.stats.offenses, 0);
});

test('a member that announced only files/1 gets no chat (history or new), but sees who comes and goes', async () => {
  const host = await startHost();
  host.send('before the file bot');
  const bot = await RawPeer.connect(host);
  bot.send({ type: 'hello', name: 'FileBot', features: ['files/1'] });
  const welcome = await bot.next((f) => f.type === 'welcome');
  assert.deepEqual(
    (welcome.history as Array<{ type: string }>).map((e) => e.type),
    ['joined'],
  );
  const alice = await join(host, 'Alice');
  alice.send('after the file bot');
  await waitFor(alice, () => chatTexts(alice.seen).includes('after the file bot'));
  await bot.next((f) => f.type === 'joined' && (f.member as { name: string }).name === 'Alice');
  bot.send({ type: 'chat', id: 'c1', text: 'a bot that chats anyway' });
  await sleep(200);
  assert.deepEqual(
    bot.frames.filter((f) => f.type === 'chat'),
    [],
  );
  assert.deepEqual(chatTexts(alice.seen), ['before the file bot', 'after the file bot'], 'its chat was skipped, not posted');
  assert.equal(host.stats.ignoredMessages, 1);
  assert.equal(host.stats.offenses, 0);
});

test('unknown types after hello: skipped and counted, never an offense, never closed for it; still rate-limited', async () => {
  const host = await startHost({ policy: { rate: { capacity: 10, refillPerSecond: 5 }, maxOffenses: 2, maxDropped: 5 } });
  const alice = await join(host, 'Alice');
  const future = await RawPeer.joined(host, 'Future');
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 4; i++) future.send({ type: 'whiteboard-stroke', at: i });
    await sleep(1000); // 4 a second: under the rate
  }
  future.send({ type: 'chat', id: 'c1', text: 'after sixteen unknown messages' });
  await waitFor(alice, () => chatTexts(alice.seen).includes('after sixteen unknown messages'));
  assert.equal(host.stats.ignoredMessages, 16);
  assert.equal(host.stats.offenses, 0);
  assert.deepEqual(future.errors(), []);
  assert.equal(future.ws.readyState, future.ws.OPEN);
  // A flood of them is still a flood.
  for (let i = 0; i < 100; i++) future.send({ type: 'whiteboard-stroke', at: i });
  assert.equal((await future.closed()).code, CloseCode.rateLimited);
  assert.deepEqual(future.errors(), ['rate-limited']);
});

test('guest: an unknown type from the host is skipped and counted, not a warning; the next chat still shows', async () => {
  const host = await startHost();
  const proxy = await HostProxy.start(host, {
    // A newer host that also sends a message this guest does not know, and an invalid one of a known type.
    fromHost: (text) =>
      JSON.parse(text).type === 'chat'
        ? [JSON.stringify({ type: 'whiteboard-stroke', member: 'x' }), JSON.stringify({ type: 'sparkle' }), text]
        : [text],
  });
  const alice = await join(host, 'Alice', {}, proxy.invite);
  const warnings: AppError[] = [];
  alice.on('warning', (w) => warnings.push(w));
  host.send('one');
  host.send('two');
  await waitFor(alice, () => chatTexts(alice.seen).includes('two'));
  assert.deepEqual(warnings, []);
  assert.equal(alice.stats.ignoredMessages, 4);
  await proxy.close();
});

test('guest: file messages from a host whose welcome did not list files/1 are skipped, and offers are refused here without a frame', async () => {
  const host = await startHost();
  const proxy = await HostProxy.start(host, {
    fromHost: (text) => {
      const frame = JSON.parse(text) as Record<string, unknown>;
      if (frame.type === 'welcome') return [JSON.stringify({ ...frame, features: ['chat/1'] })];
      return [text];
    },
  });
  const src = await tempDir();
  const alice = await join(host, 'Alice', {}, proxy.invite);
  const path = await randomFile(src, 'a.bin', 100);
  await assert.rejects(alice.transfers.offer(path));
  // The host offers anyway (it believes the guest speaks files): the guest skips what it was not promised.
  const sending = host.transfers.offer(await randomFile(src, 'b.bin', 100)).catch(() => undefined);
  await waitFor(alice, () => alice.stats.ignoredMessages >= 1, 3000, 'the file-offered to be skipped');
  assert.deepEqual(
    alice.transfers.list().filter((v) => v.direction === 'incoming'),
    [],
  );
  assert.equal(proxy.guestFrames.filter((f) => f.includes('"file-')).length, 0, 'the guest sent no file message');
  void sending;
  await proxy.close();
});

test('a binary frame from a member that did not announce files/1 is an offense of the room’s, not a transfer’s', async () => {
  const host = await startHost();
  const chatOnly = await RawPeer.connect(host);
  chatOnly.send({ type: 'hello', name: 'ChatOnly', features: ['chat/1'] });
  await chatOnly.next((f) => f.type === 'welcome');
  chatOnly.send(Buffer.alloc(32, 1));
  const error = await chatOnly.next((f) => f.type === 'error');
  assert.deepEqual(
    { code: error.code, message: error.message },
    { code: 'binary-not-expected', message: 'A binary frame arrived, but this connection carries none.' },
  );
  assert.equal(host.stats.offenses, 1);
});
