import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  decodeRelayPayload,
  encodeRelayMessage,
  type RelayMessage,
  RelayMessageReader,
  type ReadResult,
} from '../../../src-main/relay/relay-messages';

const EVERY_MESSAGE: RelayMessage[] = [
  { type: 'ping' },
  { type: 'pong' },
  { type: 'join-relay-request' },
  { type: 'join-relay-request', token: 'a token' },
  { type: 'join-session-request', key: randomBytes(32) },
  { type: 'response', code: 0, message: 'success' },
  { type: 'response', code: 100, message: 'unexpected message' },
  { type: 'response', code: -1, message: '' },
  { type: 'connect-request', id: randomBytes(32) },
  {
    type: 'session-invitation',
    from: randomBytes(32),
    key: randomBytes(32),
    address: Buffer.from([127, 0, 0, 1]),
    port: 22067,
    serverSocket: true,
  },
  { type: 'session-invitation', from: randomBytes(32), key: randomBytes(31), address: Buffer.alloc(0), port: 0, serverSocket: false },
  { type: 'relay-full' },
];

function drain(reader: RelayMessageReader): ReadResult[] {
  const results: ReadResult[] = [];
  for (;;) {
    const result = reader.next();
    if (result.kind === 'need-more') return results;
    results.push(result);
    if (result.kind === 'error') return results;
  }
}

test('the header and XDR payloads are the bytes the relay sends and expects', () => {
  // The relay's success Response: 28 bytes, as the notes measured.
  assert.equal(
    encodeRelayMessage({ type: 'response', code: 0, message: 'success' }).toString('hex'),
    ['9e79bc40', '00000004', '00000010', '00000000', '00000007', Buffer.from('success').toString('hex'), '00'].join(''),
  );
  // An empty JoinRelayRequest, which relays with and without tokens take.
  assert.equal(encodeRelayMessage({ type: 'join-relay-request' }).toString('hex'), '9e79bc400000000200000000');
  assert.equal(encodeRelayMessage({ type: 'ping' }).toString('hex'), '9e79bc400000000000000000');
  const key = Buffer.alloc(32, 0xab);
  assert.equal(
    encodeRelayMessage({ type: 'join-session-request', key }).toString('hex'),
    `9e79bc40000000030000002400000020${key.toString('hex')}`,
  );
  const invitation = encodeRelayMessage({
    type: 'session-invitation',
    from: Buffer.alloc(32, 1),
    key: Buffer.alloc(32, 2),
    address: Buffer.from([10, 0, 0, 1]),
    port: 22067,
    serverSocket: true,
  });
  assert.equal(invitation.length, 12 + 36 + 36 + 8 + 4 + 4);
  assert.equal(invitation.subarray(-8).toString('hex'), '0000563300000001');
});

test('every message survives encoding and reading, whole or a byte at a time', () => {
  const stream = Buffer.concat(EVERY_MESSAGE.map(encodeRelayMessage));
  const whole = new RelayMessageReader();
  whole.push(stream);
  assert.deepEqual(
    drain(whole).map((result) => (result.kind === 'message' ? result.message : result)),
    EVERY_MESSAGE,
  );
  const bytewise = new RelayMessageReader();
  const seen: ReadResult[] = [];
  for (const byte of stream) {
    bytewise.push(Buffer.from([byte]));
    seen.push(...drain(bytewise));
  }
  assert.deepEqual(
    seen.map((result) => (result.kind === 'message' ? result.message : result)),
    EVERY_MESSAGE,
  );
});

test('rest() hands back the bytes after the last message taken', () => {
  const reader = new RelayMessageReader();
  reader.push(
    Buffer.concat([encodeRelayMessage({ type: 'response', code: 0, message: 'success' }), Buffer.from('\x16\x03\x01 first TLS bytes')]),
  );
  const first = reader.next();
  assert.equal(first.kind, 'message');
  assert.equal(reader.rest().toString('latin1'), '\x16\x03\x01 first TLS bytes');
  assert.equal(reader.rest().length, 0);
});

test('hostile bytes: a clear error, never a throw, and the error sticks', () => {
  const header = (magic: number, type: number, length: number) => {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(magic, 0);
    bytes.writeInt32BE(type, 4);
    bytes.writeInt32BE(length, 8);
    return bytes;
  };
  const cases: [Buffer, RegExp][] = [
    [Buffer.from('GET / HTTP/1.1\r\n\r\n'), /bad magic/],
    [Buffer.from([0x16, 0x03, 0x01]), /bad magic/],
    [header(0x9e79bc40, 0, 1025), /1025 bytes \(at most 1024\)/],
    [header(0x9e79bc40, 0, -1), /-1 bytes/],
    [header(0x9e79bc40, 42, 0), /unknown message type 42/],
    [Buffer.concat([header(0x9e79bc40, 5, 4), Buffer.from([0, 0, 0, 40])]), /connect-request: a field of 40 bytes is longer than 32/],
    [Buffer.concat([header(0x9e79bc40, 4, 4), Buffer.alloc(4)]), /response: the payload ends early/],
    [Buffer.concat([header(0x9e79bc40, 3, 8), Buffer.from([0, 0, 0, 0xff, 0, 0, 0, 0])]), /longer than 32/],
    [Buffer.concat([header(0x9e79bc40, 6, 20), Buffer.alloc(12), Buffer.from([0, 1, 0, 0]), Buffer.from([0, 0, 0, 2])]), /16-bit field/],
    [Buffer.concat([header(0x9e79bc40, 6, 20), Buffer.alloc(16), Buffer.from([0, 0, 0, 2])]), /boolean field holds 2/],
  ];
  for (const [bytes, sentence] of cases) {
    const reader = new RelayMessageReader();
    reader.push(bytes);
    const result = reader.next();
    assert.equal(result.kind, 'error', `for ${bytes.toString('hex')}`);
    assert.match((result as { error: string }).error, sentence);
    reader.push(encodeRelayMessage({ type: 'ping' }));
    assert.equal(reader.next().kind, 'error', 'an error sticks: nothing after it is taken as a message');
    assert.equal(reader.rest().length, 0, 'nothing is kept after an error');
  }
  assert.equal(decodeRelayPayload(7, Buffer.alloc(0)).ok, true);
});

test('random garbage never throws, and the reader keeps no more than one message in wait', () => {
  for (let i = 0; i < 2000; i++) {
    const reader = new RelayMessageReader();
    // Half the cases start with the real magic, so the length and payload checks get hit too.
    const garbage = randomBytes(4 + (i % 1500));
    if (i % 2 === 0) garbage.writeUInt32BE(0x9e79bc40, 0);
    for (let at = 0; at < garbage.length; at += 97) {
      reader.push(garbage.subarray(at, at + 97));
      assert.doesNotThrow(() => drain(reader));
    }
    const pending = reader.rest();
    assert.ok(pending.length <= 12 + 1024, `${pending.length} bytes kept`);
  }
});
