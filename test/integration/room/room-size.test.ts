// The room size on a real host: a room of 100 version-1 guests gets every line, in order, with the
// same numbers; a size lowered while people are in removes nobody and turns newcomers away with
// room-full (close 4002) naming it; raising it lets them in; a resuming member is no newcomer.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { PortholeError } from '../../../src-main/wire/errors';
import { CloseCode } from '../../../src-main/wire/protocol';
import type { RoomHost } from '../../../src-main/session/room-host';
import { closeAll, recordEvents, startHost, waitFor } from '../../fixtures/room';
import { closeRawPeers, RawPeer } from '../../fixtures/raw-peer';

afterEach(closeRawPeers);
afterEach(closeAll);

/** A version-1 guest from its own loopback address (each its own machine, as the admission gate counts). */
let nextAddress = 1;
const guest = (host: RoomHost, name: string) => RawPeer.joined(host, name, { localAddress: `127.0.3.${nextAddress++ % 250 || 1}` });

const chatLines = (peer: RawPeer) => peer.frames.filter((f) => f.type === 'chat');

test('a room of 100: everyone is welcomed, and every line reaches all 100 in order with the same numbers', async () => {
  const host = await startHost({ maxMembers: 101 });
  const peers: RawPeer[] = [];
  // In waves of 20, as people arrive; all at once is the bench's join storm.
  for (let wave = 0; wave < 5; wave++)
    peers.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => guest(host, `Guest ${wave * 20 + i}`)))));
  assert.equal(host.members().length, 101);
  const last = peers.at(-1)!;
  const welcome = await last.next((f) => f.type === 'welcome');
  assert.equal((welcome.members as unknown[]).length, 101, 'the newest sees everyone');

  const lines = ['one', 'two', 'three', 'four', 'five'];
  for (const [i, text] of lines.entries()) peers[i * 7]!.send({ type: 'chat', id: `line-${i}`, text });
  await Promise.all(peers.map((p) => p.next(() => chatLines(p).length === lines.length, 10_000)));
  const reference = chatLines(peers[0]!).map((f) => [f.seq, f.text]);
  assert.deepEqual(
    reference.map(([, text]) => text),
    lines,
  );
  for (const peer of peers)
    assert.deepEqual(
      chatLines(peer).map((f) => [f.seq, f.text]),
      reference,
    );
  for (const peer of peers) assert.deepEqual(peer.errors(), []);
});

test('lowering the size removes nobody; newcomers get room-full naming it, and get in once it is raised', async () => {
  const host = await startHost({ maxMembers: 6 });
  const peers = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((name) => guest(host, name)));
  const seen = recordEvents(host);
  host.setMaxMembers(3);
  assert.equal(host.maxMembers, 3);
  assert.equal(host.members().length, 5, 'all four guests stay');

  const late = await RawPeer.connect(host, { localAddress: '127.0.3.251' });
  late.send({ type: 'hello', name: 'Erin' });
  const refusal = await late.next((f) => f.type === 'error');
  assert.equal(refusal.code, 'room-full');
  assert.match(String(refusal.message), /^The room is full: it takes 3 people, the host included\. Ask the host to make room\.$/);
  assert.equal((await late.closed()).code, CloseCode.roomFull);

  // Those present still talk to everyone.
  peers[0]!.send({ type: 'chat', id: 'still-here', text: 'still here' });
  await Promise.all(peers.map((p) => p.next((f) => f.type === 'chat' && f.text === 'still here')));
  assert.deepEqual(
    seen.filter((e) => e.type === 'left' || e.type === 'joined'),
    [],
  );

  host.setMaxMembers(10);
  await guest(host, 'Erin');
  assert.equal(host.members().length, 6);
});

test('a guest whose connection dropped resumes into a room above its lowered size, unannounced', async () => {
  const host = await startHost({ maxMembers: 6, resumeGraceMs: 5_000 });
  const alice = await guest(host, 'Alice');
  const others = await Promise.all(['Bob', 'Carol'].map((name) => guest(host, name)));
  const welcome = await alice.next((f) => f.type === 'welcome');
  host.setMaxMembers(2);
  const seen = recordEvents(host);
  alice.ws.terminate();
  await waitFor(host, () => host.members().length === 4, 3000, 'the drop to be noticed (Alice lingers)');
  const back = await RawPeer.connect(host, { localAddress: '127.0.3.252' });
  back.send({ type: 'hello', name: 'Alice', resume: { token: welcome.resumeToken, lastSeq: welcome.lastSeq } });
  const again = await back.next((f) => f.type === 'welcome' || f.type === 'error');
  assert.equal(again.type, 'welcome', JSON.stringify(again));
  assert.equal((again.you as { id: string }).id, (welcome.you as { id: string }).id);
  assert.equal(host.members().length, 4);
  assert.deepEqual(
    seen.filter((e) => e.type === 'left' || e.type === 'joined'),
    [],
  );
  assert.deepEqual(
    others.flatMap((p) => p.frames.filter((f) => f.type === 'left')),
    [],
  );
});

test('a room size below 2, or not a whole number, is refused and the size stays', async () => {
  const host = await startHost({ maxMembers: 4 });
  for (const bad of [1, 0, 2.5, Number.NaN]) {
    assert.throws(
      () => host.setMaxMembers(bad),
      (err: unknown) => err instanceof PortholeError && err.code === 'invalid-request' && /from 2 to 300 people/.test(err.message),
    );
  }
  assert.equal(host.maxMembers, 4);
  await assert.rejects(startHost({ maxMembers: 1 }), (err: unknown) => err instanceof PortholeError && err.code === 'invalid-request');
});
