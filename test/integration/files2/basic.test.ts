import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, test } from 'node:test';
import { closeAll, join as joinRoom, startHost } from '../../fixtures/room';
import { isFinal, randomFile, removeTempDirs, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

afterEach(closeAll);
afterEach(removeTempDirs);

const MB = 1024 * 1024;

/** A host and two guests that accept every offer into folders of their own. */
async function room() {
  const [hostDir, aliceDir, bobDir] = await Promise.all([tempDir(), tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostDir, autoAccept: true } });
  const alice = await joinRoom(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: true } });
  const bob = await joinRoom(host, 'Bob', { transfers: { downloadDir: bobDir, autoAccept: true } });
  return { host, alice, bob, hostDir, aliceDir, bobDir };
}

/** Every file below `dir` (hidden ones left out), relative, with its bytes; and every folder. */
async function tree(dir: string): Promise<{ files: Map<string, Buffer>; folders: string[] }> {
  const files = new Map<string, Buffer>();
  const folders: string[] = [];
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        folders.push(relative(dir, path));
        await walk(path);
      } else files.set(relative(dir, path), await readFile(path));
    }
  };
  await walk(dir);
  return { files, folders: folders.sort() };
}

test('files/2: a single file from the host reaches both guests byte for byte, under one short id', async () => {
  const { host, alice, bob, aliceDir, bobDir } = await room();
  const src = await tempDir();
  const path = await randomFile(src, 'photo.bin', 3 * MB + 5);
  const id = await host.transfers.offer([path]);
  assert.match(id, /^\d+$/, 'the host’s offer number');
  for (const [guest, dir] of [
    [alice, aliceDir],
    [bob, bobDir],
  ] as const) {
    const got = await waitForTransfer(guest.transfers, (v) => v.id === id && isFinal(v), 20_000, `the file at ${guest.me.name}`);
    assert.equal(got.state, 'done', got.message);
    assert.equal(got.from?.name, 'Host');
    assert.equal(got.savedPath, join(dir, 'photo.bin'));
    assert.ok((await readFile(got.savedPath!)).equals(await readFile(path)), `intact at ${guest.me.name}`);
  }
  // A room offer stays open for late comers; the sender sees both have it.
  const sent = await waitForTransfer(
    host.transfers,
    (v) => v.id === id && v.recipients?.filter((r) => r.state === 'done').length === 2,
    10_000,
    'both recipients done',
  );
  assert.equal(sent.direction, 'outgoing');
  assert.deepEqual(sent.recipients?.map((r) => r.member.name).sort(), ['Alice', 'Bob']);
  assert.equal(sent.bytes, 3 * MB + 5);
});

test('files/2: a folder from a guest to the host and the other guest arrives as the same tree, empty folder and empty file included', async () => {
  const { host, alice, bob, hostDir, bobDir } = await room();
  const src = await tempDir();
  const holiday = join(src, 'Holiday');
  await mkdir(join(holiday, 'beach', 'empty'), { recursive: true });
  await randomFile(holiday, 'big.bin', 2 * MB + 17);
  await randomFile(join(holiday, 'beach'), 'sand.jpg', 300_000);
  await writeFile(join(holiday, 'beach', 'notes.txt'), 'sun\n');
  await writeFile(join(holiday, 'zero.bin'), '');
  const id = await alice.transfers.offer([holiday], { to: [host.me.id, bob.me.id] });
  const sent = await waitForTransfer(alice.transfers, (v) => v.id === id && isFinal(v), 30_000, 'the bundle sent');
  assert.equal(sent.state, 'done', sent.message);
  assert.deepEqual([sent.fileName, sent.files, sent.size], ['Holiday', 4, 2 * MB + 17 + 300_000 + 4]);
  // PROTOCOL.md §11: the bundle's folder is named after the offer, the manifest's paths below it
  // (one named folder's paths are relative to it): Downloads/Holiday/beach/…, not Holiday/Holiday.
  const expected = await tree(holiday);
  for (const [who, dir] of [
    [host, hostDir],
    [bob, bobDir],
  ] as const) {
    const got = await waitForTransfer(who.transfers, (v) => v.id === id && isFinal(v), 10_000, `the bundle at ${who.me.name}`);
    assert.equal(got.state, 'done', got.message);
    assert.equal(got.savedPath, join(dir, 'Holiday'));
    const saved = await tree(got.savedPath!);
    assert.deepEqual(saved.folders, expected.folders, `the folders at ${who.me.name}`);
    assert.deepEqual([...saved.files.keys()].sort(), [...expected.files.keys()].sort());
    for (const [path, bytes] of expected.files) assert.ok(saved.files.get(path)!.equals(bytes), `${path} intact at ${who.me.name}`);
  }
});
