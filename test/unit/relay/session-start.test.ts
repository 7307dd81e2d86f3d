import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encodeRelayMessage } from '../../../src-main/relay/relay-messages';
import { MAX_EARLY_PEER_BYTES, SUCCESS_RESPONSE, readSessionStart } from '../../../src-main/relay/session-start';

const hello = Buffer.from('\x16\x03\x01\x00\x05hello', 'latin1');
const later = Buffer.from('and later bytes');

test('the success Response is the 28 bytes the relay writes', () => {
  assert.equal(SUCCESS_RESPONSE.length, 28);
});

test('the Response first, then the other side: joined, with those bytes kept', () => {
  const start = readSessionStart(Buffer.concat([SUCCESS_RESPONSE, hello]));
  assert.deepEqual(start, { kind: 'joined', peerBytes: hello });
  assert.deepEqual(readSessionStart(SUCCESS_RESPONSE), { kind: 'joined', peerBytes: Buffer.alloc(0) });
});

test("the other side's bytes before the Response (the relay's second race): joined, bytes in order", () => {
  assert.deepEqual(readSessionStart(Buffer.concat([hello, SUCCESS_RESPONSE, later])), {
    kind: 'joined',
    peerBytes: Buffer.concat([hello, later]),
  });
  // Until the Response is in, it waits.
  assert.deepEqual(readSessionStart(Buffer.concat([hello, SUCCESS_RESPONSE.subarray(0, 27)])), { kind: 'need-more' });
});

test('every split of the stream gives the same answer once it is all in, and waits before', () => {
  const stream = Buffer.concat([SUCCESS_RESPONSE, later]);
  for (let cut = 0; cut < SUCCESS_RESPONSE.length; cut++) {
    assert.equal(readSessionStart(stream.subarray(0, cut)).kind, 'need-more', `cut at ${cut}`);
  }
  assert.equal(readSessionStart(stream).kind, 'joined');
});

test('a refusal or RelayFull is answered as it is', () => {
  const refused = readSessionStart(encodeRelayMessage({ type: 'response', code: 2, message: 'already connected' }));
  assert.deepEqual(refused, { kind: 'answered', message: { type: 'response', code: 2, message: 'already connected' } });
  assert.deepEqual(readSessionStart(encodeRelayMessage({ type: 'relay-full' })), { kind: 'answered', message: { type: 'relay-full' } });
});

test('hostile bytes never throw, and waiting for the Response is bounded', () => {
  const bad = Buffer.concat([SUCCESS_RESPONSE.subarray(0, 8), Buffer.from([0x7f, 0xff, 0xff, 0xff])]);
  assert.equal(readSessionStart(bad).kind, 'error');
  assert.equal(readSessionStart(randomBytes(MAX_EARLY_PEER_BYTES + 100)).kind, 'error');
  for (let i = 0; i < 2000; i++) {
    const garbage = randomBytes(1 + (i % 300));
    if (i % 2 === 0) SUCCESS_RESPONSE.copy(garbage, 0, 0, Math.min(8, garbage.length));
    assert.doesNotThrow(() => readSessionStart(garbage));
  }
});
