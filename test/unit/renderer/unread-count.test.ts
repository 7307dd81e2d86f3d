import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_UNREAD, createUnreadCounter, titleWithCount, unreadAfter } from '../../../src-renderer/state/unread-count';
import { ana, bo, chat, joined } from './room-fixtures';

function setup() {
  let away = true;
  const shown: number[] = [];
  const counter = createUnreadCounter({ isAway: () => away, show: (n) => void shown.push(n) });
  return { counter, shown, setAway: (value: boolean) => (away = value) };
}

test('live chat lines from others count while away; mine, replayed ones and join lines do not', () => {
  const s = setup();
  s.counter.roomEvent(chat(1, 'hi', ana), false, bo);
  s.counter.roomEvent(chat(2, 'mine', bo), false, bo);
  s.counter.roomEvent(chat(3, 'old', ana), true, bo);
  s.counter.roomEvent(joined(4), false, bo);
  s.counter.roomEvent(chat(5, 'again', ana), false, bo);
  assert.deepEqual(s.shown, [1, 2]);
});

test('nothing counts while the window is looked at, and looking at it clears the count once', () => {
  const s = setup();
  s.counter.roomEvent(chat(1), false, bo);
  s.counter.seen();
  s.counter.seen();
  s.setAway(false);
  s.counter.roomEvent(chat(2), false, bo);
  assert.deepEqual(s.shown, [1, 0]);
});

test('the count stops at the badge limit, and the title carries it', () => {
  assert.equal(unreadAfter(MAX_UNREAD, chat(1), false, bo, true), MAX_UNREAD);
  assert.equal(unreadAfter(0, chat(1), false, null, true), 1, 'with no room yet everyone else counts');
  assert.equal(titleWithCount('Porthole', 3), '(3) Porthole');
  assert.equal(titleWithCount('Porthole', 0), 'Porthole');
});
