import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, formatDateTime, isoTime } from '../../../src-renderer/format/clock-time';

test("a timestamp shows in the locale's own clock: 24-hour where it is the custom, 12-hour where that is", () => {
  const morning = new Date(2026, 0, 2, 9, 5, 59).getTime();
  const evening = new Date(2026, 0, 2, 23, 0).getTime();
  assert.equal(formatClock(morning, 'en-GB'), '09:05');
  assert.equal(formatClock(evening, 'de-DE'), '23:00');
  // US English: 12-hour with a day period (the space before it may be a narrow no-break space).
  assert.match(formatClock(morning, 'en-US'), /^9:05\s?AM$/u);
  assert.match(formatClock(evening, 'en-US'), /^11:00\s?PM$/u);
});

test('the hour cycle follows the locale extension, as a system set to 12-hour would give', () => {
  assert.match(formatClock(new Date(2026, 0, 2, 15, 30).getTime(), 'en-GB-u-hc-h12'), /^3:30\s?pm$/iu);
});

test('a timestamp outside the Date range shows placeholders instead of throwing', () => {
  assert.equal(formatClock(Number.MAX_SAFE_INTEGER), '--:--');
  assert.equal(formatDateTime(Number.MAX_SAFE_INTEGER), '');
  assert.equal(isoTime(Number.MAX_SAFE_INTEGER), '');
  assert.equal(isoTime(0), '1970-01-01T00:00:00.000Z');
});
