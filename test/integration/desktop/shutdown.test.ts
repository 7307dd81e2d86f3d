// The desktop core's ordered shutdown, on real sockets and real files: quitting mid-transfer
// leaves no partial file, and the other side hears why.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventName, Events, RoomView, TransferView } from '../../../src-preload/contract';
import { createDesktopCore, type DesktopCore } from '../../../src-main/desktop/desktop-core';
import type { DesktopPlatform } from '../../../src-main/desktop/desktop-platform';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { randomFile, removeTempDirs, tempDir } from '../../fixtures/transfer-files';

interface Side {
  core: DesktopCore;
  downloadDir: string;
  events: Array<{ event: EventName; payload: unknown }>;
  next<E extends EventName>(event: E, match?: (payload: Events[E]) => boolean): Promise<Events[E]>;
}

const cores: DesktopCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.shutdown()));
  await removeTempDirs();
});

const platform: DesktopPlatform = {
  chooseFolder: async () => undefined,
  chooseFiles: async () => [],
  showInFolder: () => {},
  openExternal: async () => {},
  copyText: () => {},
};

async function side(): Promise<Side> {
  const home = await tempDir('porthole-desktop-');
  const configDir = join(home, 'config');
  const downloadDir = join(home, 'downloads');
  await mkdir(configDir);
  await writeFile(join(configDir, 'settings.json'), JSON.stringify({ upnp: false, downloadDir }));
  const events: Side['events'] = [];
  const waiters: Array<() => void> = [];
  const core = createDesktopCore({
    configDir,
    platform,
    listenHost: '127.0.0.1',
    sink: (event, payload) => {
      events.push({ event, payload });
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  cores.push(core);
  const next = <E extends EventName>(event: E, match: (p: Events[E]) => boolean = () => true) =>
    new Promise<Events[E]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event came`)), 30_000);
      const look = () => {
        const found = events.find((e) => e.event === event && match(e.payload as Events[E]));
        if (!found) return void waiters.push(look);
        clearTimeout(timer);
        resolve(found.payload as Events[E]);
      };
      look();
    });
  return { core, downloadDir, events, next };
}

function unwrap<T>(value: T | undefined): T {
  assert.ok(value !== undefined);
  return value;
}

async function hostAndJoin(): Promise<{ host: Side; guest: Side; room: RoomView }> {
  const host = await side();
  const guest = await side();
  const room = await host.core.handlers['room:host']({ name: 'Hosty' });
  const invite = loopbackInvite(unwrap(room.invite).invite);
  await guest.core.handlers['room:join']({ invite, name: 'Guesty' });
  return { host, guest, room };
}

/** Offers a big file from the host and has the guest accept it; resolves once bytes flow. */
async function bigTransferUnderway(host: Side, guest: Side): Promise<TransferView> {
  const source = await randomFile(await tempDir(), 'big.bin', 512 * 1024 * 1024);
  const outcome = await host.core.handlers['transfer:offer-paths']({ paths: [source] });
  assert.ok(outcome.transferId, `offered: ${JSON.stringify(outcome)}`);
  const offer = await guest.next('transfer:offer');
  await guest.core.handlers['transfer:accept'](offer.id);
  return guest.next('transfer:update', (v) => v.id === offer.id && v.state === 'receiving' && v.bytes > 0);
}

/** What a person sees in a download folder (kept data for a resume is hidden in .porthole-partial). */
const inSight = async (dir: string) => (await readdir(dir)).filter((name) => !name.startsWith('.'));

test('quitting the guest mid-transfer leaves no partial file in sight (what it got is kept hidden for a resume), and the host hears it left', async () => {
  const { host, guest } = await hostAndJoin();
  await bigTransferUnderway(host, guest);
  await guest.core.shutdown();
  assert.deepEqual(await inSight(guest.downloadDir), [], 'no partial file in sight');
  assert.equal((await readdir(join(guest.downloadDir, '.porthole-partial'))).length, 1, 'kept for a resume');
  const ended = await host.next('transfer:update', (v) => v.direction === 'outgoing' && v.recipients?.[0]?.state === 'ended');
  assert.equal(ended.recipients?.[0]?.reason, 'recipient-left');
  await host.next('room:event', (e) => e.event.type === 'left');
});

test('stopping the host mid-transfer: no partial file in sight at the guest, and it is told the room closed', async () => {
  const { host, guest } = await hostAndJoin();
  const receiving = await bigTransferUnderway(host, guest);
  await host.core.handlers['room:leave']();
  const ended = await guest.next('room:ended');
  assert.equal(ended.error?.code, 'room-closed');
  const stopped = await guest.next('transfer:update', (v) => v.id === receiving.id && v.reason === 'host-left');
  assert.ok(['paused', 'failed'].includes(stopped.state), stopped.state);
  assert.deepEqual(await inSight(guest.downloadDir), [], 'no partial file in sight');
  // Both are back at the start: a new room can be hosted at once.
  assert.equal((await host.core.handlers['app:snapshot']()).room, null);
  assert.equal((await guest.core.handlers['app:snapshot']()).room, null);
});
