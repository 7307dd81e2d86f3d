import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNotifier, type NotificationHost } from '../../../src-renderer/state/desktop-notifications';
import { ana, bo, chat, transfer } from './room-fixtures';

function fakeHost(options: { focused?: boolean; permission?: NotificationPermission; answer?: NotificationPermission } = {}) {
  const shown: string[] = [];
  let requests = 0;
  let permission: NotificationPermission = options.permission ?? 'granted';
  const host: NotificationHost = {
    hasFocus: () => options.focused ?? false,
    permission: () => permission,
    requestPermission: async () => {
      requests += 1;
      permission = options.answer ?? 'granted';
      return permission;
    },
    show: (title, body) => shown.push(`${title}: ${body}`),
  };
  return { host, shown, requests: () => requests };
}

const tick = () => new Promise((r) => setImmediate(r));

test('a live message from someone else notifies while the window is in the background', () => {
  const f = fakeHost();
  createNotifier(f.host).roomEvent(chat(1, 'hello', ana), false, bo);
  assert.deepEqual(f.shown, ['Ana: hello']);
});

test('no notification for your own, replayed, join/leave lines, or while focused', () => {
  const f = fakeHost();
  const notifier = createNotifier(f.host);
  notifier.roomEvent(chat(1, 'mine', bo), false, bo);
  notifier.roomEvent(chat(2, 'old', ana), true, bo);
  notifier.roomEvent({ type: 'joined', seq: 3, ts: 1, member: ana }, false, bo);
  const focused = fakeHost({ focused: true });
  createNotifier(focused.host).roomEvent(chat(4, 'hi', ana), false, bo);
  assert.deepEqual(f.shown, []);
  assert.deepEqual(focused.shown, []);
});

test('an incoming offer notifies with the file and its size (a bundle: its count too); other transfer states do not', () => {
  const f = fakeHost();
  const notifier = createNotifier(f.host);
  notifier.offer(transfer('t1', { fileName: 'photos.zip', size: 3_000_000 }));
  notifier.offer(transfer('t2', { direction: 'outgoing' }));
  notifier.offer(transfer('t3', { state: 'receiving' }));
  notifier.offer(transfer('t4', { fileName: 'Holiday', files: 312, size: 2_100_000_000 }));
  assert.deepEqual(f.shown, ['Ana offers a file: photos.zip (3.0 MB)', 'Ana offers files: Holiday (312 files, 2.1 GB)']);
});

test('permission is asked once, lazily, and the first notification waits for the answer', async () => {
  const f = fakeHost({ permission: 'default' });
  const notifier = createNotifier(f.host);
  assert.equal(f.requests(), 0);
  notifier.roomEvent(chat(1, 'one', ana), false, bo);
  await tick();
  notifier.roomEvent(chat(2, 'two', ana), false, bo);
  assert.equal(f.requests(), 1);
  assert.deepEqual(f.shown, ['Ana: one', 'Ana: two']);
});

test('a refused permission is not asked again and shows nothing', async () => {
  const f = fakeHost({ permission: 'default', answer: 'denied' });
  const notifier = createNotifier(f.host);
  notifier.roomEvent(chat(1, 'one', ana), false, bo);
  await tick();
  notifier.roomEvent(chat(2, 'two', ana), false, bo);
  await tick();
  assert.equal(f.requests(), 1);
  assert.deepEqual(f.shown, []);
});

test('long messages are shortened in the notification', () => {
  const f = fakeHost();
  createNotifier(f.host).roomEvent(chat(1, 'y'.repeat(500), ana), false, bo);
  const body = f.shown[0]!.slice('Ana: '.length);
  assert.equal([...body].length, 140);
  assert.ok(body.endsWith('…'));
});
