import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CloseCode, FINAL_CLOSE_CODES, LIMITS, PROTOCOL, nameSchema } from '../../../src-main/wire/protocol';
import { textSchema } from '../../../src-main/features/chat/chat-messages';
import { BUILD_MESSAGES } from '../../../src-main/session/room-features';

// The wire protocol of this build: the core, chat/1 and files/1, assembled by the registry.
const clientMessageSchema = BUILD_MESSAGES.toHost.schema;
const CLIENT_MESSAGE_TYPES = BUILD_MESSAGES.toHost.types;
const hostMessageSchema = BUILD_MESSAGES.toMember.schema;
const HOST_MESSAGE_TYPES = BUILD_MESSAGES.toMember.types;
import { TRANSFER_CLIENT_TYPES, TRANSFER_HOST_TYPES } from '../../../src-main/features/files/transfer-messages';
import { FILES2_CLIENT_SCHEMAS, FILES2_HOST_SCHEMAS } from '../../../src-main/features/files/v2/files2-messages';
import { typeOf } from '../../../src-main/wire/message-registry';

const token = () => randomBytes(32).toString('base64url');

test('the protocol version is the subprotocol porthole.v1', () => {
  assert.equal(PROTOCOL, 'porthole.v1');
});

test('names are trimmed and NFC-normalized; length counts characters, not UTF-16 units', () => {
  assert.equal(nameSchema.parse('  Alice \n'), 'Alice');
  assert.equal(nameSchema.parse('Ame\u0301lie'), 'Amélie'); // combining accent composed
  assert.equal(nameSchema.parse('x'.repeat(LIMITS.nameMaxChars)), 'x'.repeat(LIMITS.nameMaxChars));
  assert.equal(nameSchema.safeParse('🐙'.repeat(LIMITS.nameMaxChars)).success, true); // 2 UTF-16 units each
  assert.equal(nameSchema.safeParse('x'.repeat(LIMITS.nameMaxChars + 1)).success, false);
});

test('names refuse empty, control, zero-width and direction-override characters', () => {
  for (const bad of [
    '',
    '   ',
    'a\u0000b',
    'tab\there',
    'new\nline',
    'zero\u200Bwidth',
    'rlo\u202Egpj.exe',
    'iso\u2066x',
    'b\uFEFFom',
    'del\u007F',
  ]) {
    const result = nameSchema.safeParse(bad);
    assert.equal(result.success, false, JSON.stringify(bad));
  }
});

test('chat text allows tabs and newlines, refuses blank, too long, control and bidi overrides', () => {
  assert.equal(textSchema.parse('line 1\n\tline 2'), 'line 1\n\tline 2');
  assert.equal(textSchema.safeParse('y'.repeat(LIMITS.textMaxChars)).success, true);
  for (const bad of ['', ' \n\t ', 'y'.repeat(LIMITS.textMaxChars + 1), 'bell\u0007', 'esc\u001B[31m', 'rlo\u202Etxt', 'pdi\u2069']) {
    assert.equal(textSchema.safeParse(bad).success, false, JSON.stringify(bad).slice(0, 40));
  }
});

test('client messages: exact shapes only', () => {
  const ok = [
    { type: 'hello', name: 'Alice' },
    { type: 'hello', name: 'Alice', resume: { token: token(), lastSeq: 0 } },
    { type: 'chat', id: 'abc_DEF-1.2:3', text: 'hi' },
  ];
  for (const m of ok) assert.equal(clientMessageSchema.safeParse(m).success, true, JSON.stringify(m));
  const bad = [
    { type: 'hello', name: 'Alice', admin: true }, // unknown field
    { type: 'hello', name: 'Alice', resume: { token: 'short', lastSeq: 0 } },
    { type: 'hello', name: 'Alice', resume: { token: token(), lastSeq: -1 } },
    { type: 'hello', name: 'Alice', resume: { token: token(), lastSeq: 1.5 } },
    { type: 'chat', id: '', text: 'hi' },
    { type: 'chat', id: 'x'.repeat(LIMITS.clientMessageIdMaxChars + 1), text: 'hi' },
    { type: 'chat', id: 'has space', text: 'hi' },
    { type: 'chat', id: 'a', text: 42 },
    { type: 'welcome' },
  ];
  for (const m of bad) assert.equal(clientMessageSchema.safeParse(m).success, false, JSON.stringify(m).slice(0, 60));
  assert.deepEqual(
    [...CLIENT_MESSAGE_TYPES].sort(),
    ['chat', 'hello', 'typing', ...TRANSFER_CLIENT_TYPES, ...FILES2_CLIENT_SCHEMAS.map(typeOf)].sort(),
  );
});

