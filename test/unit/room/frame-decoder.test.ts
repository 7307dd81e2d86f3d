import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTextFrame } from '../../../src-main/room/frame-decoder';
import { CLIENT_MESSAGE_TYPES, LIMITS, clientMessageSchema } from '../../../src-main/room/protocol';

const decode = (data: Buffer | ArrayBuffer | Buffer[], isBinary = false) =>
  decodeTextFrame(clientMessageSchema, CLIENT_MESSAGE_TYPES, data, isBinary);
const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

function failsWith(data: Buffer | ArrayBuffer | Buffer[], code: string, isBinary = false): string {
  const result = decode(data, isBinary);
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.equal(result.error.code, code);
  assert.ok(result.error.message.length > 0);
  return result.error.message;
}

test('a valid hello and a valid chat decode into typed messages', () => {
  assert.deepEqual(decode(text({ type: 'hello', name: ' Alice ' })), { ok: true, message: { type: 'hello', name: 'Alice' } });
  assert.deepEqual(decode(text({ type: 'chat', id: 'm1', text: 'hi' })), { ok: true, message: { type: 'chat', id: 'm1', text: 'hi' } });
});

test('fragmented frames (Buffer[]) and ArrayBuffers are read whole', () => {
  const whole = text({ type: 'chat', id: 'm1', text: 'é split across fragments' });
  const inside = whole.indexOf(Buffer.from('é')) + 1; // a fragment boundary in the middle of "é"
  const fragments = [whole.subarray(0, 5), whole.subarray(5, inside), whole.subarray(inside)];
  assert.deepEqual(decode(fragments), decode(whole));
  assert.equal(decode(whole).ok, true);
  const ab = whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength);
  assert.equal(decode(ab).ok, true);
});

test('a binary frame is refused whatever it holds', () => {
  failsWith(text({ type: 'hello', name: 'Alice' }), 'binary-not-expected', true);
});

test('not JSON', () => {
  for (const bad of ['', '{', 'hello', '{"type":"hello",}', '\u0000']) failsWith(text(bad), 'bad-json');
});

test('unknown or missing types, whatever the JSON value', () => {
  for (const value of [null, 42, 'hello', [], [{ type: 'hello' }], {}, { type: 'welcome' }, { type: 7 }, { type: null }, { type: 'HELLO' }, { type: '__proto__' }]) {
    failsWith(Buffer.from(JSON.stringify(value)), 'unknown-type');
  }
  const message = failsWith(text({ type: 'x'.repeat(500) }), 'unknown-type');
  assert.ok(message.length < 80, 'the echoed type is cut short');
});

test('schema failures name the field and map to a code', () => {
  assert.match(failsWith(text({ type: 'hello', name: 'x'.repeat(LIMITS.nameMaxChars + 1) }), 'name-invalid'), /field "name"/);
  failsWith(text({ type: 'hello', name: '' }), 'name-invalid');
  assert.match(failsWith(text({ type: 'chat', id: 'm1', text: 'y'.repeat(LIMITS.textMaxChars + 1) }), 'text-invalid'), /field "text"/);
  failsWith(text({ type: 'chat', id: 'no spaces allowed', text: 'hi' }), 'invalid-message');
  failsWith(text({ type: 'hello', name: 'Alice', isAdmin: true }), 'invalid-message');
  failsWith(text('{"type":"hello","name":"Alice","__proto__":{"polluted":true}}'), 'invalid-message');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('hostile shapes never throw', () => {
  const deep = '['.repeat(30_000) + ']'.repeat(30_000);
  failsWith(text(deep), 'unknown-type');
  const deepObject = '{"type":"hello","name":"a","resume":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + '}';
  failsWith(text(deepObject), 'invalid-message');
  failsWith(Buffer.from([0xff, 0xfe, 0x00]), 'bad-json');
});
