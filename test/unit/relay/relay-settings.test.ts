// The relay as a setting: the window's settings keep a relay:// URI (checked, trimmed, cleared by
// empty), none by default; a hosted room then joins it and its invite names it, and the window
// hears the relay's state beside the port mapping's. The CLI's `--relay`/`--no-relay` remember it.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result, RoomView, SettingsView, AppSnapshot, RelayStatus } from '../../../src-preload/contract';
import { parseInvite } from '../../../src-main/link/invite';
import { settingsSchema } from '../../../src-main/config/settings';
import { deviceIdOf } from '../../../src-main/relay/device-id';
import { randomBytes } from 'node:crypto';
import { RelayServer, stopRelayServers } from '../../fixtures/relay-server';
import { desktopApp } from '../ipc/ipc-harness';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const app = (settings: Record<string, unknown> = {}) => desktopApp(cleanups, settings);

function data<T>(result: Result<T>): T {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  return (result as { ok: true; data: T }).data;
}

const ID = deviceIdOf(randomBytes(32));

describe('the relay setting', () => {
  test('no relay by default; an old settings file without one reads as none', () => {
    assert.equal(settingsSchema.parse({}).relay, undefined);
    assert.equal(settingsSchema.parse({ relay: 42 }).relay, undefined, 'a damaged value is dropped, not fatal');
  });

  test('a bad URI is refused with a sentence and nothing saved; a good one is kept, trimmed; empty clears it', async () => {
    const { call, config, events } = await app();
    const before = await readFile(join(config.configDir, 'settings.json'), 'utf8');
    for (const bad of [
      'relay.example.org:22067',
      'relay://relay.example.org:22067/',
      `relay://relay.example.org:99999/?id=${ID}`,
      'relay://x/?id=NOT-AN-ID',
    ]) {
      const result = await call('settings:update', { relay: bad });
      assert.equal(result.ok, false);
      const { error } = result as { ok: false; error: { code: string; message: string } };
      assert.equal(error.code, 'relay-invalid');
      assert.match(error.message, /^[A-Z].{10,}[.!?]$/s);
    }
    assert.equal(await readFile(join(config.configDir, 'settings.json'), 'utf8'), before);
    assert.deepEqual(events.of('settings:changed'), []);

    const uri = `relay://relay.example.org:22067/?id=${ID}&networkTimeout=2m0s`;
    assert.equal(data(await call<SettingsView>('settings:update', { relay: `  ${uri} ` })).relay, uri);
    assert.equal(data(await call<AppSnapshot>('app:snapshot')).settings.relay, uri);
    assert.equal(JSON.parse(await readFile(join(config.configDir, 'settings.json'), 'utf8')).relay, uri);
    assert.equal(data(await call<SettingsView>('settings:update', { upnp: false })).relay, uri, 'other changes keep it');
    assert.equal(data(await call<SettingsView>('settings:update', { relay: '' })).relay, '');
    assert.equal(JSON.parse(await readFile(join(config.configDir, 'settings.json'), 'utf8')).relay, undefined);
  });
});

describe('a hosted room with the relay set', () => {
  let relay: RelayServer;
  before(async () => {
    relay = await RelayServer.start();
  });
  after(() => stopRelayServers());

  test('joins it, names it in the invite, and tells the window its state and what the operator sees', async () => {
    const { call, events } = await app({ relay: relay.uriText });
    const room = data(await call<RoomView>('room:host', { name: 'Ada' }));
    assert.equal(parseInvite(room.invite!.invite).relay?.port, relay.port);
    assert.equal(room.invite!.relay?.address, `127.0.0.1:${relay.port}`);
    const joined: RelayStatus = await events.next('room:relay', (s) => s.state === 'joined', 15_000);
    assert.match(joined.message, /through the relay at 127\.0\.0\.1:\d+.*sees who connects and how much.*not what is said or sent/);
    assert.equal(data(await call<AppSnapshot>('app:snapshot')).room?.relay?.state, 'joined', 'a reload draws the current state');
    assert.equal(data(await call('room:leave')), null);
  });
});
