import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History } from '../../../src-main/room/history';
import type { Member } from '../../../src-main/wire/protocol';
import type { ChatEvent } from '../../../src-main/features/chat/chat-messages';

const from: Member = { id: 'host1', name: 'Host', host: true };
const chat = (text: string) => ({ type: 'chat' as const, from, id: text, text });

function filled(size: number, count: number): History {
  const history = new History(size);
  for (let i = 1; i <= count; i++) history.append<ChatEvent>(chat(`m${i}`));
  return history;
}

test('numbers events from 1 and stamps the time', () => {
  const history = new History(10);
  assert.equal(history.lastSeq, 0);
  const before = Date.now();
  const a = history.append<ChatEvent>(chat('a'));
  const b = history.append<ChatEvent>(chat('b'));
  assert.deepEqual([a.seq, b.seq], [1, 2]);
  assert.ok(a.ts >= before && a.ts <= Date.now());
  assert.equal(a.text, 'a');
  assert.equal(history.lastSeq, 2);
});

test('since() returns the events after a sequence number, in order', () => {
  const history = filled(10, 5);
  assert.equal(history.since(0).gap, false);
  assert.deepEqual(
    history.since(0).events.map((e) => e.seq),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    history.since(3).events.map((e) => e.seq),
    [4, 5],
  );
  assert.deepEqual(history.since(5), { events: [], gap: false });
  assert.deepEqual(new History(3).since(0), { events: [], gap: false });
});

test('keeps only the newest `size` events and reports a gap when older ones were needed', () => {
  const history = filled(3, 8); // keeps 6, 7, 8
  assert.equal(history.lastSeq, 8);
  assert.deepEqual(
    history.since(0).events.map((e) => e.seq),
    [6, 7, 8],
  );
  assert.equal(history.since(0).gap, true);
  assert.equal(history.since(4).gap, true); // 5 is gone
  assert.equal(history.since(5).gap, false); // nothing missing: 6, 7, 8 all there
  assert.deepEqual(
    history.since(5).events.map((e) => e.seq),
    [6, 7, 8],
  );
  assert.equal(history.since(8).gap, false);
});

test('numbering continues across the cap', () => {
  const history = filled(2, 2);
  for (let i = 0; i < 100; i++) history.append<ChatEvent>(chat(`x${i}`));
  assert.equal(history.lastSeq, 102);
  assert.deepEqual(
    history.since(0).events.map((e) => e.seq),
    [101, 102],
  );
});

test('history is bounded by bytes as well as by count: the newest events that fit are kept', () => {
  const history = new History(500, 50_000);
  const long = (i: number) => `${i}:${'😀'.repeat(3990)}`; // ~16 KB of UTF-8 each, the most a message can take
  for (let i = 1; i <= 100; i++) history.append<ChatEvent>({ ...chat(long(i)), id: `m${i}` });
  const { events, gap } = history.since(0);
  assert.ok(history.keptBytes <= 50_000, `${history.keptBytes} bytes kept`);
  assert.equal(events.length, 3);
  assert.deepEqual(
    events.map((e) => e.seq),
    [98, 99, 100],
  );
  assert.equal(gap, true);
  assert.equal(Buffer.byteLength(JSON.stringify(events)) <= 50_000, true);
});

test('one event larger than the byte bound is still kept: the newest is never lost', () => {
  const history = new History(10, 10);
  history.append<ChatEvent>(chat('longer than ten bytes'));
  assert.equal(history.since(0).events.length, 1);
});
