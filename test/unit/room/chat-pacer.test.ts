import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatPacer, pacedRate } from '../../../src-main/features/chat/chat-pacer';
import { RateLimiter } from '../../../src-main/wire/rate-limiter';

test("a guest stays at half the host's burst and 90 % of its refill", () => {
  assert.deepEqual(pacedRate({ capacity: 30, refillPerSecond: 10 }), { capacity: 15, refillPerSecond: 9 });
  assert.deepEqual(pacedRate({ capacity: 1, refillPerSecond: 2 }), { capacity: 1, refillPerSecond: 1.8 });
});

test('a burst goes at once up to the paced capacity, the rest in order at the paced rate', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const sent: number[] = [];
  const pacer = new ChatPacer(
    { capacity: 10, refillPerSecond: 10 },
    (n: number) => sent.push(n),
    () => now,
  );
  for (let i = 0; i < 20; i++) pacer.push(i);
  assert.deepEqual(sent, [0, 1, 2, 3, 4], "half the host's burst");
  assert.equal(pacer.waiting, 15);
  for (let step = 0; step < 40 && pacer.waiting > 0; step++) {
    now += 1000 / 9;
    t.mock.timers.tick(1000 / 9);
  }
  assert.deepEqual(
    sent,
    Array.from({ length: 20 }, (_, i) => i),
    'all of them, in order',
  );
});

test("the host's bucket never runs dry for a paced guest, the hello's token included", (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  // Replays what the pacer sends against the host's own bucket, on one clock.
  let now = 0;
  const host = new RateLimiter(30, 10, () => now);
  assert.equal(host.take(), true, 'the hello');
  let sent = 0;
  let refused = 0;
  const pacer = new ChatPacer(
    { capacity: 30, refillPerSecond: 10 },
    () => {
      sent += 1;
      if (!host.take()) refused += 1;
    },
    () => now,
  );
  for (let i = 0; i < 100; i++) pacer.push(i);
  for (let ms = 0; ms < 15_000; ms += 10) {
    now += 10;
    t.mock.timers.tick(10);
    if (ms % 500 === 0) for (let i = 0; i < 5; i++) pacer.push(i); // more typed meanwhile
  }
  pacer.stop();
  assert.ok(sent > 100, `${sent} sent`);
  assert.equal(refused, 0);
});

test('stop() forgets what waits', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const sent: number[] = [];
  const pacer = new ChatPacer(
    { capacity: 2, refillPerSecond: 1 },
    (n: number) => sent.push(n),
    () => now,
  );
  for (let i = 0; i < 3; i++) pacer.push(i);
  assert.deepEqual(sent, [0], 'a burst of 1 (the hello took one of 2)');
  pacer.stop();
  now += 10_000;
  t.mock.timers.tick(10_000);
  assert.deepEqual(sent, [0]);
  assert.equal(pacer.waiting, 0);
});
