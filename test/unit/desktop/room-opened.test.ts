// The window learns that a room opened from `room:opened`, pushed on the same ordered channel
// before every later event of that room: start-up warnings and the router's first answer come
// after it and are not lost; and a window reloaded during a host or a join is told which is on its way.
// Real desktop cores, rooms on 127.0.0.1 only; the router helper is a silent stand-in.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { AppSnapshot, EventName, RoomView } from '../../../src-preload/contract';
import { createDesktopCore } from '../../../src-main/desktop/desktop-core';
import type { DesktopPlatform } from '../../../src-main/desktop/desktop-platform';
import { formatInvite, parseInvite } from '../../../src-main/link/invite';
import type { MapperProcess } from '../../../src-main/nat/mapper-process';
import { PortholeError } from '../../../src-main/wire/errors';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { recordingPlatform, tempConfig } from '../ipc/ipc-harness';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Pushed = { event: EventName; payload: unknown };

/** A desktop core in a fresh config dir; `onEvent` sees every pushed event as it is pushed. */
async function core(options: { settings?: Record<string, unknown>; platform?: DesktopPlatform; onEvent?: (e: Pushed) => void } = {}) {
  const config = await tempConfig(options.settings);
  const events: Pushed[] = [];
  const made = createDesktopCore({
    configDir: config.configDir,
    platform: options.platform ?? recordingPlatform().platform,
    listenHost: '127.0.0.1',
    sink: (event, payload) => {
      events.push({ event, payload });
      options.onEvent?.({ event, payload });
    },
  });
  cleanups.push(config.remove, made.shutdown);
  return { ...made, events, config, names: () => events.map((e) => e.event) };
}

/** A router helper that starts and never answers; it exits when killed. */
function silentRouterHelper() {
  const started: string[] = [];
  const forkUpnp = (modulePath: string): MapperProcess => {
    started.push(modulePath);
    const exits: Array<(code: number | null) => void> = [];
    return {
      pid: 4242,
      send: () => {},
      kill: () => setImmediate(() => exits.splice(0).forEach((listener) => listener(null))),
      onMessage: () => {},
      onExit: (listener) => void exits.push(listener),
    };
  };
  return { forkUpnp, started };
}

/** An address that accepts TCP and never answers TLS: a join to it stays on its way. */
async function silentAddress() {
  const sockets: Socket[] = [];
  let arrived: () => void = () => {};
  const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.resume();
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, firstArrival };
}

const cancelled = (err: unknown) => err instanceof PortholeError && err.code === 'cancelled';

test('a warning from the room start-up is pushed after room:opened, not lost before it', async () => {
  const host = await core();
  // A damaged identity is set aside and replaced: the room opens with a warning saying so.
  await writeFile(join(host.config.configDir, 'host-identity.pem'), 'not a certificate');
  const view = await host.handlers['room:host']({ name: 'Hosty' });

  const opened = host.names().indexOf('room:opened');
  const warned = host.names().indexOf('room:warning');
  assert.ok(opened >= 0, 'room:opened was pushed');
  assert.ok(warned > opened, `the warning comes after room:opened: ${host.names().join(', ')}`);
  assert.match((host.events[warned]!.payload as { message: string }).message, /identity was damaged/);
  assert.deepEqual(host.events[opened]!.payload, view, 'room:opened carries the view the call answers');
  const roomScoped = host.names().filter((name) => name.startsWith('room:') || name.startsWith('transfer:') || name === 'chat:send-failed');
  assert.equal(roomScoped[0], 'room:opened', 'nothing of the room is pushed before it');
});

test("the router's first answer is pushed after room:opened, and the view it follows holds the state before it", async () => {
  const helper = silentRouterHelper();
  const host = await core({ settings: { upnp: true }, platform: { ...recordingPlatform().platform, forkUpnp: helper.forkUpnp } });
  const view = await host.handlers['room:host']({ name: 'Hosty' });

  assert.equal(view.portMapping?.code, 'stopped', 'the view is taken before the mapper starts');
  const names = host.names();
  const opened = names.indexOf('room:opened');
  const firstStatus = names.indexOf('room:port-mapping');
  assert.ok(opened >= 0 && firstStatus > opened, `room:port-mapping after room:opened: ${names.join(', ')}`);
  assert.equal((host.events[firstStatus]!.payload as { code: string }).code, 'starting', 'the first answer is delivered');
  assert.equal(helper.started.length, 1, 'the router helper was started');

  const { room } = await host.handlers['app:snapshot']();
  assert.equal(room?.portMapping?.code, 'starting', 'a reload draws the current status');

  const begun = performance.now();
  await host.handlers['room:leave']();
  assert.ok(performance.now() - begun < 2500, `stop hosting took ${Math.round(performance.now() - begun)} ms`);
  assert.ok(host.names().includes('room:ended'));
});

test('a reload during a join is told the join is on its way, then the room opens by room:opened', async () => {
  const host = await core();
  const hosted = await host.handlers['room:host']({ name: 'Hosty' });
  const invite = loopbackInvite(hosted.invite!.invite);

  // On its way to an address that never answers: the snapshot says so, and no room yet.
  const silent = await silentAddress();
  const { fingerprint, secret } = parseInvite(invite);
  const guest = await core();
  const stuck = guest.handlers['room:join']({
    invite: formatInvite({ addresses: [{ host: '127.0.0.1', port: silent.port }], fingerprint, secret }),
    name: 'Guesty',
  });
  await silent.firstArrival;
  const during: AppSnapshot = await guest.handlers['app:snapshot']();
  assert.equal(during.opening, 'joining');
  assert.equal(during.room, null);

  // Leaving gives it up: the window (reloaded, so without the call's answer) hears why, and is idle again.
  await guest.handlers['room:leave']();
  await assert.rejects(stuck, cancelled);
  const failed = guest.events.filter((e) => e.event === 'room:open-failed');
  assert.equal(failed.length, 1);
  assert.equal((failed[0]!.payload as { error: { code: string } }).error.code, 'cancelled');
  assert.equal((await guest.handlers['app:snapshot']()).opening, undefined);

  // A join that works: room:opened comes first, with the history replayed while joining in it.
  await host.handlers['chat:send']('before you came');
  const joined: RoomView = await guest.handlers['room:join']({ invite, name: 'Guesty' });
  const names = guest.names().slice(guest.names().indexOf('room:open-failed') + 1);
  assert.equal(names.filter((n) => n !== 'settings:changed')[0], 'room:opened', names.join(', '));
  const opened = guest.events.find((e) => e.event === 'room:opened')!.payload as RoomView;
  assert.deepEqual(opened, joined);
  assert.ok(
    opened.events.some((e) => e.type === 'chat' && e.text === 'before you came'),
    'the history is in the view',
  );
  const after = await guest.handlers['app:snapshot']();
  assert.equal(after.opening, undefined);
  assert.equal(after.room?.role, 'guest');
});

test('a host refused as busy says nothing to the window: the room it is in goes on', async () => {
  const host = await core();
  await host.handlers['room:host']({ name: 'Hosty' });
  await assert.rejects(
    host.handlers['room:host']({ name: 'Hosty' }),
    (err: unknown) => err instanceof PortholeError && err.code === 'busy',
  );
  assert.ok(!host.events.some((e) => e.event === 'room:open-failed'));
});
