// files/2 (issue 12) with real rooms: who gets an offer and when — a member who joins after it,
// chosen people only, a stalled recipient beside fast ones, nobody accepting — and a bundle whose
// relative paths are hostile, sent by a hand-made peer, landing safely in one folder.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join as joinPath, relative } from 'node:path';
import { closeAll, join, startHost } from '../../fixtures/room';
import { RawPeer, closeRawPeers, type RawFrame } from '../../fixtures/raw-peer';
import { isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';
import { FRAME_HEADER_BYTES, KIND_DATA, sumFrame, writeFrameHeader } from '../../../src-main/features/files/v2/files2-frames';
import { encodeManifest } from '../../../src-main/features/files/v2/manifest';

afterEach(closeAll);
afterEach(closeRawPeers);
afterEach(removeTempDirs);

const MB = 1024 * 1024;

test('a member who joins after the offer sees it and accepts it while the sender is there', async () => {
  const [src, carlDir] = await Promise.all([tempDir(), tempDir()]);
  const path = await randomFile(src, 'notes.bin', 2 * MB);
  const host = await startHost();
  const ann = await join(host, 'Ann', { transfers: { downloadDir: await tempDir(), autoAccept: true } });
  const id = await host.transfers.offer([path]);
  await waitForTransfer(ann.transfers, (v) => v.id === id && v.state === 'done', 20_000);
  const carl = await join(host, 'Carl', { transfers: { downloadDir: carlDir } });
  const offered = await waitForTransfer(carl.transfers, (v) => v.id === id && v.state === 'offered', 10_000, 'the offer at Carl');
  assert.equal(offered.from?.name, 'Host');
  await carl.transfers.accept(id);
  const got = await waitForTransfer(carl.transfers, (v) => v.id === id && isFinal(v), 20_000);
  assert.equal(got.state, 'done', got.message);
  assert.equal(await sha256File(got.savedPath!), await sha256File(path));
  const sent = host.transfers.list().find((v) => v.id === id)!;
  assert.deepEqual(sent.recipients?.map((r) => [r.member.name, r.state]).sort(), [
    ['Ann', 'done'],
    ['Carl', 'done'],
  ]);
});

test('an offer to chosen people reaches only them', async () => {
  const src = await tempDir();
  const path = await randomFile(src, 'for-bob.bin', 100_000);
  const host = await startHost();
  const ann = await join(host, 'Ann', { transfers: { downloadDir: await tempDir(), autoAccept: true } });
  const bob = await join(host, 'Bob', { transfers: { downloadDir: await tempDir(), autoAccept: true } });
  const id = await host.transfers.offer([path], { to: [bob.me.id] });
  const got = await waitForTransfer(bob.transfers, (v) => v.id === id && isFinal(v), 20_000);
  assert.equal(got.state, 'done');
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 10_000, 'closed once Bob has it');
  assert.equal(sent.state, 'done');
  assert.deepEqual(
    sent.to?.map((p) => p.name),
    ['Bob'],
  );
  assert.equal(
    ann.transfers.list().find((v) => v.id === id),
    undefined,
    'Ann never heard of it',
  );
});

test('a stalled recipient beside two fast ones: the fast ones finish, the stalled one is only slow for itself', async () => {
  const src = await tempDir();
  const size = 40 * MB;
  const path = await randomFile(src, 'shared.bin', size);
  const host = await startHost({ transfers: { policy2: { lagSplitMs: 300 } } });
  const fast = await Promise.all(
    ['Ann', 'Bob'].map(async (name) => join(host, name, { transfers: { downloadDir: await tempDir(), autoAccept: true } })),
  );
  const stuck = await RawPeer.joined(host, 'Stuck', { features: ['chat/1', 'files/2'] });
  const id = await host.transfers.offer([path]);
  await stuck.next((f) => f.type === 'files-offered');
  stuck.send({ type: 'files-accept', offer: Number(id), from: 0 }); // …and never acks
  for (const guest of fast) {
    const got = await waitForTransfer(guest.transfers, (v) => v.id === id && isFinal(v), 60_000, `the file at ${guest.me.name}`);
    assert.equal(got.state, 'done', got.message);
    assert.equal(await sha256File(got.savedPath!), await sha256File(path));
  }
  const sent = host.transfers.list().find((v) => v.id === id)!;
  const stuckView = sent.recipients?.find((r) => r.member.name === 'Stuck');
  assert.ok(stuckView && stuckView.state !== 'done', JSON.stringify(stuckView));
});

