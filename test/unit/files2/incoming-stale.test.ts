import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanStalePartials } from '../../../src-main/features/files/v2/incoming/incoming-offers';
import { newKey, tempDir } from './incoming-harness';

const DAY = 24 * 60 * 60 * 1000;

/** A store folder as IncomingOffers writes it, last updated `age` ms ago. */
async function store(root: string, age: number, options: { key?: string; state?: string; folderAge?: number } = {}): Promise<string> {
  const key = options.key ?? newKey();
  const dir = join(root, key);
  await mkdir(dir, { recursive: true });
  const state = {
    version: 1,
    key,
    name: 'x.bin',
    files: 1,
    bytes: 10,
    manifest: 0,
    accepted: true,
    updatedAt: Date.now() - age,
    verified: [],
    verifiedUpTo: 0,
  };
  if (options.state !== '') await writeFile(join(dir, 'state.json'), options.state ?? JSON.stringify(state));
  await writeFile(join(dir, '1.data'), 'abc');
  if (options.folderAge !== undefined) {
    const at = new Date(Date.now() - options.folderAge);
    await utimes(dir, at, at);
  }
  return key;
}

test('stale kept data goes: older than the limit, or broken; fresh data, foreign names and anything outside stay', async () => {
  const downloads = await tempDir('stale');
  const root = join(downloads, '.porthole-partial');
  const fresh = await store(root, DAY);
  const old = await store(root, 8 * DAY);
  const broken = await store(root, 0, { state: '{"version":1,', folderAge: DAY });
  const otherKeysState = await store(root, 0, { state: JSON.stringify({ version: 1, key: newKey() }), folderAge: DAY });
  const noState = await store(root, 0, { state: '', folderAge: DAY });
  const justMade = await store(root, 0, { state: '' });
  await mkdir(join(root, 'not a store'));
  // A link named like a store, pointing outside: the link goes, what it points to stays.
  const outside = await tempDir('outside');
  await writeFile(join(outside, 'precious.txt'), 'keep me');
  const link = newKey();
  await symlink(outside, join(root, link));

  assert.equal(await cleanStalePartials(downloads), 5);
  assert.deepEqual((await readdir(root)).sort(), [fresh, justMade, 'not a store'].sort());
  assert.equal(await readFile(join(outside, 'precious.txt'), 'utf8'), 'keep me');
  for (const gone of [old, broken, otherKeysState, noState, link]) assert.ok(!(await readdir(root)).includes(gone));

  assert.equal(await cleanStalePartials(downloads, 12 * 60 * 60 * 1000), 1, 'a shorter limit');
  assert.deepEqual((await readdir(root)).sort(), [justMade, 'not a store'].sort());
});

test('no kept-data folder, or a link in its place: nothing is removed and nothing followed', async () => {
  assert.equal(await cleanStalePartials(await tempDir('none')), 0);
  assert.equal(await cleanStalePartials(join(await tempDir('none'), 'missing')), 0);

  const downloads = await tempDir('linked');
  const elsewhere = await tempDir('elsewhere');
  await store(elsewhere, 30 * DAY);
  await symlink(elsewhere, join(downloads, '.porthole-partial'));
  assert.equal(await cleanStalePartials(downloads), 0);
  assert.equal((await readdir(elsewhere)).length, 1, 'what the link points to is untouched');
});
