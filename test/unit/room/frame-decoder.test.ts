import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { MAX_ERROR_SENTENCE, decodeTextFrame } from '../../../src-main/wire/frame-decoder';
import { fuzzFrames } from '../../fixtures/frame-fuzzer';
import { LIMITS } from '../../../src-main/wire/protocol';
import { BUILD_MESSAGES } from '../../../src-main/session/room-features';

const TO_HOST = BUILD_MESSAGES.toHost;
const TO_MEMBER = BUILD_MESSAGES.toMember;
const decode = (data: Buffer | ArrayBuffer | Buffer[], isBinary = false) => decodeTextFrame(TO_HOST, data, isBinary);
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
  for (const value of [
    null,
    42,
    'hello',
    [],
    [{ type: 'hello' }],
    {},
    { type: 'welcome' },
    { type: 7 },
    { type: null },
    { type: 'HELLO' },
    { type: '__proto__' },
  ]) {
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
  const deepObject = `{"type":"hello","name":"a","resume":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
  failsWith(text(deepObject), 'invalid-message');
  failsWith(Buffer.from([0xff, 0xfe, 0x00]), 'bad-json');
});

test("a type nested 5,000 levels deep is an unknown type, not a crash (the security review's frame)", () => {
  for (const [open, close] of [
    ['[', ']'],
    ['{"a":', '}'],
  ] as const) {
    const frame = `{"type":${open.repeat(5000)}${open === '[' ? '' : '1'}${close.repeat(5000)}}`;
    const message = failsWith(text(frame), 'unknown-type');
    assert.equal(message, 'Unknown message type.');
  }
  // The host's decoder and the guest's are the same function with other schemas.
  const guestSide = decodeTextFrame(TO_MEMBER, text(`{"type":${'['.repeat(5000)}${']'.repeat(5000)}}`), false);
  assert.deepEqual(guestSide, { ok: false, error: { code: 'unknown-type', message: 'Unknown message type.' } });
});

test('an unknown type is named only when it is a short, plain word', () => {
  assert.equal(failsWith(text({ type: 'nope' }), 'unknown-type'), 'Unknown message type "nope".');
  for (const type of [
    'x'.repeat(33),
    'HELLO',
    'a b',
    'a"b',
    '<script>',
    'ab\u202Ecd',
    '\ud800',
    'é',
    '',
    'a\nb',
    7,
    null,
    true,
    { type: 'hello' },
    ['hello'],
  ]) {
    assert.equal(failsWith(text({ type }), 'unknown-type'), 'Unknown message type.', `type ${JSON.stringify(type)}`);
  }
});

test("a rejected message never repeats the peer's keys or values, and its sentence is short", () => {
  const marker = 'PEERTEXT';
  const extra: Record<string, unknown> = { type: 'hello', name: 'Alice' };
  for (let i = 0; i < 2000; i++) extra[`${marker}${'k'.repeat(10)}${i}`] = i;
  const hostile = [
    text(extra), // strictObject's own message would list all 2,000 keys (about 45 KB)
    text({ type: 'hello', name: 'Alice', [`${marker}"\u202E`]: 1 }),
    text({ type: 'chat', id: `${marker} with spaces`, text: 'hi' }),
    text({ type: 'chat', id: 'm1', text: 42 }),
    text({ type: 'file-cancel', transfer: 1, reason: marker }),
    text({ type: 'file-offer', ref: 'r1', name: 'a', size: 1, to: `${marker}!!` }),
    text({ type: 'hello', name: 'Alice', resume: { token: marker, lastSeq: 1, [marker]: 1 } }),
    text({ type: 'hello', name: 'Alice', resume: '{'.repeat(1000) }),
  ];
  for (const frame of hostile) {
    const result = decode(frame);
    assert.ok(!result.ok);
    assert.ok(!result.error.message.includes(marker), result.error.message);
    assert.ok(result.error.message.length <= MAX_ERROR_SENTENCE, result.error.message);
    assert.match(result.error.message, /^[\x20-\x7E…]+$/, 'plain printable text');
  }
  failsWith(hostile[0]!, 'invalid-message');
});

