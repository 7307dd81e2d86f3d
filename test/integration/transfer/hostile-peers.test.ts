import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, realpath } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { CHUNK_HEADER_BYTES, writeChunkHeader } from '../../../src-main/features/files/chunk-frame';
import { closeAll, files1Only } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { filesIn, isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

// files/1 (PROTOCOL.md §9), which older peers speak: rooms that speak only it.
const { join, startHost } = files1Only;

afterEach(closeAll);
afterEach(closeRawPeers);
afterEach(removeTempDirs);

/** Sends one small file the hand-made way: offer, wait for credit, chunk, end with `sha256`. */
async function rawSend(peer: RawPeer, to: string, ref: string, name: string, body: Buffer, sha256?: string): Promise<void> {
  peer.send({ type: 'file-offer', ref, name, size: body.length, to });
  const offered = await peer.next((f) => f.type === 'file-offered' && f.ref === ref);
  const transfer = offered.transfer as number;
  await peer.next((f) => f.type === 'file-credit' && f.transfer === transfer, 5000);
  if (body.length > 0) peer.send(writeChunkHeader(Buffer.concat([Buffer.alloc(CHUNK_HEADER_BYTES), body]), transfer, 0));
  peer.send({ type: 'file-end', transfer, sha256: sha256 ?? createHash('sha256').update(body).digest('hex') });
}

const HOSTILE_NAMES = [
  '../../../../etc/passwd',
  '/etc/shadow',
  'C:\\Windows\\System32\\evil.dll',
  '\\\\server\\share\\payload.txt',
  '..',
  '.',
  '   ',
  'CON',
  'con.txt',
  'NUL.tar.gz',
  'LPT1',
  'invoice\u202Efdp.exe',
  'zero\u200Bwidth\u2060joined\uFEFF.txt',
  'ctrl\u0001\u001b[31mred\u0007.txt',
  `${'x'.repeat(300)}.txt`,
  `${'é'.repeat(250)}.png`,
  '.bashrc',
  'trailing dots...',
];

test('every hostile name lands as a safe name inside the download folder, and nothing else', async () => {
  const aliceDir = await tempDir();
  const host = await startHost();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const mallory = await RawPeer.joined(host, 'Mallory');
  for (const [i, name] of HOSTILE_NAMES.entries()) await rawSend(mallory, alice.me.id, `r${i}`, name, Buffer.from(`body ${i}`));
  await waitForTransfer(alice.transfers, () => alice.transfers.list().filter(isFinal).length === HOSTILE_NAMES.length, 10_000);
  const views = alice.transfers.list();
  assert.ok(
    views.every((v) => v.state === 'done'),
    JSON.stringify(views.map((v) => [v.fileName, v.state, v.reason])),
  );
  const names = await readdir(aliceDir);
  assert.equal(names.length, HOSTILE_NAMES.length);
  const realDir = await realpath(aliceDir);
  for (const name of names) {
    assert.doesNotMatch(name, /[/\\\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u, name);
    assert.ok(!name.startsWith('.') && name.trim() === name && name.length > 0, name);
    assert.ok(Buffer.byteLength(name) <= 255, name);
    assert.doesNotMatch(name.split('.')[0]!, /^(con|prn|aux|nul|com\d|lpt\d)$/i, name);
    assert.equal(await realpath(joinPath(aliceDir, name)), joinPath(realDir, name));
  }
  assert.ok(
    names.some((n) => n.endsWith('.txt') && n.startsWith('xxxx')),
    'a cut long name keeps its extension',
  );
  assert.ok(
    names.some((n) => n.endsWith('.png')),
    'a cut multibyte name keeps its extension',
  );
  assert.ok(names.includes('invoicefdp.exe'), 'the right-to-left override is gone, so the real extension shows');
});

test('a file whose bytes do not match the sender’s SHA-256 is an error, not a saved file', async () => {
  const aliceDir = await tempDir();
  const host = await startHost();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const mallory = await RawPeer.joined(host, 'Mallory');
  await rawSend(mallory, alice.me.id, 'bad', 'photo.jpg', Buffer.from('not what was promised'), 'ab'.repeat(32));
  const got = await waitForTransfer(alice.transfers, isFinal);
  assert.deepEqual([got.state, got.reason], ['failed', 'hash-mismatch']);
  assert.match(got.message ?? '', /checksum/);
  assert.deepEqual(await filesIn(aliceDir), []);
  const told = await mallory.next((f) => f.type === 'file-cancelled');
  assert.equal(told.reason, 'hash-mismatch');
});

test('a recipient that stops reading is dropped after the stall timeout; the others finish', async () => {
  const [aliceDir, src] = await Promise.all([tempDir(), tempDir()]);
  const host = await startHost({ transfers: { policy: { stallTimeoutMs: 2000 } } });
  await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const stuck = await RawPeer.joined(host, 'Stuck');
  const path = await randomFile(src, 'big.bin', 40 * 1024 * 1024);
  const sending = host.transfers.offer(path);
  const offered = await stuck.next((f) => f.type === 'file-offered');
  stuck.send({ type: 'file-answer', transfer: offered.transfer, accept: true }); // …and never acks
  const id = await sending;
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 20_000);
  assert.equal(sent.state, 'done', JSON.stringify(sent));
  const byName = Object.fromEntries(sent.recipients!.map((r) => [r.member.name, [r.state, r.reason]]));
  assert.deepEqual(byName, { Alice: ['done', undefined], Stuck: ['ended', 'stalled'] });
  assert.equal((await stuck.next((f) => f.type === 'file-cancelled')).reason, 'stalled');
  assert.equal(await sha256File(`${aliceDir}/big.bin`), await sha256File(path));
});

test('a recipient that acks without reading cannot make the host hold the file for it', async () => {
  const [aliceDir, src] = await Promise.all([tempDir(), tempDir()]);
  const host = await startHost({ transfers: { policy: { stallTimeoutMs: 2000 } } });
  await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const mallory = await RawPeer.joined(host, 'Mallory');
  const path = await randomFile(src, 'big.bin', 64 * 1024 * 1024);
  const sending = host.transfers.offer(path);
  const offered = await mallory.next((f) => f.type === 'file-offered');
  mallory.ws.pause(); // reads nothing from now on…
  mallory.send({ type: 'file-answer', transfer: offered.transfer, accept: true });
  // …but acks as if it had, a MiB at a time and slower than the file moves, so that no ack
  // runs ahead of what the host has received: only what was really sent to it gives it away.
  const id = await sending;
  for (let mib = 1; mib <= 64 && mallory.ws.readyState === mallory.ws.OPEN; mib++) {
    await new Promise((r) => setTimeout(r, 40));
    mallory.send({ type: 'file-ack', transfer: offered.transfer, bytes: mib * 1024 * 1024 });
  }
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 30_000);
  const byName = Object.fromEntries(sent.recipients!.map((r) => [r.member.name, r.state]));
  assert.deepEqual(byName, { Alice: 'done', Mallory: 'ended' });
  assert.ok(host.stats.offenses > 0, 'acks for bytes never sent count as offenses');
  assert.equal(await sha256File(`${aliceDir}/big.bin`), await sha256File(path));
});

