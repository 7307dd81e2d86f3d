import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendEvents, MAX_KEPT_EVENTS } from '../../../src-renderer/state/chat-log';
import { chat, joined } from './room-fixtures';

const seqs = (log: { seq: number }[]) => log.map((e) => e.seq);

test('new events are appended in order', () => {
  const log = appendEvents([chat(1)], [chat(2), joined(3), chat(4)]);
  assert.deepEqual(seqs(log), [1, 2, 3, 4]);
});

test('events already in the log (a replay after reconnecting) are skipped', () => {
  const log = [chat(1), chat(2), chat(3)];
  const after = appendEvents(log, [chat(2), chat(3), chat(4)]);
  assert.deepEqual(seqs(after), [1, 2, 3, 4]);
  assert.equal(appendEvents(log, [chat(1), chat(3)]), log, 'nothing new gives back the same array');
});

test('repeats inside one batch are skipped too', () => {
  assert.deepEqual(seqs(appendEvents([], [chat(5), chat(5), chat(6), chat(6)])), [5, 6]);
});

test('a restarted host numbers from 1 again, and those events are still new', () => {
  const log = [chat(1), chat(2), chat(3)];
  const restarted = { ...chat(1, 'after restart'), ts: 9_999_999 };
  const after = appendEvents(log, [restarted]);
  assert.equal(after.length, 4);
  assert.equal(after.at(-1), restarted);
});

test('the log keeps only the newest events past the cap, trimming in steps', () => {
  const start = Array.from({ length: 10 }, (_, i) => chat(i + 1));
  const after = appendEvents(start, [chat(11)], 10);
  assert.ok(after.length <= 10);
  assert.equal(after.at(-1)?.seq, 11);
  assert.deepEqual(
    seqs(after),
    seqs(after).toSorted((a, b) => a - b),
  );
  assert.ok(!seqs(after).includes(1), 'the oldest line went first');
});

test('the default cap bounds a long session', () => {
  const many = Array.from({ length: MAX_KEPT_EVENTS + 500 }, (_, i) => chat(i + 1));
  const log = appendEvents([], many);
  assert.ok(log.length <= MAX_KEPT_EVENTS);
  assert.ok(log.length >= MAX_KEPT_EVENTS - 1000);
  assert.equal(log.at(-1)?.seq, MAX_KEPT_EVENTS + 500);
});
