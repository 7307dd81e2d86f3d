// A CLI whose --json reader goes away (its stdout pipe closed: EPIPE on the next write) leaves
// exactly as on /quit — close frames, partial files removed — and exits 1 with a sentence on stderr.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { formatInvite, parseInvite, type Invite } from '../../src-main/link/invite';
import { loopbackInvite } from '../fixtures/loopback-invite';
import { CloseCode, PROTOCOL, ROOM_PATH } from '../../src-main/wire/protocol';
import type { RoomEvent } from '../../src-main/session/room-session';
import { RoomClient } from '../../src-main/session/room-client';
import type { SessionStatus } from '../../src-main/room/session-events';
import { CliProcess } from '../fixtures/cli-process';
import { closeAll, inviteFor, recordEvents, startHost, waitFor } from '../fixtures/room';
import { closeProxies, TcpProxy } from '../fixtures/tcp-proxy';
import { randomFile, removeTempDirs, tempDir } from '../fixtures/transfer-files';

const started: CliProcess[] = [];
const guests: RoomClient[] = [];
afterEach(async () => {
  started.splice(0).forEach((p) => p.kill());
  await Promise.allSettled(guests.splice(0).map((g) => g.close()));
  await closeAll();
  await closeProxies();
  await removeTempDirs();
});

async function cli(args: string[]): Promise<CliProcess> {
  const p = await CliProcess.start(args);
  started.push(p);
  return p;
}

/** Big enough that a transfer held up by the proxy is far from done when the CLI stops. */
const FILE_SIZE = 48 * 1024 * 1024;

/** What a person sees in the folder; data kept for a resume is out of sight in .porthole-partial. */
const inSight = async (dir: string) => (await readdir(dir)).filter((name) => !name.startsWith('.'));
const keptData = async (dir: string) => readdir(join(dir, '.porthole-partial')).catch(() => []);
const progressed = (e: Record<string, unknown>) => e.event === 'file-progress' && (e.bytes as number) > 0;

/** The sentence the CLI leaves on stderr, and no stack trace (no crash on the 'error' event). */
function assertToldWhy(stderr: string): void {
  assert.match(stderr, /The output closed \(EPIPE\); leaving the room\./);
  assert.doesNotMatch(stderr, /\n\s+at |Unhandled|Uncaught/, `no crash: ${stderr}`);
}

/** A bare WebSocket member that records the close code the host ends it with. */
async function closeCodeWatcher(invite: Invite): Promise<{ closed: Promise<number> }> {
  const ws = new WebSocket(`wss://127.0.0.1:${invite.port}${ROOM_PATH}`, [PROTOCOL], {
    rejectUnauthorized: false, // the watcher only reads the close code; real guests pin the fingerprint
    headers: { Authorization: `Bearer ${invite.secret}` },
  });
  ws.on('error', () => {});
  const closed = once(ws, 'close').then(([code]) => code as number);
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'hello', name: 'Watcher' }));
  await new Promise<void>((resolve) => ws.on('message', (data) => JSON.parse(String(data)).type === 'welcome' && resolve()));
  return { closed }; // wrapped: an async function would wait for a promise it returns
}

