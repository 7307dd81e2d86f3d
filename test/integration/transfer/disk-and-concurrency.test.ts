import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, files1Only } from '../../fixtures/room';
import { smallDisk, unmountSmallDisks } from '../../fixtures/small-disk';
import { filesIn, isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

// files/1 (PROTOCOL.md §9), which older peers speak: rooms that speak only it.
const { join, startHost } = files1Only;

afterEach(closeAll);
afterEach(unmountSmallDisks);
afterEach(removeTempDirs);

const MB = 1024 * 1024;

test('a file larger than the free space is refused before accepting, with the reason on both sides', async (t) => {
  const disk = await smallDisk(4);
  if (!disk) return t.skip('mounting a tmpfs needs root');
  const src = await tempDir();
  const host = await startHost();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: disk, autoAccept: true } });
  const id = await host.transfers.offer(await randomFile(src, 'too-big.bin', 6 * MB));
  const got = await waitForTransfer(alice.transfers, isFinal);
  assert.deepEqual([got.state, got.reason], ['failed', 'disk-full']);
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v));
  assert.deepEqual([sent.state, sent.reason, sent.recipients?.[0]?.reason], ['failed', 'disk-full', 'disk-full']);
  assert.deepEqual(await filesIn(disk), []);
});

test('running out of disk mid-way ends that transfer with "disk-full" and leaves no partial file', async (t) => {
  const disk = await smallDisk(8);
  if (!disk) return t.skip('mounting a tmpfs needs root');
  const src = await tempDir();
  const host = await startHost();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: disk, autoAccept: true } });
  // Each fits on its own, so both pass the free-space check; together they do not.
  const paths = await Promise.all(['one.bin', 'two.bin'].map((n) => randomFile(src, n, 5 * MB)));
  const ids = await Promise.all(paths.map((p) => host.transfers.offer(p)));
  const ends = await Promise.all(ids.map((id) => waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 20_000)));
  const failed = ends.filter((v) => v.state === 'failed');
  assert.ok(failed.length >= 1, JSON.stringify(ends.map((v) => [v.state, v.reason])));
  for (const v of failed) assert.equal(v.recipients?.[0]?.reason, 'disk-full');
  await waitForTransfer(alice.transfers, () => alice.transfers.list().filter(isFinal).length === 2);
  for (const v of alice.transfers.list().filter((x) => x.state === 'failed')) assert.equal(v.reason, 'disk-full');
  const left = await filesIn(disk);
  assert.ok(
    left.every((n) => !n.endsWith('.part')),
    `no partial file: ${left}`,
  );
  assert.equal(left.length, 2 - failed.length);
});

test('several transfers in both directions at once all arrive intact', async () => {
  const [hostDir, aliceDir, bobDir, src] = await Promise.all([tempDir(), tempDir(), tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostDir, autoAccept: true } });
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const bob = await join(host, 'Bob', { transfers: { downloadDir: bobDir, autoAccept: true } });
  const sizes = [0, 3 * MB + 1, 20 * MB, 7 * MB];
  const files = await Promise.all(sizes.map((s, i) => randomFile(src, `f${i}.bin`, s)));
  const offers = [
    host.transfers.offer(files[0]!),
    host.transfers.offer(files[1]!),
    alice.transfers.offer(files[2]!),
    bob.transfers.offer(files[3]!),
  ];
  const senders = [host, host, alice, bob];
  const ids = await Promise.all(offers);
  for (const [i, id] of ids.entries()) {
    const v = await waitForTransfer(senders[i]!.transfers, (x) => x.id === id && isFinal(x), 30_000);
    assert.equal(v.state, 'done', `${v.fileName}: ${v.message}`);
  }
  const expect = async (dir: string, idx: number[]) => {
    assert.deepEqual(
      await filesIn(dir),
      idx.map((i) => `f${i}.bin`),
    );
    for (const i of idx) assert.equal(await sha256File(`${dir}/f${i}.bin`), await sha256File(files[i]!));
  };
  await expect(hostDir, [2, 3]);
  await expect(aliceDir, [0, 1, 3]);
  await expect(bobDir, [0, 1, 2]);
});
