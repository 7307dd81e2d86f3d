// A room hosted with a relay set (startHosting, as the CLI and the window do) on loopback, with a
// real strelaysrv: guests whose direct address leads nowhere come in through the relay with the
// same pinned TLS and upgrade, chat, reconnect and resume after the relay restarts; direct wins
// when it works; relay errors come back with their code when the relay was the only way.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatInvite, parseInvite, type Invite } from '../../../src-main/link/invite';
import { connectToAnyAddress } from '../../../src-main/link/happy-eyeballs';
import { startHosting, type HostedSession } from '../../../src-main/session/hosted-session';
import { RoomClient } from '../../../src-main/session/room-client';
import type { RelayStatus } from '../../../src-main/relay/relay-status';
import { PortholeError } from '../../../src-main/wire/errors';
import { dialRelay } from '../../../src-main/relay/relay-dialer';
import { relayUriOf } from '../../../src-main/link/relayed-connect';
import { createHostIdentity } from '../../../src-main/link/host-identity';
import { RelayServer, stopRelayServers } from '../../fixtures/relay-server';
import { chatTexts, recordEvents, waitFor } from '../../fixtures/room';

let relay: RelayServer;
const cleanups: Array<() => Promise<unknown>> = [];

before(async () => {
  relay = await RelayServer.start();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});
after(() => stopRelayServers());

/** A port nothing listens on: a direct attempt there is refused at once. */
async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function host(relayText = relay.uriText): Promise<HostedSession & { relayStatuses: RelayStatus[] }> {
  const configDir = await mkdtemp(join(tmpdir(), 'porthole-relay-room-'));
  const hosting = await startHosting({ configDir, name: 'Host', listenHost: '127.0.0.1', portForwarding: false, relay: relayText });
  const relayStatuses: RelayStatus[] = [];
  hosting.on('relay', (status) => relayStatuses.push(status));
  cleanups.push(async () => {
    await hosting.close();
    await rm(configDir, { recursive: true, force: true });
  });
  hosting.startPortMapping();
  await waitFor(hosting, () => hosting.relay?.state === 'joined', 15_000, 'the host joined the relay');
  return Object.assign(hosting, { relayStatuses });
}

/** The host's invite with its direct addresses swapped for one that leads nowhere. */
async function relayOnly(hosting: HostedSession): Promise<string> {
  const invite = parseInvite(hosting.invite.current.invite);
  return formatInvite({
    ...invite,
    addresses: [{ host: '127.0.0.1', port: await deadPort() }],
    host: undefined,
    port: undefined,
  } as Invite & { host: undefined; port: undefined });
}

async function guest(invite: string, name: string): Promise<RoomClient & { seen: ReturnType<typeof recordEvents> }> {
  const client = RoomClient.create(invite, {
    name,
    connectTimeoutMs: 10_000,
    backoff: { baseDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 1000 },
  });
  const seen = recordEvents(client);
  cleanups.push(() => client.close());
  await client.connect();
  return Object.assign(client, { seen });
}

test('the invite names the relay, and the host says plainly that friends may come through it', async () => {
  const hosting = await host();
  const { invite, relay: shown } = hosting.invite.current;
  assert.match(invite, new RegExp(`/relay=${relay.uri.id.toString('base64url')}@127\\.0\\.0\\.1:${relay.port}$`));
  assert.equal(shown?.address, `127.0.0.1:${relay.port}`);
  assert.deepEqual(
    hosting.relayStatuses.map((s) => s.state),
    ['joining', 'joined'],
  );
  assert.match(
    hosting.relay!.message,
    /come in through the relay at 127\.0\.0\.1:\d+.*sees who connects and how much.*not what is said or sent/,
  );
});

test('a guest with no direct path joins through the relay, chats both ways, and resumes after the relay restarts', async () => {
  const hosting = await host();
  const ann = await guest(await relayOnly(hosting), 'Ann');
  const hostSeen = recordEvents(hosting.host);
  ann.send('hello through the relay');
  await waitFor(hosting.host, () => chatTexts(hostSeen).includes('hello through the relay'), 10_000, 'the host heard Ann');
  hosting.host.send('and back');
  await waitFor(ann, () => chatTexts(ann.seen).includes('and back'), 10_000, 'Ann heard the host');
  const annId = ann.me.id;

  await relay.restart();
  await waitFor(ann, () => ann.state === 'reconnecting', 30_000, 'Ann noticed the relay went');
  await waitFor(ann, () => ann.state === 'connected', 40_000, 'Ann is back through the relay');
  assert.equal(ann.me.id, annId, 'resumed: the same member');
  ann.send('after the relay restarted');
  await waitFor(hosting.host, () => chatTexts(hostSeen).includes('after the relay restarted'), 10_000, 'the host heard Ann again');
});

