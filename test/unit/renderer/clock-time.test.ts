import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, isoTime } from '../../../src-renderer/format/clock-time';

test('a timestamp shows as local HH:MM with leading zeros', () => {
  assert.equal(formatClock(new Date(2026, 0, 2, 9, 5, 59).getTime()), '09:05');
  assert.equal(formatClock(new Date(2026, 0, 2, 23, 0).getTime()), '23:00');
  assert.equal(formatClock(new Date(2026, 0, 2, 0, 7).getTime()), '00:07');
});

test('a timestamp outside the Date range shows placeholders instead of throwing', () => {
  assert.equal(formatClock(Number.MAX_SAFE_INTEGER), '--:--');
  assert.equal(isoTime(Number.MAX_SAFE_INTEGER), '');
  assert.equal(isoTime(0), '1970-01-01T00:00:00.000Z');
});
