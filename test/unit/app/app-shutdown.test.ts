import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupShutdown, SHUTDOWN_LIMIT_MS } from '../../../src-main/app/app-shutdown';
import { fakeElectron, FakeEvent } from './fake-electron';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the shutdown cap is six seconds', () => {
  assert.equal(SHUTDOWN_LIMIT_MS, 6000);
});

test('a shutdown that hangs is cut off at the cap: the app quits anyway, after the last step', async () => {
  const fake = fakeElectron();
  const order: string[] = [];
  setupShutdown(
    fake.electron,
    { stop: () => new Promise<void>(() => order.push('stop')), finally: () => void order.push('log closed') },
    80,
  );
  const first = new FakeEvent();
  fake.app.emit('before-quit', first);
  assert.equal(first.defaultPrevented, true);
  const again = new FakeEvent();
  fake.app.emit('before-quit', again);
  assert.equal(again.defaultPrevented, true, 'a second Quit while stopping is held too, and starts nothing');
  await wait(40);
  assert.equal(fake.app.quits, 0, 'not before the cap');
  await wait(100);
  assert.deepEqual(order, ['stop', 'log closed']);
  assert.equal(fake.app.quits, 1);
  const last = new FakeEvent();
  fake.app.emit('before-quit', last);
  assert.equal(last.defaultPrevented, false, 'the quit it started goes through');
});

test('a shutdown that fails still quits', async () => {
  const fake = fakeElectron();
  setupShutdown(fake.electron, { stop: () => Promise.reject(new Error('boom')) }, 5000);
  fake.app.emit('before-quit', new FakeEvent());
  await wait(20);
  assert.equal(fake.app.quits, 1);
});
