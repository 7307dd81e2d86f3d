import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayKey, dayLabel, startsNewDay } from '../../../src-renderer/format/day-labels';

const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const now = at(2026, 3, 10, 9, 30);

test('today and yesterday are named; other days are dated, with the year only when it differs', () => {
  assert.equal(dayLabel(at(2026, 3, 10, 0, 1), now, 'en-GB'), 'Today');
  assert.equal(dayLabel(at(2026, 3, 9, 23, 59), now, 'en-GB'), 'Yesterday');
  assert.equal(dayLabel(at(2026, 3, 2), now, 'en-GB'), 'Monday 2 March');
  assert.equal(dayLabel(at(2025, 12, 31), now, 'en-GB'), 'Wednesday, 31 December 2025');
  assert.equal(dayLabel(at(2026, 3, 2), now, 'en-US'), 'Monday, March 2');
});

test('yesterday across a month and a year boundary', () => {
  assert.equal(dayLabel(at(2026, 2, 28), at(2026, 3, 1, 8), 'en-GB'), 'Yesterday');
  assert.equal(dayLabel(at(2025, 12, 31, 23), at(2026, 1, 1, 0, 5), 'en-GB'), 'Yesterday');
});

test('a separator goes above the first line and the first line of each local day, not between lines of one day', () => {
  assert.equal(startsNewDay(at(2026, 3, 10, 9), undefined), true);
  assert.equal(startsNewDay(at(2026, 3, 10, 23, 59), at(2026, 3, 10, 0, 0)), false);
  assert.equal(startsNewDay(at(2026, 3, 11, 0, 0), at(2026, 3, 10, 23, 59)), true);
  assert.equal(dayKey(at(2026, 3, 10, 0)), dayKey(at(2026, 3, 10, 23, 59)));
});

test('a timestamp outside the Date range gives no label and never throws', () => {
  assert.equal(dayLabel(Number.MAX_SAFE_INTEGER, now), '');
  assert.equal(dayKey(Number.NaN), '');
});
