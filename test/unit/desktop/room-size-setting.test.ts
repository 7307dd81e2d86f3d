// The Room size in the window: a setting (50 until chosen, 2 to 300, refused with a sentence and
// nothing saved otherwise) that a hosted room takes at start and follows while it is open — a
// smaller size removes nobody and turns newcomers away, a larger one lets them in.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSnapshot, Result, RoomView, SettingsView } from '../../../src-preload/contract';
import { RoomClient } from '../../../src-main/session/room-client';
import { ROOM_SIZE_RULE } from '../../../src-main/room/room-size';
import { PortholeError } from '../../../src-main/wire/errors';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { desktopApp } from '../ipc/ipc-harness';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function app(settings: Record<string, unknown> = {}) {
  const { config, call } = await desktopApp(cleanups, settings);
  const saved = async () => JSON.parse(await readFile(join(config.configDir, 'settings.json'), 'utf8'));
  return { call, saved };
}

function data<T>(result: Result<T>): T {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  return (result as { ok: true; data: T }).data;
}

async function guest(invite: string, name: string): Promise<RoomClient> {
  const client = await RoomClient.join(invite, { name });
  cleanups.push(() => client.close());
  return client;
}

const roomFull = (err: unknown) => err instanceof PortholeError && err.code === 'room-full';

test('50 people until chosen; a size out of range is refused with the range and nothing is saved; one in range is kept', async () => {
  const { call, saved } = await app();
  assert.equal(data(await call<AppSnapshot>('app:snapshot')).settings.maxPeople, 50);
  const before = await saved();
  for (const bad of [1, 301, 0, -4]) {
    const result = await call('settings:update', { maxPeople: bad });
    assert.deepEqual(result, { ok: false, error: { code: 'invalid-request', message: ROOM_SIZE_RULE } }, `${bad}`);
  }
  const half = await call('settings:update', { maxPeople: 2.5 });
  assert.equal(half.ok, false, 'not a whole number: refused at the IPC edge');
  assert.deepEqual(await saved(), before);

  assert.equal(data(await call<SettingsView>('settings:update', { maxPeople: 120 })).maxPeople, 120);
  assert.equal((await saved()).maxPeople, 120);
  assert.equal(data(await call<SettingsView>('settings:update', { upnp: false })).maxPeople, 120, 'other changes keep it');
  assert.equal(data(await call<AppSnapshot>('app:snapshot')).settings.maxPeople, 120);
});

test('a hosted room takes the size at start and follows a change: smaller removes nobody, larger lets newcomers in', async () => {
  const { call } = await app({ maxPeople: 3 });
  const room = data(await call<RoomView>('room:host', { name: 'Ada' }));
  const invite = loopbackInvite(room.invite!.invite);
  await guest(invite, 'Alice');
  await guest(invite, 'Bob');
  await assert.rejects(guest(invite, 'Carol'), roomFull);

  data(await call('settings:update', { maxPeople: 2 }));
  assert.equal(data(await call<AppSnapshot>('app:snapshot')).room?.members.length, 3, 'nobody removed');
  await assert.rejects(guest(invite, 'Carol'), roomFull);

  data(await call('settings:update', { maxPeople: 4 }));
  await guest(invite, 'Carol');
  assert.equal(data(await call<AppSnapshot>('app:snapshot')).room?.members.length, 4);

  // After the room, a change is only a setting again; the next room takes it.
  assert.equal(data(await call('room:leave')), null);
  data(await call('settings:update', { maxPeople: 2 }));
  const next = data(await call<RoomView>('room:host', { name: 'Ada' }));
  const nextInvite = loopbackInvite(next.invite!.invite);
  await guest(nextInvite, 'Dora');
  await assert.rejects(guest(nextInvite, 'Eve'), roomFull);
});