test('chunks outside a member’s own started transfer are offenses, and the room goes on', async () => {
  const host = await startHost();
  const mallory = await RawPeer.joined(host, 'Mallory');
  mallory.send(writeChunkHeader(Buffer.alloc(CHUNK_HEADER_BYTES + 10), 77, 0));
  await mallory.next((f) => f.type === 'error');
  assert.deepEqual(mallory.errors(), ['binary-not-expected']);
  assert.equal(host.stats.offenses, 1);
  mallory.send({ type: 'file-offer', ref: 'x', name: 'a.txt', size: 10, to: 'nobodyByThatId' });
  assert.equal((await mallory.next((f) => f.type === 'file-refused')).reason, 'no-recipients');
});

test('an accepted transfer whose sender never sends ends as stalled, for the sender and the recipient', async () => {
  const aliceDir = await tempDir();
  const host = await startHost({ transfers: { policy: { senderStallMs: 500 } } });
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const mallory = await RawPeer.joined(host, 'Mallory');
  mallory.send({ type: 'file-offer', ref: 'slow', name: 'never.bin', size: 10 * 1024 * 1024, to: alice.me.id });
  const offered = await mallory.next((f) => f.type === 'file-offered' && f.ref === 'slow');
  await mallory.next((f) => f.type === 'file-credit' && f.transfer === offered.transfer); // accepted: may send…
  const ended = await mallory.next((f) => f.type === 'file-cancelled' && f.transfer === offered.transfer, 5000); // …and never does
  assert.equal(ended.reason, 'stalled');
  const received = await waitForTransfer(alice.transfers, (v) => v.direction === 'incoming' && isFinal(v), 5000);
  assert.equal(received.reason, 'stalled');
  assert.deepEqual(await filesIn(aliceDir), [], 'no partial file is left');
});

