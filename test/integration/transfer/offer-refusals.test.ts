import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, files1Only } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { randomFile, removeTempDirs, tempDir } from '../../fixtures/transfer-files';

// files/1 (PROTOCOL.md §9), which older peers speak: rooms that speak only it.
const { join, startHost } = files1Only;

afterEach(closeAll);
afterEach(closeRawPeers);
afterEach(removeTempDirs);

/** The frames that answer one offer, in order, as [type, code or reason]. */
const answersTo = (peer: RawPeer, ref: string) =>
  peer.frames.filter((f) => f.ref === ref).map((f) => [f.type, f.type === 'error' ? f.code : f.reason]);

test('an invalid offer is settled with file-refused (bad-data) and answered with an error, both with its ref; it is an offense', async () => {
  const host = await startHost({ policy: { maxOffenses: 10 } });
  await join(host, 'Alice', { transfers: { downloadDir: await tempDir() } });
  const mallory = await RawPeer.joined(host, 'Mallory');
  mallory.send({ type: 'file-offer', ref: 'no-name', name: '', size: 10 });
  mallory.send({ type: 'file-offer', ref: 'minus', name: 'a.txt', size: -1 });
  mallory.send({ type: 'file-offer', ref: 'long-name', name: 'n'.repeat(1025), size: 1 });
  mallory.send({ type: 'file-offer', ref: 'extra', name: 'a.txt', size: 1, path: '/etc' });
  mallory.send({ type: 'file-offer', ref: 'bad ref', name: 'a.txt', size: 1 });
  await mallory.next(() => mallory.errors().length === 5);
  for (const [ref, code] of [
    ['no-name', 'name-invalid'],
    ['minus', 'invalid-message'],
    ['long-name', 'name-invalid'],
    ['extra', 'invalid-message'],
  ]) {
    assert.deepEqual(
      answersTo(mallory, ref!),
      [
        ['file-refused', 'bad-data'],
        ['error', code],
      ],
      ref,
    );
  }
  // An offer whose ref breaks the id rule cannot be named: an error without ref, and nothing to settle.
  const last = mallory.frames.filter((f) => f.type === 'error').at(-1)!;
  assert.equal(last.ref, undefined);
  assert.equal(mallory.frames.filter((f) => f.type === 'file-refused').length, 4);
  assert.equal(host.stats.offenses, 5);
});

test('an offer over the per-sender limit gets file-refused and an error (too-many-transfers), both with its ref, and is no offense', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: await tempDir() } }); // answers nothing
  const hoarder = await RawPeer.joined(host, 'Hoarder');
  for (let i = 0; i < 16; i++) hoarder.send({ type: 'file-offer', ref: `h${i}`, name: 'x.bin', size: 1024, to: alice.me.id });
  await hoarder.next((f) => f.type === 'file-offered' && f.ref === 'h15');
  hoarder.send({ type: 'file-offer', ref: 'one-more', name: 'x.bin', size: 1024, to: alice.me.id });
  await hoarder.next((f) => f.type === 'error' && f.ref === 'one-more');
  assert.deepEqual(answersTo(hoarder, 'one-more'), [
    ['file-refused', 'too-many-transfers'],
    ['error', 'too-many-transfers'],
  ]);
  assert.equal(host.stats.offenses, 0);
  // No recipient is no fault of the offer: file-refused alone.
  const lonely = await RawPeer.joined(host, 'Lonely');
  lonely.send({ type: 'file-offer', ref: 'nobody', name: 'x.bin', size: 1, to: 'noSuchMember' });
  lonely.send({ type: 'chat', id: 'after', text: 'after the offer' });
  await lonely.next((f) => f.type === 'chat' && f.id === 'after');
  assert.deepEqual(answersTo(lonely, 'nobody'), [['file-refused', 'no-recipients']]);
});

test('a RoomClient over the limit sees each refused offer once, as a refusal, without a warning', async () => {
  const host = await startHost();
  const bob = await join(host, 'Bob', { transfers: { downloadDir: await tempDir() } }); // answers nothing
  const alice = await join(host, 'Alice');
  const warnings: string[] = [];
  alice.on('warning', (w) => warnings.push(w.code));
  const src = await tempDir();
  const path = await randomFile(src, 'f.bin', 10);
  const outcomes = await Promise.allSettled(Array.from({ length: 18 }, () => alice.transfers.offer(path, { to: bob.me.id })));
  const refused = outcomes.filter((o) => o.status === 'rejected');
  assert.equal(refused.length, 2);
  for (const r of refused) assert.match(String((r as PromiseRejectedResult).reason?.message), /Too many transfers/);
  assert.deepEqual(warnings, []);
});
