import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from '../../../src-main/link/backoff';

const policy: BackoffPolicy = { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 10 };

test('doubles from the base delay, between half and all of the ceiling', () => {
  const ceilings = [100, 200, 400, 800];
  for (const [i, ceiling] of ceilings.entries()) {
    assert.equal(
      backoffDelay(policy, i + 1, () => 0),
      ceiling / 2,
    );
    assert.equal(
      backoffDelay(policy, i + 1, () => 0.999999),
      ceiling,
    );
    assert.equal(
      backoffDelay(policy, i + 1, () => 0.5),
      (ceiling * 3) / 4,
    );
  }
});

test('never exceeds the cap, however many attempts', () => {
  for (const attempt of [5, 6, 20, 100, 2000]) {
    assert.equal(
      backoffDelay(policy, attempt, () => 0.999999),
      1000,
    );
    assert.equal(
      backoffDelay(policy, attempt, () => 0),
      500,
    );
  }
});

test('with real randomness, guests dropped together spread out', () => {
  const delays = Array.from({ length: 50 }, () => backoffDelay(policy, 3));
  assert.ok(delays.every((d) => d >= 200 && d <= 400));
  assert.ok(new Set(delays).size > 5);
});

test('the default policy gives up after a bounded, sensible time', () => {
  let worst = 0;
  for (let a = 1; a <= DEFAULT_BACKOFF.maxAttempts; a++) worst += backoffDelay(DEFAULT_BACKOFF, a, () => 0.999999);
  assert.ok(DEFAULT_BACKOFF.baseDelayMs > 0 && DEFAULT_BACKOFF.maxAttempts > 0);
  assert.ok(worst <= 10 * 60_000, `worst case ${worst} ms`);
});
