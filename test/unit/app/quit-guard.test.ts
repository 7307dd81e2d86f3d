// Quitting or closing the window with a room hosted or a transfer running asks first; Cancel keeps
// everything running, Quit asks once and then shuts down in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserWindow } from 'electron';
import { setupShutdown } from '../../../src-main/app/app-shutdown';
import { createQuitGuard } from '../../../src-main/app/quit-guard';
import type { QuitQuestion } from '../../../src-main/desktop/desktop-core';
import { fakeElectron, FakeEvent } from './fake-electron';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const HOSTING: QuitQuestion = { message: 'Stop hosting and quit?', detail: 'Quitting closes the room for everyone.' };

function shell(question: QuitQuestion | undefined) {
  const fake = fakeElectron();
  const window = new fake.electron.BrowserWindow({}) as unknown as BrowserWindow;
  let stops = 0;
  const guard = createQuitGuard(
    fake.electron,
    () => question,
    () => window,
  );
  guard.watch(window);
  setupShutdown(fake.electron, { confirm: () => guard.confirm(), stop: async () => void stops++ }, 1000);
  return { fake, window, stops: () => stops };
}

test('with nothing to lose, quitting asks nothing and shuts down', async () => {
  const { fake, stops } = shell(undefined);
  fake.app.emit('before-quit', new FakeEvent());
  await settle();
  assert.deepEqual(fake.messageBoxes, []);
  assert.equal(stops(), 1);
  assert.equal(fake.app.quits, 1);
});

test('hosting: Quit from the menu asks; Cancel keeps the room, and a later Quit goes through', async () => {
  const { fake, stops } = shell(HOSTING);
  fake.messageBoxAnswers.push(1); // Cancel
  const first = new FakeEvent();
  fake.app.emit('before-quit', first);
  assert.equal(first.defaultPrevented, true);
  await settle();
  assert.equal(fake.messageBoxes.length, 1);
  assert.deepEqual(
    { ...(fake.messageBoxes[0] as object), buttons: (fake.messageBoxes[0] as { buttons: string[] }).buttons },
    { type: 'question', buttons: ['Quit', 'Cancel'], defaultId: 1, cancelId: 1, ...HOSTING },
  );
  assert.equal(stops(), 0, 'nothing stopped');
  assert.equal(fake.app.quits, 0);
  fake.messageBoxAnswers.push(0); // Quit
  fake.app.emit('before-quit', new FakeEvent());
  await settle();
  assert.equal(fake.messageBoxes.length, 2);
  assert.equal(stops(), 1);
  assert.equal(fake.app.quits, 1);
});

test('hosting: closing the window asks once; Quit closes it through the same ordered shutdown', async () => {
  const { fake, window, stops } = shell(HOSTING);
  fake.messageBoxAnswers.push(0);
  const close = new FakeEvent();
  (window as unknown as { emit(e: string, v: unknown): void }).emit('close', close);
  assert.equal(close.defaultPrevented, true, 'the window stays until the person answers');
  await settle();
  assert.equal(fake.app.quits, 1, 'Quit quits the app');
  fake.app.emit('before-quit', new FakeEvent()); // what app.quit() sets off in Electron
  await settle();
  assert.equal(fake.messageBoxes.length, 1, 'asked once: the quit that follows is the same decision');
  assert.equal(stops(), 1);
});

test('two quits at once show one question', async () => {
  const { fake } = shell(HOSTING);
  fake.messageBoxAnswers.push(1);
  fake.app.emit('before-quit', new FakeEvent());
  fake.app.emit('before-quit', new FakeEvent());
  await settle();
  assert.equal(fake.messageBoxes.length, 1);
});