test('host messages: a welcome and room events parse; members must be well formed', () => {
  const member = { id: 'abcdEFGH', name: 'Host', host: true };
  const welcome = {
    type: 'welcome',
    protocol: PROTOCOL,
    room: token(),
    you: { ...member, host: false, name: 'Alice' },
    resumeToken: token(),
    members: [member],
    history: [{ type: 'chat', seq: 1, ts: 1, from: member, id: 'm1', text: 'hi' }],
    historyGap: false,
    lastSeq: 1,
    heartbeat: { intervalMs: 1000, timeoutMs: 1000 },
    limits: { nameMaxChars: 32, textMaxChars: 4000, maxFrameBytes: 65536 },
  };
  assert.equal(hostMessageSchema.safeParse(welcome).success, true);
  assert.equal(hostMessageSchema.safeParse({ ...welcome, extra: 1 }).success, false);
  // A heartbeat past what a timer can hold would make a guest drop its link at once, forever.
  assert.equal(hostMessageSchema.safeParse({ ...welcome, heartbeat: { intervalMs: 2 ** 40, timeoutMs: 1 } }).success, false);
  assert.equal(hostMessageSchema.safeParse({ ...welcome, heartbeat: { intervalMs: 600_000, timeoutMs: 600_000 } }).success, true);
  assert.equal(hostMessageSchema.safeParse({ type: 'left', seq: 2, ts: 1, member, reason: 'timeout' }).success, true);
  assert.equal(hostMessageSchema.safeParse({ type: 'left', seq: 2, ts: 1, member, reason: 'exploded' }).success, false);
  assert.equal(hostMessageSchema.safeParse({ type: 'joined', seq: 2, ts: 1, member: { ...member, id: 'bad id!' } }).success, false);
  assert.equal(hostMessageSchema.safeParse({ type: 'error', code: 'rate-limited', message: 'slow down' }).success, true);
  assert.deepEqual(
    [...HOST_MESSAGE_TYPES].sort(),
    ['chat', 'error', 'joined', 'left', 'typing', 'welcome', ...TRANSFER_HOST_TYPES, ...FILES2_HOST_SCHEMAS.map(typeOf)].sort(),
  );
});

test('close codes: distinct, in range, and only the right ones stop reconnecting', () => {
  const codes = Object.values(CloseCode);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.ok(code === 1000 || code === 1001 || code === 1009 || (code >= 4000 && code <= 4999), String(code));
  // Refusals and deliberate closes are final...
  for (const code of [
    CloseCode.normal,
    CloseCode.roomClosed,
    CloseCode.badHello,
    CloseCode.nameTaken,
    CloseCode.roomFull,
    CloseCode.tooManyErrors,
    CloseCode.sessionReplaced,
    CloseCode.rateLimited,
  ]) {
    assert.ok(FINAL_CLOSE_CODES.has(code), String(code));
  }
  // ...while a dead link (heartbeat) or a slow start may be retried.
  assert.equal(FINAL_CLOSE_CODES.has(CloseCode.heartbeatTimeout), false);
  assert.equal(FINAL_CLOSE_CODES.has(CloseCode.helloTimeout), false);
  assert.equal(FINAL_CLOSE_CODES.has(1006), false);
});

test("hello: features are optional, listed by name/version; the welcome may carry the host's features and chat rate", () => {
  assert.equal(clientMessageSchema.safeParse({ type: 'hello', name: 'Alice' }).success, true, 'a version-1 hello');
  assert.equal(clientMessageSchema.safeParse({ type: 'hello', name: 'Alice', features: [] }).success, true);
  assert.equal(
    clientMessageSchema.safeParse({ type: 'hello', name: 'Alice', features: ['chat/1', 'files/1', 'whiteboard/3'] }).success,
    true,
  );
  assert.equal(clientMessageSchema.safeParse({ type: 'hello', name: 'Alice', features: 'chat/1' }).success, false);
  assert.equal(clientMessageSchema.safeParse({ type: 'hello', name: 'Alice', features: ['chat'] }).success, false);
  const welcome = {
    type: 'welcome',
    protocol: PROTOCOL,
    room: token(),
    you: { id: 'a', name: 'A', host: false },
    resumeToken: token(),
    members: [],
    history: [],
    historyGap: false,
    lastSeq: 0,
    heartbeat: { intervalMs: 20_000, timeoutMs: 20_000 },
    limits: { nameMaxChars: 32, textMaxChars: 4000, maxFrameBytes: 65536 },
  };
  assert.equal(hostMessageSchema.safeParse(welcome).success, true);
  assert.equal(
    hostMessageSchema.safeParse({ ...welcome, features: ['chat/1'], rate: { capacity: 30, refillPerSecond: 0.5 } }).success,
    true,
  );
  assert.equal(hostMessageSchema.safeParse({ ...welcome, rate: { capacity: 30 } }).success, false);
  assert.equal(hostMessageSchema.safeParse({ ...welcome, rate: { capacity: 1.5, refillPerSecond: 10 } }).success, false);
});
