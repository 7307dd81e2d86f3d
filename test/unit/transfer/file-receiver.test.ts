import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_BYTES } from '../../../src-main/features/files/chunk-frame';
import { ACK_EVERY_BYTES, FileReceiver } from '../../../src-main/features/files/file-receiver';

/** A receiver in a fresh folder, recording its acks; `outcome` settles when it saves or fails. */
async function receiver(size: number) {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-receiver-'));
  const acks: number[] = [];
  let settle!: (o: { saved?: string; failed?: string }) => void;
  const outcome = new Promise<{ saved?: string; failed?: string }>((resolve) => (settle = resolve));
  const r = await FileReceiver.open(dir, 'data.bin', size, {
    ack: (bytes) => acks.push(bytes),
    saved: (path) => settle({ saved: path }),
    failed: (reason) => settle({ failed: reason }),
  });
  return { dir, acks, r, outcome };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

test('chunks arriving faster than the disk are written in batches, and acks stay on the ack grid', async () => {
  const chunks = Array.from({ length: 9 }, (_, i) => Buffer.alloc(CHUNK_BYTES, i + 1));
  const size = 20 * CHUNK_BYTES;
  const { acks, r } = await receiver(size);
  // All at once: the first write is still running when the others arrive, so they batch up.
  chunks.forEach((c, i) => assert.ok(r.take(i * CHUNK_BYTES, c)));
  await until(() => r.written === 9 * CHUNK_BYTES);
  await until(() => acks.length > 0 && acks.at(-1) === 2 * ACK_EVERY_BYTES);
  assert.ok(
    acks.every((a) => a % ACK_EVERY_BYTES === 0),
    `acks ${acks}`,
  );
  assert.equal(acks.at(-1), 2 * ACK_EVERY_BYTES, 'every whole ack step written is acknowledged');
  await r.abort();
});

test('the last bytes of the file are acknowledged off the grid, then verified and saved', async () => {
  const data = Buffer.alloc(5 * CHUNK_BYTES + 123, 7);
  const { acks, r, outcome, dir } = await receiver(data.length);
  for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) r.take(offset, data.subarray(offset, offset + CHUNK_BYTES));
  r.end(createHash('sha256').update(data).digest('hex'));
  const { saved } = await outcome;
  assert.equal(acks.at(-1), data.length);
  assert.ok(saved);
  assert.deepEqual(await readFile(saved), data);
  assert.deepEqual(await readdir(dir), ['data.bin'], 'no .part file left');
});

test('out-of-order and oversized chunks are refused', async () => {
  const { r } = await receiver(2 * CHUNK_BYTES);
  assert.equal(r.take(CHUNK_BYTES, Buffer.alloc(CHUNK_BYTES)), false, 'a gap');
  assert.equal(r.take(0, Buffer.alloc(CHUNK_BYTES)), true);
  assert.equal(r.take(CHUNK_BYTES, Buffer.alloc(CHUNK_BYTES + 1)), false, 'past the size');
  await r.abort();
});