test('host: a closed --json reader mid-transfer closes the room with roomClosed, leaves nothing in sight and exits 1', async () => {
  const [inbox, src] = await Promise.all([tempDir(), tempDir()]);
  const host = await cli(['host', '--json', '--name', 'Hosty', '--no-upnp', '--accept-files', '--download-dir', inbox]);
  const ready = await host.waitFor((e) => e.event === 'ready');
  const invite = parseInvite(loopbackInvite(ready.invite as string));

  // The sender goes through a proxy, so the test can hold its chunks: the host stays mid-file.
  const proxy = await TcpProxy.start(invite.port);
  const sender = RoomClient.create(formatInvite({ ...invite, port: proxy.port }), { name: 'Sender' });
  guests.push(sender);
  const senderStatuses: SessionStatus[] = [];
  sender.on('status', (s: SessionStatus) => senderStatuses.push(s));
  await sender.connect();
  const watcher = await closeCodeWatcher(invite);

  // Offered to the host alone: the watcher never answers offers.
  const hostId = (ready.me as { id: string }).id;
  void sender.transfers.offer(await randomFile(src, 'big.bin', FILE_SIZE), { to: hostId }).catch(() => {});
  await host.waitFor(progressed);
  proxy.pause('to-host');
  assert.equal((await keptData(inbox)).length, 1, 'the host is receiving into kept data');

  host.closeOutput();
  host.type('/no-such-command'); // the host answers with an error line, into the closed pipe
  assert.deepEqual(await host.exited, { code: 1, signal: null });

  assert.deepEqual(await inSight(inbox), [], 'nothing half-made in sight, nothing published');
  assert.equal((await keptData(inbox)).length, 1, 'what arrived is kept for a resume');
  assert.equal(await watcher.closed, CloseCode.roomClosed, 'guests got the room-closed close frame');
  await waitFor(sender, () => senderStatuses.some((s) => s.state === 'closed'), 5000, 'the sender to see the room close');
  assert.equal(senderStatuses.find((s) => s.state === 'closed')?.error?.code, 'room-closed');
  assertToldWhy(host.stderr);
});

test('join: a closed --json reader mid-download leaves with reason left, leaves nothing in sight and exits 1', async () => {
  const [inbox, src] = await Promise.all([tempDir(), tempDir()]);
  const room = await startHost();
  const seen = recordEvents(room);
  // The guest goes through a proxy, so the test can hold the host's chunks: the guest stays mid-file.
  const proxy = await TcpProxy.start(room.port);
  const guest = await cli([
    'join',
    inviteFor(room, { port: proxy.port }),
    '--json',
    '--name',
    'Guesty',
    '--accept-files',
    '--download-dir',
    inbox,
  ]);
  await guest.waitFor((e) => e.event === 'ready');

  void room.transfers.offer(await randomFile(src, 'big.bin', FILE_SIZE)).catch(() => {});
  await guest.waitFor(progressed);
  proxy.pause('to-guest');
  assert.equal((await keptData(inbox)).length, 1, 'the guest is receiving into kept data');

  guest.closeOutput();
  guest.type('/no-such-command'); // the guest answers with an error line, into the closed pipe
  assert.deepEqual(await guest.exited, { code: 1, signal: null });

  assert.deepEqual(await inSight(inbox), [], 'nothing half-made in sight, nothing published');
  assert.equal((await keptData(inbox)).length, 1, 'what arrived is kept for a resume');
  const leftOf = () => seen.find((e): e is Extract<RoomEvent, { type: 'left' }> => e.type === 'left' && e.member.name === 'Guesty');
  await waitFor(room, () => leftOf() !== undefined, 5000, 'the host to see the guest leave');
  assert.equal(leftOf()!.reason, 'left', 'the guest left with a close frame, not a dropped connection');
  assertToldWhy(guest.stderr);
});

test('human output: a reader that goes away before anything happens still ends in a clean exit 1', async () => {
  const host = await cli(['host', '--name', 'Hosty', '--no-upnp']);
  host.closeOutput(); // the "Hosting a room…" lines already hit the closed pipe
  assert.deepEqual(await host.exited, { code: 1, signal: null });
  assertToldWhy(host.stderr);
});

test('stderr closed too: writing the sentence there fails quietly, and the room still closes properly', async () => {
  const host = await cli(['host', '--json', '--name', 'Hosty', '--no-upnp']);
  const ready = await host.waitFor((e) => e.event === 'ready');
  const watcher = await closeCodeWatcher(parseInvite(loopbackInvite(ready.invite as string)));
  await host.waitFor((e) => e.event === 'member-joined');
  host.closeOutput('stderr');
  host.closeOutput('stdout');
  host.type('/no-such-command');
  assert.deepEqual(await host.exited, { code: 1, signal: null });
  // A crash on the stderr 'error' event would drop the connection (1006) instead.
  assert.equal(await watcher.closed, CloseCode.roomClosed);
});