test('direct wins when it works, even with a relay in the invite', async () => {
  const hosting = await host();
  const invite = parseInvite(hosting.invite.current.invite);
  const direct = { ...invite, addresses: [{ host: '127.0.0.1', port: hosting.host.port }] };
  const won = await connectToAnyAddress({
    addresses: direct.addresses,
    fingerprint: invite.fingerprint,
    timeoutMs: 10_000,
    relay: invite.relay,
  });
  won.socket.destroy();
  assert.ok(!won.relayed);
  assert.equal(won.address.port, hosting.host.port);
  const through = await connectToAnyAddress({
    addresses: [{ host: '127.0.0.1', port: await deadPort() }],
    fingerprint: invite.fingerprint,
    timeoutMs: 10_000,
    relay: invite.relay,
  });
  through.socket.destroy();
  assert.ok(through.relayed);
});

test('several guests at once through the relay, each its own member', async () => {
  const hosting = await host();
  const invite = await relayOnly(hosting);
  const guests = await Promise.all(['Bo', 'Cy', 'Di', 'Ed'].map((name) => guest(invite, name)));
  await waitFor(hosting.host, () => hosting.host.members().length === 5, 10_000, 'everyone is in');
  guests[0]!.send('from Bo');
  await Promise.all(guests.map((g) => waitFor(g, () => chatTexts(g.seen).includes('from Bo'), 10_000, `${g.me.name} heard Bo`)));
});

test('when the relay is the only way, its error comes back with its code and a sentence', async () => {
  const hosting = await host();
  const invite = parseInvite(await relayOnly(hosting));
  // A host that is not on the relay (another fingerprint): relay-host-absent.
  const absent = { ...invite, fingerprint: randomBytes(32).toString('base64url') };
  await assert.rejects(
    connectToAnyAddress({ addresses: absent.addresses, fingerprint: absent.fingerprint, timeoutMs: 10_000, relay: absent.relay }),
    (err: unknown) =>
      err instanceof PortholeError &&
      err.code === 'relay-host-absent' &&
      /not connected to the relay/.test(err.message) &&
      /direct address did not answer either/.test(err.message),
  );
  // An impersonator: the relay's id in the invite is not the relay's.
  const impostor = { ...invite.relay!, id: randomBytes(32).toString('base64url') };
  await assert.rejects(
    connectToAnyAddress({ addresses: invite.addresses, fingerprint: invite.fingerprint, timeoutMs: 10_000, relay: impostor }),
    (err: unknown) => err instanceof PortholeError && err.code === 'relay-identity-mismatch',
  );
  // Nothing listening where the relay should be.
  await assert.rejects(
    connectToAnyAddress({
      addresses: invite.addresses,
      fingerprint: invite.fingerprint,
      timeoutMs: 10_000,
      relay: { ...invite.relay!, port: await deadPort() },
    }),
    (err: unknown) => err instanceof PortholeError && err.code === 'relay-unreachable' && /nothing is listening there/.test(err.message),
  );
});

test('a mistyped relay stops hosting before the room opens', async () => {
  const configDir = await mkdtemp(join(tmpdir(), 'porthole-relay-room-'));
  cleanups.push(() => rm(configDir, { recursive: true, force: true }));
  await assert.rejects(
    startHosting({ configDir, name: 'Host', listenHost: '127.0.0.1', portForwarding: false, relay: 'relay://127.0.0.1:22067/' }),
    (err: unknown) => err instanceof PortholeError && err.code === 'relay-invalid',
  );
});

test('one relayed guest filling its admission slots does not lock out the other relayed friends', async () => {
  const hosting = await host();
  const invite = parseInvite(await relayOnly(hosting));
  const noisy = await createHostIdentity(); // its relay id is what the gate counts it by
  const dial = () =>
    dialRelay({ uri: relayUriOf(invite.relay!), hostId: Buffer.from(invite.fingerprint, 'base64url'), timeoutMs: 10_000, identity: noisy });
  // Eight silent connections (no TLS, no secret) fill this guest's unauthenticated slots…
  const silent: import('node:net').Socket[] = [];
  for (let i = 0; i < 8; i++) silent.push(await dial());
  cleanups.push(async () => silent.forEach((s) => s.destroy()));
  await waitFor(
    hosting.host,
    () => hosting.host.gate.stats.refusedConnections === 0 && silent.every((s) => !s.destroyed),
    2_000,
    'eight held',
  );
  // …a ninth from it is turned away…
  const ninth = await dial();
  cleanups.push(async () => ninth.destroy());
  await waitFor(hosting.host, () => hosting.host.gate.stats.refusedConnections === 1, 10_000, 'the ninth refused');
  // …and another friend through the same relay (the same address and port at the host) still gets in.
  const friend = await guest(await relayOnly(hosting), 'Fay');
  assert.equal(friend.state, 'connected');
});
