import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortField } from '../../../src-renderer/format/port-field';
import { memberEventSentence, portMappingWords, sessionStatusWords } from '../../../src-renderer/format/room-words';
import { endedBadly, isFinal, recipientStateWords, transferStateWords } from '../../../src-renderer/format/transfer-words';
import { orderTransfers } from '../../../src-renderer/state/transfer-list';
import { ana, bo, chat, transfer } from './room-fixtures';

test('join and leave lines say who and why', () => {
  assert.equal(memberEventSentence({ type: 'joined', seq: 1, ts: 0, member: ana }), 'Ana joined');
  assert.equal(memberEventSentence({ type: 'left', seq: 2, ts: 0, member: bo, reason: 'left' }), 'Bo left');
  assert.equal(memberEventSentence({ type: 'left', seq: 3, ts: 0, member: bo, reason: 'timeout' }), 'Bo left (stopped responding)');
  assert.equal(memberEventSentence({ type: 'left', seq: 4, ts: 0, member: bo, reason: 'removed' }), 'Bo was removed from the room');
  assert.equal(memberEventSentence(chat(5)), null);
});

test('the connection state names the reconnect attempt', () => {
  assert.deepEqual(sessionStatusWords({ state: 'reconnecting', attempt: 3 }), { text: 'Reconnecting… (attempt 3)', tone: 'working' });
  assert.equal(sessionStatusWords({ state: 'connected' }).tone, 'ok');
  assert.equal(sessionStatusWords({ state: 'closed' }).tone, 'problem');
});

test('port mapping: off when absent, the main sentence otherwise', () => {
  const off = portMappingWords(undefined);
  assert.equal(off.tone, 'off');
  assert.match(off.detail, /Settings/);
  const cgnat = portMappingWords({ code: 'cgnat', message: 'Your provider shares its address.', internalPort: 1 });
  assert.deepEqual([cgnat.tone, cgnat.detail], ['problem', 'Your provider shares its address.']);
  assert.equal(portMappingWords({ code: 'mapped', message: 'm', internalPort: 1 }).tone, 'ok');
  assert.equal(portMappingWords({ code: 'starting', message: 's', internalPort: 1 }).tone, 'working');
});

test('transfer states read from the side looking at them', () => {
  assert.equal(transferStateWords({ state: 'offered', direction: 'incoming' }), 'Waiting for you');
  assert.equal(transferStateWords({ state: 'offered', direction: 'outgoing' }), 'Waiting for answers');
  assert.equal(transferStateWords({ state: 'done', direction: 'incoming' }), 'Saved');
  assert.equal(transferStateWords({ state: 'done', direction: 'outgoing' }), 'Sent');
  assert.deepEqual(['done', 'declined', 'cancelled', 'failed', 'sending', 'offered', 'verifying'].map((s) => isFinal(s as never)), [true, true, true, true, false, false, false]);
  assert.equal(endedBadly('done'), false);
  assert.equal(endedBadly('failed'), true);
  assert.equal(recipientStateWords('ended', 'disk-full'), 'Stopped (disk full)');
  assert.equal(recipientStateWords('accepted'), 'Receiving');
});

test('offers waiting for you come first, finished transfers last, newest first within', () => {
  const list = [
    transfer('old-done', { state: 'done' }),
    transfer('running', { state: 'receiving' }),
    transfer('offer', { state: 'offered' }),
    transfer('out-offered', { direction: 'outgoing', state: 'offered' }),
    transfer('new-failed', { state: 'failed' }),
  ];
  assert.deepEqual(orderTransfers(list).map((t) => t.id), ['offer', 'out-offered', 'running', 'new-failed', 'old-done']);
});

test('the port field: empty is any port, otherwise 1–65535', () => {
  assert.deepEqual(parsePortField('  '), { ok: true, port: null });
  assert.deepEqual(parsePortField(' 41234 '), { ok: true, port: 41234 });
  for (const bad of ['0', '65536', '12.5', '-1', 'abc', '1e3', '123456']) assert.equal(parsePortField(bad).ok, false, bad);
});