test('an offer nobody accepts ends for the sender with a reason', async () => {
  const src = await tempDir();
  const path = await randomFile(src, 'unwanted.bin', 1000);
  const host = await startHost({ transfers: { policy2: { openMs: 400 } } });
  await join(host, 'Ann', { transfers: { downloadDir: await tempDir() } });
  const id = await host.transfers.offer([path]);
  const ended = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 10_000);
  assert.equal(ended.reason, 'no-answer');
  assert.match(ended.message ?? '', /answer/i);
});

const HOSTILE = [
  '../../escape.txt',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  'a\\..\\..\\b.txt',
  './ok/./fine.txt',
  'CON/aux.txt',
  'invoice\u202Efdp.exe',
  'zero\u200Bwidth.txt',
  'Same.txt',
  'same.txt',
];

test('a bundle with hostile relative paths from a hand-made sender lands inside one new folder, every file intact', async () => {
  const annDir = await tempDir();
  const host = await startHost();
  const ann = await join(host, 'Ann', { transfers: { downloadDir: annDir, autoAccept: true } });
  const mallory = await RawPeer.joined(host, 'Mallory', { features: ['chat/1', 'files/2'] });
  const bodies = HOSTILE.map((_, i) => randomBytes(1000 + i));
  const manifest = encodeManifest({
    files: HOSTILE.map((path, i) => ({ path, size: bodies[i]!.length })),
    folders: ['../outside-folder', 'kept/empty'],
  });
  const bytes = bodies.reduce((n, b) => n + b.length, 0);
  mallory.send({
    type: 'files-offer',
    ref: 'evil',
    key: randomBytes(16).toString('base64url').slice(0, 22),
    name: '../Holiday',
    files: HOSTILE.length,
    bytes,
    manifest: manifest.length,
    to: [ann.me.id],
  });
  const stream = (await mallory.next((f: RawFrame) => f.type === 'files-stream', 10_000)).stream as number;
  await mallory.next((f) => f.type === 'files-credit');
  const data = Buffer.concat([manifest, ...bodies]);
  const frame = (kind: number, position: number, payload: Buffer) =>
    writeFrameHeader(Buffer.concat([Buffer.alloc(FRAME_HEADER_BYTES), payload]), kind as 2, stream, position);
  mallory.send(frame(KIND_DATA, 0, data));
  const digest = (b: Buffer) => createHash('sha256').update(b).digest();
  mallory.send(sumFrame(stream, 0, digest(manifest)));
  for (const [i, body] of bodies.entries()) mallory.send(sumFrame(stream, i + 1, digest(body)));
  const got = await waitForTransfer(ann.transfers, (v) => v.direction === 'incoming' && isFinal(v), 20_000);
  assert.equal(got.state, 'done', got.message);
  const top = (await readdir(annDir)).filter((n) => !n.startsWith('.'));
  assert.equal(top.length, 1, `one folder: ${top}`);
  const root = await realpath(joinPath(annDir, top[0]!));
  assert.equal(got.savedPath && (await realpath(got.savedPath)), root);
  const found: Buffer[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = joinPath(dir, e.name);
      assert.ok(!relative(root, p).startsWith('..'), `${p} is inside`);
      assert.doesNotMatch(e.name, /[\u202E\u200B]/);
      if (e.isDirectory()) await walk(p);
      else found.push(await readFile(p));
    }
  };
  await walk(root);
  assert.equal(found.length, HOSTILE.length, 'every file kept, none overwritten');
  for (const body of bodies) assert.ok(found.some((f) => f.equals(body)));
  assert.ok((await readdir(joinPath(root, 'kept'))).includes('empty'), 'empty folders are kept');
});