test('a field path is named only when every part is a plain field name or an index', () => {
  const onHost = (value: unknown) => {
    const result = decodeTextFrame(TO_MEMBER, text(value), false);
    assert.ok(!result.ok);
    return result.error.message;
  };
  const welcome = {
    type: 'welcome',
    protocol: 'porthole.v1',
    room: 'r'.repeat(43),
    you: { id: 'a', name: 'A', host: false },
    resumeToken: 't'.repeat(43),
    members: [],
    history: [{ type: 'chat', seq: 1, ts: 1, from: { id: 'h', name: 'H', host: true }, id: 'm1', text: 7 }],
    historyGap: false,
    lastSeq: 1,
    heartbeat: { intervalMs: 1, timeoutMs: 1 },
    limits: { nameMaxChars: 1, textMaxChars: 1, maxFrameBytes: 1 },
  };
  assert.match(onHost(welcome), /field "history\.0(\.text)?"/);
  assert.match(
    failsWith(text({ type: 'hello', name: 'Alice', resume: { token: 'x', lastSeq: 1 } }), 'invalid-message'),
    /field "resume\.token"/,
  );
});

test('schema rules written by us are still told to the peer', () => {
  assert.match(failsWith(text({ type: 'hello', name: 'x'.repeat(LIMITS.nameMaxChars + 1) }), 'name-invalid'), /longer than 32 characters/);
  assert.match(failsWith(text({ type: 'chat', id: 'm1', text: '   ' }), 'text-invalid'), /The message is empty\./);
  assert.match(failsWith(text({ type: 'hello', name: 'Al\u202Eice' }), 'name-invalid'), /invisible or control characters/);
});

test('odd inputs: never a throw, always a result with a known code', () => {
  const codes = new Set([
    'name-invalid',
    'text-invalid',
    'invalid-message',
    'bad-json',
    'unknown-type',
    'frame-too-large',
    'binary-not-expected',
  ]);
  const inputs: Array<Buffer | ArrayBuffer | Buffer[]> = [
    Buffer.alloc(0),
    [],
    [Buffer.alloc(0)],
    new ArrayBuffer(0),
    text('\uFEFF{"type":"hello","name":"A"}'),
    text('{"type":"chat","id":"m1","text":"hi","type":"hello"}'),
    text(`{"type":"hello","name":"A","resume":{"token":"${'A'.repeat(43)}","lastSeq":1e309}}`),
    text('{"type":"chat","id":"m1","text":"\\ud800"}'),
    Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
    text(`{"type":"hello","name":${'['.repeat(60_000)}${']'.repeat(60_000)}}`.slice(0, LIMITS.maxFrameBytes)),
    text(`{"type":"hello","name":"A","x":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`),
  ];
  for (const input of inputs) {
    const result = decode(input);
    if (!result.ok) assert.ok(codes.has(result.error.code), result.error.code);
  }
});

test('even a schema that throws yields a result, not an exception', () => {
  const throwing = z.object({ type: z.literal('boom') }).refine(() => {
    throw new RangeError('Maximum call stack size exceeded');
  });
  const vocabulary = { schema: throwing, types: new Set(['boom']), refFields: {}, fieldErrors: {} };
  const result = decodeTextFrame(vocabulary, text({ type: 'boom' }), false);
  assert.deepEqual(result, { ok: false, error: { code: 'invalid-message', message: 'A message could not be read.' } });
});

const FUZZ_SEED = 0x5eed_00de;
const FUZZ_COUNT = 4000;
/** Every sentence the decoder writes, with only our words in it. */
const OUR_SENTENCES = new RegExp(
  [
    /A binary frame arrived where only text messages are allowed\./,
    /A text frame was larger than \d+ bytes\./,
    /A message was not valid JSON\./,
    /Unknown message type( "[a-z][a-z0-9-]{0,31}")?\./,
    /The [a-z-]+ message was rejected( \(field "[A-Za-z0-9_.-]+"\))?: [\x20-\x7E]+…?/,
    /A message could not be read\./,
  ]
    .map((r) => `(?:${r.source})`)
    .join('|')
    .replace(/^/, '^(?:')
    .concat(')$'),
);

for (const side of ['client', 'host'] as const) {
  test(`${FUZZ_COUNT} fuzz frames through the ${side === 'client' ? 'host' : 'guest'}'s decoder (seed 0x${FUZZ_SEED.toString(16)}): a result every time, in our own words`, () => {
    const vocabulary = side === 'client' ? TO_HOST : TO_MEMBER;
    const codes = new Set([
      'name-invalid',
      'text-invalid',
      'invalid-message',
      'bad-json',
      'unknown-type',
      'frame-too-large',
      'binary-not-expected',
    ]);
    const seen = new Set<string>();
    for (const frame of fuzzFrames(FUZZ_SEED, FUZZ_COUNT, { side })) {
      const data = typeof frame.data === 'string' ? Buffer.from(frame.data) : frame.data;
      const result = decodeTextFrame(vocabulary, data, frame.binary);
      if (result.ok) {
        seen.add('ok');
        continue;
      }
      seen.add(result.error.code);
      assert.ok(codes.has(result.error.code), `${frame.label}: ${result.error.code}`);
      assert.match(result.error.message, OUR_SENTENCES, frame.label);
      assert.ok(result.error.message.length <= MAX_ERROR_SENTENCE, frame.label);
      assert.notEqual(
        result.error.message,
        'A message could not be read.',
        `${frame.label}: only the last-resort catch kept this from throwing`,
      );
    }
    // The generator reaches every outcome, valid messages included.
    assert.deepEqual([...seen].sort(), [...codes, 'ok'].sort());
  });
}

