import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacedOutbox } from '../../../src-main/features/files/paced-outbox';
import {
  allocFrame,
  allocReceived,
  FramePool,
  hasHeadroom,
  holdFrame,
  releaseFrame,
  WS_HEADROOM,
} from '../../../src-main/wire/frame-buffers';

test('allocFrame leaves headroom in front; ordinary buffers and views into them have none', () => {
  const frame = allocFrame(1000);
  assert.equal(frame.length, 1000);
  assert.equal(frame.byteOffset, WS_HEADROOM);
  assert.ok(hasHeadroom(frame));
  assert.ok(!hasHeadroom(Buffer.allocUnsafe(1000)));
  assert.ok(!hasHeadroom(frame.subarray(1)), 'a view further in does not own the bytes before it');
  // A pooled small buffer can sit at offset 14 of Node's shared pool: that is not headroom.
  const small = Buffer.allocUnsafe(20);
  assert.ok(!hasHeadroom(small));
});

test('a pooled frame comes back to the pool only after its last hold is released', () => {
  const pool = new FramePool(1024, 4);
  const a = pool.take(1024);
  assert.ok(hasHeadroom(a));
  holdFrame(a); // someone keeps it (an outbox)
  releaseFrame(a); // the taker is done
  assert.equal(pool.idle, 0, 'still held once');
  const b = pool.take(1024);
  assert.notEqual(b.buffer, a.buffer, 'a held frame is never handed out again');
  releaseFrame(a);
  assert.equal(pool.idle, 1);
  const c = pool.take(10);
  assert.equal(c.buffer, a.buffer, 'reused');
  assert.equal(c.length, 10);
  assert.equal(pool.idle, 0);
  releaseFrame(b);
  releaseFrame(c);
  assert.equal(pool.idle, 2);
  assert.throws(() => pool.take(1025), RangeError);
});

test('a hold on a piece of a frame keeps the whole frame out of the pool', () => {
  const pool = new FramePool(1024, 4);
  const frame = pool.take(1024);
  const first = frame.subarray(16, 512);
  const second = frame.subarray(512);
  holdFrame(first); // a receiver queues the part of a payload in one file…
  holdFrame(second); // …and the part in the next
  releaseFrame(frame); // the link is done with it
  releaseFrame(first);
  assert.equal(pool.idle, 0, 'the second piece is still waiting for the disk');
  releaseFrame(second);
  assert.equal(pool.idle, 1);
});

test('received payloads come from pools by size class, with headroom; the largest are not pooled', () => {
  const full = allocReceived(256 * 1024 + 16);
  assert.equal(full.length, 256 * 1024 + 16);
  assert.ok(hasHeadroom(full));
  assert.ok(full.buffer.byteLength <= WS_HEADROOM + 256 * 1024 + 256, 'a full frame fits the 256 KiB class');
  const small = allocReceived(5000);
  assert.ok(small.buffer.byteLength <= WS_HEADROOM + 8192 + 256, 'a small frame does not pin a large buffer');
  const store = full.buffer;
  releaseFrame(full);
  const again = allocReceived(200 * 1024);
  assert.equal(again.buffer, store, 'a released buffer is reused for the next payload of its class');
  assert.notEqual(allocReceived(200 * 1024).buffer, store, 'one still held is not');
  const huge = allocReceived(2 * 1024 * 1024);
  assert.equal(huge.length, 2 * 1024 * 1024);
  assert.ok(hasHeadroom(huge));
});

test('the pool keeps only so many idle buffers; frames without a lease ignore hold and release', () => {
  const pool = new FramePool(64, 2);
  const frames = [pool.take(64), pool.take(64), pool.take(64)];
  for (const f of frames) releaseFrame(f);
  assert.equal(pool.idle, 2);
  const plain = Buffer.alloc(8);
  holdFrame(plain);
  releaseFrame(plain);
  releaseFrame(plain);
});

test('an outbox holds each frame until it was sent, dropped or cleared', () => {
  const pool = new FramePool(64, 8);
  const pending: Array<() => void> = [];
  const outbox = new PacedOutbox({ sendBinary: (_frame, done) => pending.push(done), isOpen: () => true }, 100);
  const frames = [0, 1, 2, 3].map((i) => {
    const f = pool.take(64);
    f[0] = i;
    outbox.push(f);
    releaseFrame(f); // the taker lets go: the outbox's hold keeps it
    return f;
  });
  assert.equal(pool.idle, 0);
  assert.equal(pending.length, 2, '128 bytes in the socket, two wait');
  pending.shift()!();
  assert.equal(pool.idle, 1, 'the sent frame is free again');
  outbox.drop((f) => f[0] === 3);
  assert.equal(pool.idle, 2, 'the dropped frame is free again');
  outbox.clear();
  assert.equal(pool.idle, 2, 'frame 2 went to the socket when frame 0 was done: still held there');
  for (const done of pending.splice(0)) done();
  assert.equal(pool.idle, 4);
  assert.deepEqual(
    frames.map((f) => f.length),
    [64, 64, 64, 64],
  );
});

test('a data frame split for a slow path keeps its bytes, stream and offsets; other frames pass whole', async () => {
  const { framePayload, readFrameHeader, splitDataFrame, sumFrame, writeFrameHeader, KIND_DATA, FRAME_HEADER_BYTES } = await import(
    '../../../src-main/features/files/v2/files2-frames'
  );
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + 100_000);
  for (let i = FRAME_HEADER_BYTES; i < frame.length; i++) frame[i] = i & 0xff;
  writeFrameHeader(frame, KIND_DATA, 7, 5_000_000);
  const pieces = splitDataFrame(frame, 32 * 1024);
  assert.equal(pieces.length, 4);
  let at = 5_000_000;
  for (const piece of pieces) {
    const header = readFrameHeader(piece)!;
    assert.deepEqual(header, { kind: KIND_DATA, stream: 7, position: at });
    assert.ok(hasHeadroom(piece), 'pieces go out as one buffer too');
    at += framePayload(piece).length;
  }
  assert.equal(at, 5_100_000);
  assert.ok(Buffer.concat(pieces.map(framePayload)).equals(framePayload(frame)));
  assert.deepEqual(splitDataFrame(frame, 100_000), [frame], 'a frame that fits is not copied');
  const sum = sumFrame(7, 1, Buffer.alloc(32, 9));
  assert.deepEqual(splitDataFrame(sum, 16), [sum], 'checksum frames are never split');
});