test('members holding their whole share of silent offers cannot keep an honest member from sending', async () => {
  const [aliceDir, src] = await Promise.all([tempDir(), tempDir()]);
  const host = await startHost();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir } }); // answers nothing
  const hoarders = await Promise.all([1, 2, 3, 4].map((n) => RawPeer.joined(host, `Hoarder${n}`)));
  for (const [n, peer] of hoarders.entries()) {
    for (let i = 0; i < 16; i++) peer.send({ type: 'file-offer', ref: `h${n}-${i}`, name: 'x.bin', size: 1024, to: alice.me.id });
  }
  await Promise.all(hoarders.map((peer, n) => peer.next((f) => f.type === 'file-offered' && f.ref === `h${n}-15`)));
  // A seventeenth from one of them is over its own share…
  hoarders[0]!.send({ type: 'file-offer', ref: 'one-more', name: 'x.bin', size: 1024, to: alice.me.id });
  assert.equal((await hoarders[0]!.next((f) => f.type === 'file-refused' && f.ref === 'one-more')).reason, 'too-many-transfers');
  // …while the host's own offer still goes through.
  const path = await randomFile(src, 'honest.bin', 64 * 1024);
  const id = await host.transfers.offer(path, { to: alice.me.id });
  const offer = await waitForTransfer(alice.transfers, (v) => v.direction === 'incoming' && v.fileName === 'honest.bin');
  await alice.transfers.accept(offer.id);
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 10_000);
  assert.equal(sent.state, 'done', JSON.stringify(sent));
});

test('a recipient that stops reading while another is ahead is dropped quickly; the other is not held back', async () => {
  const [aliceDir, src] = await Promise.all([tempDir(), tempDir()]);
  // The general stall rule stays long: only the quick rule for a recipient holding others back can end this in time.
  const host = await startHost({ transfers: { policy: { stallTimeoutMs: 60_000, blockingStallMs: 500 } } });
  await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const stuck = await RawPeer.joined(host, 'Stuck');
  const path = await randomFile(src, 'big.bin', 40 * 1024 * 1024);
  const sending = host.transfers.offer(path);
  const offered = await stuck.next((f) => f.type === 'file-offered');
  stuck.ws.pause();
  stuck.send({ type: 'file-answer', transfer: offered.transfer, accept: true });
  const id = await sending;
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 20_000);
  const byName = Object.fromEntries(sent.recipients!.map((r) => [r.member.name, [r.state, r.reason]]));
  assert.deepEqual(byName, { Alice: ['done', undefined], Stuck: ['ended', 'stalled'] });
  assert.equal(await sha256File(`${aliceDir}/big.bin`), await sha256File(path));
});
