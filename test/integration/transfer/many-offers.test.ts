import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, files1Only } from '../../fixtures/room';
import { isFinal, randomFile, removeTempDirs, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

// files/1 (PROTOCOL.md §9), which older peers speak: rooms that speak only it.
const { join, startHost } = files1Only;

afterEach(closeAll);
afterEach(removeTempDirs);

test('forty files offered at once: none is lost to the rate limit, each one ends with an answer', async () => {
  const [src, inbox] = await Promise.all([tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: inbox, autoAccept: true } });
  const alice = await join(host, 'Alice');
  const warnings: string[] = [];
  alice.on('warning', (w) => warnings.push(w.code));
  const paths = await Promise.all(Array.from({ length: 40 }, (_, i) => randomFile(src, `f${i}.bin`, 1000 + i)));
  const noAnswer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('some offers never got an answer')), 15_000).unref(),
  );
  const outcomes = await Promise.race([Promise.allSettled(paths.map((p) => alice.transfers.offer(p))), noAnswer]);
  const started = outcomes.filter((o): o is PromiseFulfilledResult<string> => o.status === 'fulfilled').map((o) => o.value);
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  assert.equal(started.length + refused.length, 40, 'every offer settled');
  assert.ok(started.length >= 16, `at least the per-sender limit ran (${started.length})`);
  for (const r of refused) assert.match(String(r.reason?.message), /Too many transfers/);
  for (const id of started) {
    const v = await waitForTransfer(alice.transfers, (t) => t.id === id && isFinal(t), 20_000);
    assert.equal(v.state, 'done');
  }
  assert.deepEqual(warnings, [], 'no rate-limit warning');
});
