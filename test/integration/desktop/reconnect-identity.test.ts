// After the host restarts (same port, same identity, same secret), a guest's window reconnects
// under a new member id and still knows who it is: `room:me` is pushed before the new events, the
// view's `me` is the new one, its earlier lines are still its own, and its own "joined" is not
// shown a second time. A real desktop core joins a real host on 127.0.0.1.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventName, RoomEvent, RoomView } from '../../../src-preload/contract';
import { createDesktopCore } from '../../../src-main/desktop/desktop-core';
import { RoomHost, createRoomSecret } from '../../../src-main/session/room-host';
import { formatInvite } from '../../../src-main/link/invite';
import { recordingPlatform, tempConfig } from '../../unit/ipc/ipc-harness';
import { testIdentity, waitFor } from '../../fixtures/room';
import { EventEmitter } from 'node:events';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(closeProxies);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

type Pushed = { event: EventName; payload: unknown };

async function startHost(port: number, secret: string): Promise<RoomHost> {
  const host = await RoomHost.start({ identity: await testIdentity(), secret, hostName: 'Host', port, listenHost: '127.0.0.1' });
  cleanups.push(() => host.close());
  return host;
}

test('a guest window after a host restart: new me pushed first, earlier lines still mine, no second "joined" of mine', async () => {
  const secret = createRoomSecret();
  let host = await startHost(0, secret);
  const port = host.port;
  // The guest reaches the host through a proxy, so the host can vanish without a close frame (a crash, a power cut).
  const proxy = await TcpProxy.start(port);
  const invite = formatInvite({ host: '127.0.0.1', port: proxy.port, fingerprint: (await testIdentity()).fingerprint, secret });

  const config = await tempConfig();
  const pushed: Pushed[] = [];
  const heard = new EventEmitter();
  const desktop = createDesktopCore({
    configDir: config.configDir,
    platform: recordingPlatform().platform,
    listenHost: '127.0.0.1',
    sink: (event, payload) => {
      pushed.push({ event, payload });
      heard.emit('room-event');
    },
  });
  cleanups.push(config.remove, desktop.shutdown);

  const first = (await desktop.handlers['room:join']({ invite, name: 'Bob' })) as RoomView;
  await desktop.handlers['chat:send']('before the restart');
  await waitFor(heard, () => pushed.some((p) => p.event === 'room:event' && (p.payload as { event: RoomEvent }).event.type === 'chat'));

  proxy.cutAll();
  await host.close();
  host = await startHost(port, secret); // the same port, identity and secret: the same invite
  await waitFor(heard, () => pushed.some((p) => p.event === 'room:me'), 15_000, 'room:me after the restart');
  await waitFor(heard, () =>
    pushed.filter((p) => p.event === 'room:status').some((p) => (p.payload as { state: string }).state === 'connected'),
  );

  const meEvent = pushed.find((p) => p.event === 'room:me')!.payload as { me: { id: string; name: string }; formerIds: string[] };
  assert.notEqual(meEvent.me.id, first.me.id, 'a restarted host gives a new member id');
  assert.equal(meEvent.me.name, 'Bob');
  assert.deepEqual(meEvent.formerIds, [first.me.id]);
  const meAt = pushed.findIndex((p) => p.event === 'room:me');
  const newConnectionEvents = pushed.slice(meAt).filter((p) => p.event === 'room:event');
  assert.ok(
    pushed.slice(0, meAt).every((p) => p.event !== 'room:members' || (p.payload as { id: string }[]).every((m) => m.id !== meEvent.me.id)),
    'room:me comes before anything of the new connection',
  );

  // The first join's history came in the view; everything later was pushed.
  const ownJoins = [
    ...first.events,
    ...pushed.filter((p) => p.event === 'room:event').map((p) => (p.payload as { event: RoomEvent }).event),
  ].filter((e) => e.type === 'joined' && e.member.name === 'Bob');
  assert.equal(ownJoins.length, 1, 'my own "joined" is shown once, not again after the restart');
  assert.ok(
    !newConnectionEvents.some(
      (p) =>
        (p.payload as { event: RoomEvent }).event.type === 'joined' &&
        (p.payload as { event: RoomEvent & { member: { id: string } } }).event.member.id === meEvent.me.id,
    ),
  );

  const snapshot = await desktop.handlers['app:snapshot']();
  const view = snapshot.room!;
  assert.equal(view.me.id, meEvent.me.id, 'a reloaded window draws the new me');
  const mine = view.events.find((e) => e.type === 'chat' && e.text === 'before the restart');
  assert.equal(mine?.type === 'chat' && mine.from.id, meEvent.me.id, 'my line from before the restart is still mine');
  assert.ok(view.members.some((m) => m.id === meEvent.me.id));

  await desktop.handlers['chat:send']('after the restart');
  await waitFor(heard, () =>
    pushed.some(
      (p) =>
        p.event === 'room:event' &&
        (p.payload as { event: RoomEvent }).event.type === 'chat' &&
        (p.payload as { event: { text: string } }).event.text === 'after the restart',
    ),
  );
  const after = pushed
    .map((p) => p.payload as { event: RoomEvent })
    .find((p) => p.event?.type === 'chat' && p.event.text === 'after the restart')!;
  assert.equal(after.event.type === 'chat' && after.event.from.id, meEvent.me.id);
});
