import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes as sharedFormatBytes, formatDuration as sharedFormatDuration } from '../../../src-preload/domain-values';
import { formatBytes, formatDuration, formatSpeed, secondsLeft, timeLeftWords } from '../../../src-renderer/format/byte-units';

test('sizes use decimal SI units (1 MB = 1,000,000 B) with one decimal below ten', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(17), '17 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1000), '1.0 kB');
  assert.equal(formatBytes(1500), '1.5 kB');
  assert.equal(formatBytes(10_000), '10 kB');
  assert.equal(formatBytes(5_452_595), '5.5 MB');
  assert.equal(formatBytes(9_960_000), '10 MB');
  assert.equal(formatBytes(500_000_000), '500 MB');
  assert.equal(formatBytes(3 * 1000 ** 4), '3.0 TB');
});

test('a size just under the next unit moves up instead of showing 1000', () => {
  assert.equal(formatBytes(999_999), '1.0 MB');
  assert.equal(formatBytes(1000 ** 3 - 10), '1.0 GB');
  assert.equal(formatBytes(999_400), '999 kB');
});

test('the window formats sizes with the one formatter the CLI uses', () => {
  assert.equal(formatBytes, sharedFormatBytes);
});

test('nonsense sizes show a dash, not NaN', () => {
  assert.equal(formatBytes(-1), '—');
  assert.equal(formatBytes(Number.NaN), '—');
  assert.equal(formatBytes(Number.POSITIVE_INFINITY), '—');
});

test('speed is a size per second, and nothing while stalled', () => {
  assert.equal(formatSpeed(1_887_436), '1.9 MB/s');
  assert.equal(formatSpeed(512), '512 B/s');
  assert.equal(formatSpeed(0), null);
  assert.equal(formatSpeed(-5), null);
});

test('time left is remaining bytes over speed, rounded up', () => {
  assert.equal(secondsLeft(1000, 100), 10);
  assert.equal(secondsLeft(1001, 100), 11);
  assert.equal(secondsLeft(0, 100), 0);
  assert.equal(secondsLeft(-50, 100), 0);
  assert.equal(secondsLeft(1000, 0), null);
});

test('durations read the way people say them', () => {
  assert.equal(formatDuration(0.2), 'less than a second');
  assert.equal(formatDuration(45), '45 s');
  assert.equal(formatDuration(60), '1 min');
  assert.equal(formatDuration(200), '3 min 20 s');
  assert.equal(formatDuration(3600), '1 h');
  assert.equal(formatDuration(7500), '2 h 5 min');
});

test('a transfer says how long it has left, or nothing without a speed', () => {
  assert.equal(timeLeftWords(314_572_800, 104_857_600, 10_485_760), '20 s left');
  assert.equal(timeLeftWords(42_000_000, 26_040_000, 3_500_000), '5 s left');
  assert.equal(timeLeftWords(100, 100, 50), 'less than a second left');
  assert.equal(timeLeftWords(100, 10, 0), null);
});

test('the time left main worked out wins over the window’s own estimate', () => {
  assert.equal(timeLeftWords(314_572_800, 104_857_600, 10_485_760, 95), '1 min 35 s left');
  assert.equal(timeLeftWords(100, 10, 0, 3), '3 s left');
});

test('the window and the CLI share the duration words', () => {
  assert.equal(formatDuration, sharedFormatDuration);
  assert.equal(formatDuration(Number.NaN), 'less than a second');
});
