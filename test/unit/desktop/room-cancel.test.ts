// Leaving or quitting while a host or join is on its way: the slot's AbortSignal reaches the
// socket, what was opened is closed, nothing is adopted, and the core is never left "busy".
// Real desktop cores, rooms on 127.0.0.1 only, UPnP off.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { EventName, RoomView } from '../../../src-preload/contract';
import { createDesktopCore, type DesktopCore } from '../../../src-main/desktop/desktop-core';
import { formatInvite, parseInvite } from '../../../src-main/link/invite';
import { PortholeError } from '../../../src-main/wire/errors';
import type { RoomEvent } from '../../../src-main/session/room-session';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { recordingPlatform, tempConfig } from '../ipc/ipc-harness';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Well under a human's notice, far under the 10 s connect timeout a window's join uses. */
const PROMPT_MS = 500;

const cancelled = (err: unknown) => err instanceof PortholeError && err.code === 'cancelled';

/** A desktop core in a fresh config dir; `onEvent` sees every pushed event as it is pushed. */
async function core(onEvent: (event: EventName, payload: unknown) => void = () => {}) {
  const config = await tempConfig();
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const made: DesktopCore = createDesktopCore({
    configDir: config.configDir,
    platform: recordingPlatform().platform,
    listenHost: '127.0.0.1',
    sink: (event, payload) => {
      events.push({ event, payload });
      onEvent(event, payload);
    },
  });
  cleanups.push(config.remove, made.shutdown);
  return { ...made, events, config };
}

/** An address that accepts TCP and never answers TLS; records its sockets and which closed. */
async function silentAddress() {
  const sockets: Socket[] = [];
  const closed: Socket[] = [];
  let arrived: () => void = () => {};
  const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('close', () => closed.push(socket));
    socket.resume(); // a peer's close is only seen once the bytes before it are read
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, sockets, closed, firstArrival };
}

async function hostedRoom(): Promise<{ host: Awaited<ReturnType<typeof core>>; invite: string; room: RoomView }> {
  const host = await core();
  const room = await host.handlers['room:host']({ name: 'Hosty' });
  return { host, room, invite: loopbackInvite(room.invite!.invite) };
}

/** The host's own invite pointed at another port on loopback (same fingerprint and secret). */
function inviteAt(invite: string, port: number): string {
  const { fingerprint, secret } = parseInvite(invite);
  return formatInvite({ addresses: [{ host: '127.0.0.1', port }], fingerprint, secret });
}

const roomEvents = (side: { events: Array<{ event: EventName; payload: unknown }> }) =>
  side.events.filter((e) => e.event === 'room:event').map((e) => (e.payload as { event: RoomEvent }).event);

async function until(predicate: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('Leave during a join closes the half-open connection at once, and a later join works', async () => {
  const { invite } = await hostedRoom();
  const silent = await silentAddress();
  const guest = await core();
  const joining = guest.handlers['room:join']({ invite: inviteAt(invite, silent.port), name: 'Guesty' });
  await silent.firstArrival;

  const begun = performance.now();
  await guest.handlers['room:leave']();
  await assert.rejects(joining, cancelled);
  assert.ok(performance.now() - begun < PROMPT_MS, `took ${Math.round(performance.now() - begun)} ms`);
  await until(() => silent.closed.length === silent.sockets.length, 'the half-open socket to close', PROMPT_MS);
  assert.equal((await guest.handlers['app:snapshot']()).room, null);

  const joined = await guest.handlers['room:join']({ invite, name: 'Guesty' });
  assert.equal(joined.role, 'guest', 'not busy: the next join goes through');
});

test('Leave during the post-join settings save: the room is left, not adopted; the host hears the goodbye; Host and Join work after', async () => {
  const { host, invite } = await hostedRoom();
  let leaving: Promise<unknown> | undefined;
  const guest = await core((event) => {
    // The name the join remembers is saved: leave right then, before the join adopts its room.
    if (event === 'settings:changed' && !leaving) leaving = guest.handlers['room:leave']();
  });
  await assert.rejects(guest.handlers['room:join']({ invite, name: 'Guesty' }), cancelled);
  assert.ok(leaving, 'the leave came during the save');
  await leaving;
  assert.equal((await guest.handlers['app:snapshot']()).room, null, 'nothing was adopted');
  assert.ok(!guest.events.some((e) => e.event === 'room:ended' || e.event === 'room:event'), 'the window heard nothing of that room');

  await until(() => roomEvents(host).some((e) => e.type === 'left'), 'the host to hear the guest leave');
  const left = roomEvents(host).find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.reason, 'left', 'a goodbye, not a dropped connection');
  const hostView = (await host.handlers['app:snapshot']()).room;
  assert.deepEqual(
    hostView?.members.map((m) => m.name),
    ['Hosty'],
  );

  // Not "busy until restart": a join and then (after leaving) a host both go through.
  assert.equal((await guest.handlers['room:join']({ invite, name: 'Guesty' })).role, 'guest');
  await guest.handlers['room:leave']();
  assert.equal((await guest.handlers['room:host']({ name: 'Guesty' })).role, 'host');
});

test('Leave while hosting starts: the room that was already listening is closed again, and Host works after', async () => {
  let leaving: Promise<unknown> | undefined;
  let port: number | null = null;
  const host = await core((event, payload) => {
    // Hosting remembers the port it got (the room already listens): leave right then.
    if (event === 'settings:changed' && !leaving) {
      port = (payload as { port: number | null }).port;
      leaving = host.handlers['room:leave']();
    }
  });
  await assert.rejects(host.handlers['room:host']({ name: 'Hosty' }), cancelled);
  await leaving;
  assert.ok(port, 'the room had a port');
  const refused = await new Promise<string>((resolve) => {
    const probe = connect({ host: '127.0.0.1', port: port! });
    probe.once('connect', () => {
      probe.destroy();
      resolve('connected');
    });
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  assert.equal(refused, 'ECONNREFUSED', 'nothing listens there any more');
  assert.equal((await host.handlers['app:snapshot']()).room, null);
  assert.equal((await host.handlers['room:host']({ name: 'Hosty' })).role, 'host');
});

test('Quitting during a join cancels it through the same signal; nothing new starts after', async () => {
  const { invite } = await hostedRoom();
  const silent = await silentAddress();
  const guest = await core();
  const joining = guest.handlers['room:join']({ invite: inviteAt(invite, silent.port), name: 'Guesty' });
  await silent.firstArrival;

  const begun = performance.now();
  await guest.shutdown();
  await assert.rejects(joining, cancelled);
  assert.ok(performance.now() - begun < PROMPT_MS, `shutdown took ${Math.round(performance.now() - begun)} ms`);
  await until(() => silent.closed.length === silent.sockets.length, 'the half-open socket to close', PROMPT_MS);
  await assert.rejects(guest.handlers['room:join']({ invite, name: 'Guesty' }), cancelled);
  await assert.rejects(guest.handlers['room:host']({ name: 'Guesty' }), cancelled);
});
