import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHUNK_BYTES,
  CHUNK_HEADER_BYTES,
  MAX_CHUNK_FRAME_BYTES,
  chunkPayload,
  expectedChunkBytes,
  readChunkHeader,
  writeChunkHeader,
} from '../../../src-main/features/files/chunk-frame';

test('a chunk header round-trips transfer id and a 64-bit offset', () => {
  const frame = writeChunkHeader(Buffer.concat([Buffer.alloc(CHUNK_HEADER_BYTES), Buffer.from('abc')]), 0xfffffffe, 2 ** 40 + 5);
  assert.deepEqual(readChunkHeader(frame), { transfer: 0xfffffffe, offset: 2 ** 40 + 5 });
  assert.equal(chunkPayload(frame).toString(), 'abc');
  assert.equal(frame[0], 1);
});

test('malformed frames are refused: empty payload, too long, wrong kind, reserved bits, huge offset', () => {
  const good = () => writeChunkHeader(Buffer.alloc(CHUNK_HEADER_BYTES + 1), 1, 0);
  assert.equal(readChunkHeader(Buffer.alloc(CHUNK_HEADER_BYTES)), undefined);
  assert.equal(readChunkHeader(writeChunkHeader(Buffer.alloc(MAX_CHUNK_FRAME_BYTES + 1), 1, 0)), undefined);
  const kind = good();
  kind[0] = 2;
  assert.equal(readChunkHeader(kind), undefined);
  const reserved = good();
  reserved[2] = 1;
  assert.equal(readChunkHeader(reserved), undefined);
  const huge = good();
  huge.writeBigUInt64BE(2n ** 63n, 8);
  assert.equal(readChunkHeader(huge), undefined);
});

test('every chunk is full size but the last', () => {
  assert.equal(expectedChunkBytes(CHUNK_BYTES * 2 + 1, 0), CHUNK_BYTES);
  assert.equal(expectedChunkBytes(CHUNK_BYTES * 2 + 1, CHUNK_BYTES * 2), 1);
});
