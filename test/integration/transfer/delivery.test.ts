import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CHUNK_BYTES } from '../../../src-main/features/files/chunk-frame';
import { closeAll, files1Only } from '../../fixtures/room';
import { filesIn, isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

// files/1 (PROTOCOL.md §9), which older peers speak: rooms that speak only it.
const { join, startHost } = files1Only;

afterEach(closeAll);
afterEach(removeTempDirs);

/** A host and two guests that accept every file into folders of their own. */
async function room() {
  const [hostDir, aliceDir, bobDir] = await Promise.all([tempDir(), tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostDir, autoAccept: true } });
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const bob = await join(host, 'Bob', { transfers: { downloadDir: bobDir, autoAccept: true } });
  return { host, alice, bob, hostDir, aliceDir, bobDir };
}

const edgeSizes = [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 7];

test('host → two guests: every edge size arrives byte for byte, named as sent, with its SHA-256', async () => {
  const { host, alice, bob, aliceDir, bobDir } = await room();
  const src = await tempDir();
  for (const size of edgeSizes) {
    const path = await randomFile(src, `file-${size}.bin`, size);
    const id = await host.transfers.offer(path);
    const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 10_000, `send of ${size} bytes`);
    assert.equal(sent.state, 'done', `${size}: ${sent.message}`);
    assert.deepEqual(sent.recipients?.map((r) => [r.member.name, r.state, r.percent]).sort(), [
      ['Alice', 'done', 100],
      ['Bob', 'done', 100],
    ]);
    const expected = await readFile(path);
    for (const [guest, dir] of [
      [alice, aliceDir],
      [bob, bobDir],
    ] as const) {
      const got = await waitForTransfer(guest.transfers, (v) => v.fileName === basename(path) && isFinal(v));
      assert.equal(got.state, 'done');
      assert.equal(got.from?.name, 'Host');
      assert.equal(got.savedPath, `${dir}/${basename(path)}`);
      assert.equal(got.sha256, await sha256File(path));
      assert.ok((await readFile(got.savedPath!)).equals(expected), `${size} bytes arrive intact at ${guest.me.name}`);
    }
  }
  // Nothing but the finished files: no .part left behind.
  assert.deepEqual(await filesIn(aliceDir), edgeSizes.map((s) => `file-${s}.bin`).sort());
});

test('guest → host and the other guest (the relay path): a few hundred MB arrive intact at both', async () => {
  const { host, alice, bob, hostDir, bobDir } = await room();
  const src = await tempDir();
  const path = await randomFile(src, 'big.bin', 300 * 1024 * 1024 + 12345);
  const id = await alice.transfers.offer(path);
  const sent = await waitForTransfer(alice.transfers, (v) => v.id === id && isFinal(v), 120_000, 'the big file');
  assert.equal(sent.state, 'done', sent.message);
  const expected = await sha256File(path);
  for (const [who, dir] of [
    [host.transfers, hostDir],
    [bob.transfers, bobDir],
  ] as const) {
    const got = await waitForTransfer(who, (v) => v.direction === 'incoming' && isFinal(v));
    assert.equal(got.state, 'done');
    assert.equal(got.sha256, expected);
    assert.equal(await sha256File(`${dir}/big.bin`), expected);
  }
});

test('a file offered to one member goes to that member only', async () => {
  const { alice, bob, hostDir, bobDir } = await room();
  const src = await tempDir();
  const path = await randomFile(src, 'for-bob.txt', 1000);
  const id = await alice.transfers.offer(path, { to: bob.me.id });
  const sent = await waitForTransfer(alice.transfers, (v) => v.id === id && isFinal(v));
  assert.deepEqual(
    sent.recipients?.map((r) => r.member.name),
    ['Bob'],
  );
  assert.deepEqual(await filesIn(bobDir), ['for-bob.txt']);
  assert.deepEqual(await filesIn(hostDir), []);
});

test('a name already in the folder is never overwritten: "name (1).ext"', async () => {
  const { host, alice, aliceDir } = await room();
  const src = await tempDir();
  const path = await randomFile(src, 'same.txt', 10);
  for (let i = 0; i < 3; i++) {
    const id = await host.transfers.offer(path);
    await waitForTransfer(host.transfers, (v) => v.id === id && v.state === 'done');
  }
  await waitForTransfer(alice.transfers, () => alice.transfers.list().filter((x) => x.state === 'done').length === 3);
  assert.deepEqual(await filesIn(aliceDir), ['same (1).txt', 'same (2).txt', 'same.txt']);
});
