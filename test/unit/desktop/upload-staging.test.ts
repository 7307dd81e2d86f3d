// UploadStaging writes dropped files that have no path on disk into private temp folders. Here
// they go into a folder of this test's own, so every file and folder staging leaves behind can
// be seen (and nothing an interrupted earlier run left in the system's temp folder counts).
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UPLOAD_CHUNK_BYTES } from '../../../src-preload/domain-values';
import { MAX_UPLOADS, MAX_UPLOAD_BYTES, UploadStaging } from '../../../src-main/desktop/upload-staging';
import { PortholeError } from '../../../src-main/wire/errors';

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-staging-test-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

let staging: UploadStaging;
afterEach(async () => {
  await staging?.clear();
  assert.deepEqual(await left(), [], 'clear() leaves nothing behind');
});

/** Everything under the staging temp folder, as relative paths. */
async function left(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map(String).sort();
}

const bytesOf = (size: number, seed = 1) => new Uint8Array(size).map((_, i) => (i * 31 + seed) % 256);

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof PortholeError && err.code === code && /^\S.{10,}\.$/.test(err.message));
}

describe('UploadStaging', () => {
  test('pieces in order make exactly the file, private to this user, in its own folder', async () => {
    staging = new UploadStaging(root);
    const content = bytesOf(2 * UPLOAD_CHUNK_BYTES + 123);
    const id = await staging.begin('holiday photo.jpg', content.length, 'member_7');
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    for (let offset = 0; offset < content.length; offset += UPLOAD_CHUNK_BYTES) {
      await staging.chunk(id, offset, content.subarray(offset, offset + UPLOAD_CHUNK_BYTES));
    }
    const { path, to } = await staging.finish(id);
    assert.equal(to, 'member_7');
    assert.equal(basename(path), 'holiday photo.jpg');
    assert.equal(dirname(dirname(path)), root);
    assert.match(basename(dirname(path)), /^porthole-upload-/);
    assert.deepEqual(new Uint8Array(await readFile(path)), content);
    assert.equal((await stat(path)).mode & 0o777, 0o600);

    await staging.remove(id);
    assert.deepEqual(await left(), []);
  });

  test('an empty file needs no pieces', async () => {
    staging = new UploadStaging(root);
    const id = await staging.begin('empty.txt', 0);
    const { path, to } = await staging.finish(id);
    assert.equal(to, undefined);
    assert.equal((await readFile(path)).length, 0);
    // A finished upload stays staged under its upload id until offered() or remove().
    await staging.remove(id);
    assert.deepEqual(await left(), []);
  });

  test('the name is sanitized like a received one: one path component, no disguising characters', async () => {
    staging = new UploadStaging(root);
    const id = await staging.begin('../../.bashrc\u202Etxt.exe', 1);
    await staging.chunk(id, 0, new Uint8Array([1]));
    const { path } = await staging.finish(id);
    assert.equal(dirname(dirname(path)), root, 'still inside its own folder');
    assert.doesNotMatch(basename(path), /[/\\\u202E]|^\./);
    await staging.remove(id);
  });

  const refusedPieces: Array<[string, (id: string) => Promise<void>]> = [
    ['a piece that skips ahead', async (id) => staging.chunk(id, 20, bytesOf(10))],
    ['a piece sent twice', async (id) => staging.chunk(id, 0, bytesOf(10))],
    ['a piece over the chunk size', async (id) => staging.chunk(id, 10, new Uint8Array(UPLOAD_CHUNK_BYTES + 1))],
    ['a piece past the announced size', async (id) => staging.chunk(id, 10, bytesOf(91))],
  ];
  for (const [what, send] of refusedPieces) {
    test(`${what} aborts the upload and leaves no file or folder`, async () => {
      staging = new UploadStaging(root);
      const id = await staging.begin('a.bin', 100);
      await staging.chunk(id, 0, bytesOf(10));
      assert.equal((await left()).length, 2, 'a folder and its file while the upload runs');
      await rejectsWith(send(id), 'invalid-request');
      assert.deepEqual(await left(), []);
      await rejectsWith(staging.chunk(id, 10, bytesOf(10)), 'not-found');
      await rejectsWith(staging.finish(id), 'not-found');
    });
  }

  test('finishing before every byte arrived refuses and cleans up', async () => {
    staging = new UploadStaging(root);
    const id = await staging.begin('a.bin', 100);
    await staging.chunk(id, 0, bytesOf(99));
    await rejectsWith(staging.finish(id), 'invalid-request');
    assert.deepEqual(await left(), []);
    await rejectsWith(staging.finish(id), 'not-found');
  });

  test('abort removes an upload; aborting an unknown one is harmless', async () => {
    staging = new UploadStaging(root);
    const id = await staging.begin('a.bin', 100);
    await staging.abort(id);
    assert.deepEqual(await left(), []);
    await staging.abort(id);
    await staging.abort('never-existed');
  });

  test('a file too large to stage is refused before anything is written', async () => {
    staging = new UploadStaging(root);
    await rejectsWith(staging.begin('huge.iso', MAX_UPLOAD_BYTES + 1), 'file-unreadable');
    assert.deepEqual(await left(), []);
  });

  test('remove(transfer id) removes only that transfer\u2019s staged file', async () => {
    staging = new UploadStaging(root);
    const paths: string[] = [];
    for (const [name, transferId] of [
      ['one.txt', 't-one'],
      ['two.txt', 't-two'],
    ] as const) {
      const id = await staging.begin(name, 1);
      await staging.chunk(id, 0, new Uint8Array([7]));
      paths.push((await staging.finish(id)).path);
      staging.offered(id, transferId);
      await staging.remove(id); // the upload id no longer names it once offered
    }
    await staging.remove('t-one');
    await staging.remove('unknown');
    assert.deepEqual(await left(), [basename(dirname(paths[1]!)), join(basename(dirname(paths[1]!)), 'two.txt')].sort());
  });

  test('several uploads in one offer all go with it; a queued offer’s files follow it to its number', async () => {
    staging = new UploadStaging(root);
    for (const name of ['a.txt', 'b.txt']) {
      const id = await staging.begin(name, 1);
      await staging.chunk(id, 0, new Uint8Array([1]));
      await staging.finish(id);
      staging.offered(id, 'q1');
    }
    assert.equal((await left()).length, 4, 'two folders, two files');
    staging.renamed('q1', '7');
    await staging.remove('q1');
    assert.equal((await left()).length, 4, 'the queued id no longer names them');
    await staging.remove('7');
    assert.deepEqual(await left(), []);
  });

  test('clear() removes uploads in progress and staged files alike', async () => {
    staging = new UploadStaging(root);
    const running = await staging.begin('running.bin', 10);
    await staging.chunk(running, 0, bytesOf(5));
    const done = await staging.begin('done.bin', 1);
    await staging.chunk(done, 0, bytesOf(1));
    await staging.finish(done); // finished, not yet offered: clear() must still find it
    assert.equal((await left()).length, 4);
    await staging.clear();
    assert.deepEqual(await left(), []);
    await rejectsWith(staging.chunk(running, 5, bytesOf(5)), 'not-found');
  });

  test(`at most ${MAX_UPLOADS} uploads run at once; finishing one makes room`, async () => {
    staging = new UploadStaging(root);
    const ids: string[] = [];
    for (let i = 0; i < MAX_UPLOADS; i++) ids.push(await staging.begin(`f${i}.bin`, 0));
    await rejectsWith(staging.begin('one-too-many.bin', 0), 'busy');
    assert.equal((await left()).filter((p) => !p.includes('/')).length, MAX_UPLOADS);
    await staging.finish(ids[0]!);
    await staging.remove(ids[0]!);
    const next = await staging.begin('next.bin', 0);
    assert.ok(next);
  });

  test(`uploads begun all at once are held to ${MAX_UPLOADS} too`, async () => {
    staging = new UploadStaging(root);
    const results = await Promise.allSettled(Array.from({ length: MAX_UPLOADS + 4 }, (_, i) => staging.begin(`f${i}.bin`, 0)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, MAX_UPLOADS);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 4);
  });
});
