import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../../src-main/wire/rate-limiter';

function clocked(capacity: number, refillPerSecond: number) {
  let now = 1000;
  const limiter = new RateLimiter(capacity, refillPerSecond, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

const takeMany = (limiter: RateLimiter, n: number) => Array.from({ length: n }, () => limiter.take()).filter(Boolean).length;

test('a full bucket allows a burst of `capacity`, then refuses', () => {
  const { limiter } = clocked(5, 1);
  assert.equal(takeMany(limiter, 5), 5);
  assert.equal(limiter.take(), false);
  assert.equal(limiter.take(), false);
});

test('tokens come back at the refill rate, one whole token at a time', () => {
  const { limiter, advance } = clocked(5, 2);
  takeMany(limiter, 5);
  advance(499);
  assert.equal(limiter.take(), false); // 0.998 of a token
  advance(1);
  assert.equal(limiter.take(), true);
  assert.equal(limiter.take(), false);
  advance(1500); // three more
  assert.equal(takeMany(limiter, 10), 3);
});

test('an idle sender never saves up more than `capacity`', () => {
  const { limiter, advance } = clocked(3, 10);
  advance(60_000);
  assert.equal(takeMany(limiter, 100), 3);
});

test('refused attempts do not cost tokens', () => {
  const { limiter, advance } = clocked(1, 1);
  limiter.take();
  for (let i = 0; i < 50; i++) limiter.take();
  advance(1000);
  assert.equal(limiter.take(), true);
});

test('the default clock works', () => {
  const limiter = new RateLimiter(2, 1);
  assert.equal(takeMany(limiter, 3), 2);
});

test('msUntilToken says how long until the next take() succeeds', () => {
  const { limiter, advance } = clocked(2, 4);
  assert.equal(limiter.msUntilToken(), 0);
  limiter.take();
  limiter.take();
  assert.equal(limiter.msUntilToken(), 250);
  advance(100);
  assert.equal(limiter.msUntilToken(), 150);
  advance(150);
  assert.equal(limiter.msUntilToken(), 0);
  assert.equal(limiter.take(), true);
});

test('a bucket may start below full', () => {
  let now = 0;
  const limiter = new RateLimiter(5, 1, () => now, 2);
  assert.equal(takeMany(limiter, 10), 2);
  now += 1000;
  assert.equal(takeMany(limiter, 10), 1);
});
