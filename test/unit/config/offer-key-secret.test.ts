import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerKeySecret } from '../../../src-main/config/offer-key-secret';

test('the offer key secret is made once, kept 0600, the same on every start, and replaced when damaged', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-offer-key-'));
  try {
    const [a, b] = await Promise.all([offerKeySecret(dir), offerKeySecret(dir)]);
    assert.equal(a.length, 32);
    assert.deepEqual(a, b, 'two starts at once agree on one secret');
    assert.deepEqual(await offerKeySecret(dir), a);
    assert.equal((await stat(join(dir, 'offer-key.secret'))).mode & 0o777, 0o600);
    await writeFile(join(dir, 'offer-key.secret'), 'short');
    const fresh = await offerKeySecret(dir);
    assert.equal(fresh.length, 32);
    assert.deepEqual(await readFile(join(dir, 'offer-key.secret')), fresh);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