test("an unknown type given as a string is marked as such (a newer peer's message); a missing or odd one is not", () => {
  const newer = decode(text({ type: 'whiteboard', stroke: 1 }));
  assert.deepEqual(newer, { ok: false, error: { code: 'unknown-type', message: 'Unknown message type "whiteboard".' }, unknownType: true });
  for (const value of [{}, { type: 7 }, { type: null }, { type: ['chat'] }, [], 'chat']) {
    const result = decode(text(value));
    assert.ok(!result.ok);
    assert.equal(result.unknownType, undefined, JSON.stringify(value));
  }
});

test('a refused message of a known type names its type, and its id or ref when that is valid', () => {
  const chat = decode(text({ type: 'chat', id: 'k3J9x_2mQ1', text: '' }));
  assert.ok(!chat.ok);
  assert.equal(chat.error.code, 'text-invalid');
  assert.equal(chat.type, 'chat');
  assert.equal(chat.ref, 'k3J9x_2mQ1');
  const offer = decode(text({ type: 'file-offer', ref: 'offer.1', name: '', size: 1 }));
  assert.ok(!offer.ok);
  assert.equal(offer.type, 'file-offer');
  assert.equal(offer.ref, 'offer.1');
  // An id that breaks the rule is never repeated back.
  for (const id of ['has spaces', 'x'.repeat(65), '', 7, { a: 1 }, '<script>']) {
    const bad = decode(text({ type: 'chat', id, text: 'hi' }));
    assert.ok(!bad.ok);
    assert.equal(bad.ref, undefined, JSON.stringify(id));
  }
  // Other messages have no ref, whatever fields they carry.
  const answer = decode(text({ type: 'file-answer', transfer: 0, accept: true, ref: 'r1', id: 'i1' }));
  assert.ok(!answer.ok);
  assert.equal(answer.ref, undefined);
});

test('hello and welcome may carry fields named after a feature; they are dropped, other extra fields still refused', () => {
  assert.deepEqual(decode(text({ type: 'hello', name: 'Alice', features: ['chat/1', 'typing/1'], 'typing/1': { idleMs: 5000 } })), {
    ok: true,
    message: { type: 'hello', name: 'Alice', features: ['chat/1', 'typing/1'] },
  });
  failsWith(text({ type: 'hello', name: 'Alice', 'typing/1': 1, isAdmin: true }), 'invalid-message');
  failsWith(text({ type: 'hello', name: 'Alice', 'Typing/1': 1 }), 'invalid-message');
  failsWith(text({ type: 'chat', id: 'm1', text: 'hi', 'typing/1': true }), 'invalid-message');
  const welcome = {
    type: 'welcome',
    protocol: 'porthole.v1',
    room: 'r'.repeat(43),
    you: { id: 'a', name: 'A', host: false },
    resumeToken: 't'.repeat(43),
    members: [],
    history: [],
    historyGap: false,
    lastSeq: 0,
    heartbeat: { intervalMs: 1000, timeoutMs: 1000 },
    limits: { nameMaxChars: 32, textMaxChars: 4000, maxFrameBytes: 65536 },
  };
  const guestSide = (value: unknown) => decodeTextFrame(TO_MEMBER, text(value), false);
  const extended = guestSide({
    ...welcome,
    features: ['chat/1', 'files/1', 'typing/1'],
    rate: { capacity: 30, refillPerSecond: 10 },
    'typing/1': {},
  });
  assert.ok(extended.ok);
  assert.equal('typing/1' in extended.message, false);
  assert.equal(guestSide(welcome).ok, true, 'a version-1 welcome');
  assert.equal(guestSide({ ...welcome, rate: { capacity: 0, refillPerSecond: 10 } }).ok, false);
  assert.equal(guestSide({ ...welcome, rate: { capacity: 30, refillPerSecond: 10, burst: 1 } }).ok, false);
  assert.equal(guestSide({ ...welcome, motd: 'hi' }).ok, false);
});
