import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { hostCommand } from '../../src-main/cli/host-command';
import { jsonOutput } from '../../src-main/cli/cli-output';
import { createHostIdentity } from '../../src-main/link/host-identity';
import { formatInvite, parseInvite } from '../../src-main/link/invite';
import { createRoomSecret } from '../../src-main/session/room-host';
import { loopbackInvite } from '../fixtures/loopback-invite';
import { CliProcess } from '../fixtures/cli-process';

const started: CliProcess[] = [];
afterEach(() => started.splice(0).forEach((p) => p.kill()));

async function cli(args: string[], configDir?: string): Promise<CliProcess> {
  const p = await CliProcess.start(args, configDir);
  started.push(p);
  return p;
}

/** The host's invite, pointed at loopback so the test stays on this machine. */
function hostInviteOnLoopback(ready: Record<string, unknown>): string {
  assert.equal(typeof ready.invite, 'string', 'the host reports its invite');
  return loopbackInvite(ready.invite as string);
}

test('host and join chat both ways; /quit and SIGTERM end cleanly with exit 0', async () => {
  const host = await cli(['host', '--json', '--name', 'Hosty', '--no-upnp']);
  const ready = await host.waitFor((e) => e.event === 'ready');
  assert.equal(ready.role, 'host');
  const invite = parseInvite(ready.invite as string);
  const addresses = ready.addresses as Array<{ host: string; port: number; kind: string }>;
  assert.deepEqual(
    invite.addresses,
    addresses.map(({ host, port }) => ({ host, port })),
    "the addresses listed are the invite's",
  );
  for (const address of addresses) {
    assert.notEqual(address.host, '127.0.0.1', 'a LAN address is offered when one exists');
    assert.equal(address.kind, 'lan');
  }

  const guest = await cli(['join', hostInviteOnLoopback(ready), '--json', '--name', 'Guesty']);
  await guest.waitFor((e) => e.event === 'ready');
  await host.waitFor((e) => e.event === 'member-joined' && (e.member as { name: string }).name === 'Guesty');

  guest.type('hello from the guest');
  await host.waitFor((e) => e.event === 'chat' && e.text === 'hello from the guest');
  host.type('hello from the host');
  const got = await guest.waitFor((e) => e.event === 'chat' && e.text === 'hello from the host');
  assert.equal((got.from as { name: string }).name, 'Hosty');

  guest.type('/quit');
  assert.deepEqual(await guest.exited, { code: 0, signal: null });
  const left = await host.waitFor((e) => e.event === 'member-left');
  assert.equal(left.reason, 'left');

  const second = await cli(['join', hostInviteOnLoopback(ready), '--json', '--name', 'Second']);
  await second.waitFor((e) => e.event === 'ready');
  host.signal('SIGTERM');
  assert.deepEqual(await host.exited, { code: 0, signal: null });
  // The guest was told with a close frame that the room closed, and ends normally too.
  const closed = await second.waitFor((e) => e.event === 'status' && e.state === 'closed');
  assert.equal((closed.error as { code: string }).code, 'room-closed');
  assert.deepEqual(await second.exited, { code: 0, signal: null });
  assert.ok(!host.events.some((e) => e.event === 'port-mapping'), '--no-upnp asks no router');
});

test('SIGINT stops the host with exit 0; the invite survives a restart, --new-invite replaces it', async () => {
  const first = await cli(['host', '--json', '--no-upnp', '--name', 'Hosty']);
  const ready = await first.waitFor((e) => e.event === 'ready');
  first.signal('SIGINT');
  assert.deepEqual(await first.exited, { code: 0, signal: null });

  // Same config folder: same certificate, secret and port, so the invite sent earlier still works.
  const again = await cli(['host', '--json', '--no-upnp'], first.configDir);
  const readyAgain = await again.waitFor((e) => e.event === 'ready');
  assert.deepEqual(readyAgain.invite, ready.invite);
  assert.equal((readyAgain.me as { name: string }).name, 'Hosty', 'the display name is remembered');
  const guest = await cli(['join', hostInviteOnLoopback(ready), '--json', '--name', 'Guesty']);
  await guest.waitFor((e) => e.event === 'ready');
  guest.type('/quit');
  await guest.exited;
  again.signal('SIGTERM');
  assert.deepEqual(await again.exited, { code: 0, signal: null });

  const renewed = await cli(['host', '--json', '--no-upnp', '--new-invite'], first.configDir);
  const readyRenewed = await renewed.waitFor((e) => e.event === 'ready');
  assert.notDeepEqual(readyRenewed.invite, ready.invite);
  const refused = await cli(['join', hostInviteOnLoopback(ready), '--json', '--name', 'Late']);
  const error = await refused.waitFor((e) => e.event === 'error');
  assert.equal(error.code, 'wrong-secret');
  assert.deepEqual(await refused.exited, { code: 1, signal: null });
});

test('a bad invite is refused with a sentence and exit code 1', async () => {
  const guest = await cli(['join', 'https://example.invalid/room', '--json']);
  const error = await guest.waitFor((e) => e.event === 'error');
  assert.equal(error.code, 'invite-invalid');
  assert.match(String(error.message), /porthole:\/\//);
  assert.deepEqual(await guest.exited, { code: 1, signal: null });
});

test('SIGINT while a join is still connecting gives it up at once: exit 0, and the half-open socket is closed', async () => {
  // An address that accepts TCP and never answers TLS: without the signal the join would wait out its 10 s timeout.
  const sockets: Socket[] = [];
  const closed: Socket[] = [];
  const silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('close', () => closed.push(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const identity = await createHostIdentity();
    const port = (silent.address() as AddressInfo).port;
    const invite = formatInvite({ host: '127.0.0.1', port, fingerprint: identity.fingerprint, secret: createRoomSecret() });
    const guest = await cli(['join', invite, '--json', '--name', 'Early']);
    const deadline = Date.now() + 15_000;
    while (sockets.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sockets.length, 1, 'the join is connecting');
    const begun = Date.now();
    guest.signal('SIGINT');
    assert.deepEqual(await guest.exited, { code: 0, signal: null });
    assert.ok(Date.now() - begun < 2000, `exited after ${Date.now() - begun} ms`);
    assert.equal(closed.length, 1, 'the half-open socket is closed');
    assert.ok(!guest.events.some((e) => e.event === 'ready' || e.event === 'error'), JSON.stringify(guest.events));
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('a shutdown signal before the room opens: hostCommand opens nothing, prints no ready and ends with 0', async () => {
  const configDir = await mkdtemp(join(tmpdir(), 'porthole-cli-'));
  const lines: string[] = [];
  const code = await hostCommand(
    { name: 'Hosty', upnp: true, newInvite: false, configDir },
    jsonOutput((line) => void lines.push(line)),
    { input: Readable.from([]), shutdown: AbortSignal.abort() },
  );
  assert.equal(code, 0);
  assert.deepEqual(lines, [], 'no ready, no port mapping');
  await assert.rejects(readFile(join(configDir, 'room-secret.json')), 'no room secret was made for a room that never opened');
});
