// What quitting would stop, as the question the app asks before it quits: a real desktop core
// hosting a room on 127.0.0.1 (port forwarding off), and a guest's core moving a file.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDesktopCore } from '../../../src-main/desktop/desktop-core';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { recordingPlatform, tempConfig } from '../ipc/ipc-harness';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function core() {
  const config = await tempConfig();
  const made = createDesktopCore({
    configDir: config.configDir,
    platform: recordingPlatform().platform,
    listenHost: '127.0.0.1',
    sink: () => {},
  });
  cleanups.push(config.remove, made.shutdown);
  return { ...made, config };
}

test('nothing to lose on the start screen; hosting asks to stop hosting, naming who is disconnected', async () => {
  const host = await core();
  assert.equal(host.quitQuestion(), undefined);
  const hosted = await host.handlers['room:host']({ name: 'Ada' });
  assert.deepEqual(host.quitQuestion(), { message: 'Stop hosting and quit?', detail: 'Quitting closes the room for everyone.' });
  const guest = await core();
  const joined = await guest.handlers['room:join']({ invite: loopbackInvite(hosted.invite!.invite), name: 'Bob' });
  assert.equal(joined.role, 'guest');
  assert.equal(guest.quitQuestion(), undefined, 'a guest with nothing moving leaves nothing behind');
  await waitUntil(() => (host.quitQuestion()?.detail ?? '').includes('one person'));
  assert.equal(host.quitQuestion()?.detail, 'Quitting closes the room for everyone. The one person in it is disconnected.');
  await host.handlers['room:leave']();
  assert.equal(host.quitQuestion(), undefined);
});

test('a guest sending a file is asked before quitting', async () => {
  const host = await core();
  const hosted = await host.handlers['room:host']({ name: 'Ada' });
  const guest = await core();
  const joined = await guest.handlers['room:join']({ invite: loopbackInvite(hosted.invite!.invite), name: 'Bob' });
  assert.equal(joined.role, 'guest');
  // A file big enough to still be moving while the question is asked: the host never answers the offer here.
  const path = join(guest.config.root, 'big.bin');
  await writeFile(path, Buffer.alloc(64 * 1024 * 1024, 1));
  const offered = await guest.handlers['transfer:offer-paths']({ paths: [path] });
  assert.ok(offered.transferId, JSON.stringify(offered));
  assert.equal(guest.quitQuestion(), undefined, 'an offer nobody answered loses nothing');
  const incoming = await waitFor(async () => {
    const snap = await host.handlers['app:snapshot']();
    return snap.room?.transfers.find((t) => t.direction === 'incoming');
  });
  await host.handlers['transfer:accept'](incoming.id);
  await waitUntil(() => guest.quitQuestion() !== undefined || host.quitQuestion()?.detail.includes('transfer') === true);
  const asked = guest.quitQuestion() ?? host.quitQuestion();
  assert.match(asked?.detail ?? '', /file transfer is still running/);
});

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  await waitFor(async () => (check() ? true : undefined), timeoutMs);
}
