import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { closeAll, inviteFor, join as joinRoom, startHost, waitFor } from '../../fixtures/room';
import { closeProxies, TcpProxy } from '../../fixtures/tcp-proxy';
import { isFinal, randomFile, removeTempDirs, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

afterEach(closeProxies);
afterEach(closeAll);
afterEach(removeTempDirs);

const MB = 1024 * 1024;
const quickBackoff = { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 50 };

test('files/2: the sender’s connection cut half-way: it offers again, the host keeps the offer, the rest follows from where it was', async () => {
  const [hostDir, bobDir] = await Promise.all([tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostDir } });
  const proxy = await TcpProxy.start(host.port);
  const alice = await joinRoom(host, 'Alice', { backoff: quickBackoff, connectTimeoutMs: 1000 }, inviteFor(host, { port: proxy.port }));
  const bob = await joinRoom(host, 'Bob', { transfers: { downloadDir: bobDir, autoAccept: true } });
  const size = 64 * MB + 3;
  const path = await randomFile(await tempDir(), 'film.bin', size);

  let cut = false;
  proxy.onBytes = (direction, total) => {
    if (direction === 'to-host' && total > size / 2 && !cut) {
      cut = true;
      proxy.cutAll();
    }
  };
  const id = await alice.transfers.offer([path], { to: [bob.me.id] });
  await waitForTransfer(alice.transfers, (v) => v.id === id && v.state === 'paused', 30_000, 'the offer paused by the cut');
  await waitFor(alice, () => alice.state === 'connected', 10_000, 'alice back');

  const got = await waitForTransfer(bob.transfers, (v) => v.id === id && isFinal(v), 60_000, 'the file at Bob');
  assert.equal(got.state, 'done', got.message);
  assert.ok((await readFile(join(bobDir, 'film.bin'))).equals(await readFile(path)), 'byte for byte');
  const sent = await waitForTransfer(alice.transfers, (v) => isFinal(v), 10_000, 'the sender’s end');
  assert.deepEqual([sent.id, sent.state], [id, 'done'], 'the same item, over');
  assert.equal(alice.transfers.list().length, 1, 'one item, not two');
  // What the sender uploaded in all: the file once, and at most the data in flight at the cut again.
  assert.ok(proxy.bytes['to-host'] < size + 12 * MB, `${proxy.bytes['to-host']} bytes went up for ${size}`);
});
