// One AbortSignal from the caller to the socket: a join given up at any stage (TCP/TLS, the
// upgrade, waiting for the welcome) rejects at once with 'cancelled', leaves nothing open, and a
// host that had already admitted the guest announces it left and stops listing it.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import { Server as TlsServer } from 'node:tls';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PortholeError } from '../../../src-main/wire/errors';
import { RoomClient } from '../../../src-main/session/room-client';
import type { RoomEvent } from '../../../src-main/session/room-session';
import { closeAll, inviteFor, join, recordEvents, startHost, testIdentity, waitFor } from '../../fixtures/room';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';
import { HostProxy } from './host-proxy';

const servers: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
afterEach(closeProxies);
afterEach(closeAll);

/** Well under a human's notice, far under the 3 s connect timeout the guests here use. */
const PROMPT_MS = 300;

const cancelled = (err: unknown) => err instanceof PortholeError && err.code === 'cancelled' && /cancel|left/i.test(err.message);

/** A server that accepts connections and never says a word; it records each socket and when it closed. */
async function silentServer(server: Server = createTcpServer()) {
  const sockets: Socket[] = [];
  const closed: Socket[] = [];
  let arrived: () => void = () => {};
  const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
  server.on('connection', (socket: Socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('close', () => closed.push(socket));
    // Read (and drop) what comes: a peer's close is only seen once the bytes before it are read.
    if (!(server instanceof TlsServer)) socket.resume();
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  });
  return { port: (server.address() as AddressInfo).port, sockets, closed, firstArrival };
}

/** An invite that names `port` on loopback with a real host's fingerprint and secret. */
async function inviteTo(port: number): Promise<string> {
  const host = await startHost();
  return inviteFor(host, { port });
}

/** Aborts, then checks the join rejected with 'cancelled' within PROMPT_MS. */
async function abortAndExpectPromptCancel(controller: AbortController, joining: Promise<unknown>): Promise<number> {
  const begun = performance.now();
  controller.abort();
  await assert.rejects(joining, cancelled);
  const ms = performance.now() - begun;
  assert.ok(ms < PROMPT_MS, `the join gave up after ${Math.round(ms)} ms`);
  return ms;
}

async function allClosed(server: { sockets: Socket[]; closed: Socket[] }, what: string): Promise<void> {
  const deadline = Date.now() + PROMPT_MS;
  while (server.closed.length < server.sockets.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(server.closed.length, server.sockets.length, `${what}: every connection is closed`);
}

test('aborted during TCP/TLS (the address answers TCP but never TLS): rejects at once, and the socket is closed', async () => {
  const silent = await silentServer();
  const client = RoomClient.create(await inviteTo(silent.port), { name: 'Early', connectTimeoutMs: 3000 });
  const controller = new AbortController();
  const joining = client.connect(controller.signal);
  await silent.firstArrival;
  await abortAndExpectPromptCancel(controller, joining);
  await allClosed(silent, 'TLS stage');
  assert.equal(client.state, 'closed');
});

test('aborted during the upgrade (TLS done, no HTTP answer): rejects at once, and the socket is closed', async () => {
  const identity = await testIdentity();
  const tls = createHttpsServer({ cert: identity.certPem, key: identity.keyPem });
  let upgradeAsked: () => void = () => {};
  const asked = new Promise<void>((resolve) => (upgradeAsked = resolve));
  tls.on('upgrade', () => upgradeAsked()); // and never answered
  tls.on('tlsClientError', () => {});
  const silent = await silentServer(tls);
  const client = RoomClient.create(await inviteTo(silent.port), { name: 'Upgrading', connectTimeoutMs: 3000 });
  const controller = new AbortController();
  const joining = client.connect(controller.signal);
  await asked;
  await abortAndExpectPromptCancel(controller, joining);
  await allClosed(silent, 'upgrade stage');
});

test('aborted while waiting for the welcome the host already sent: the guest says goodbye, the host announces it left and lists only itself', async () => {
  // A day of grace: only the guest's goodbye, not a lapse, can take it off the list.
  const host = await startHost({ resumeGraceMs: 24 * 3600_000 });
  const hostEvents: RoomEvent[] = recordEvents(host);
  const proxy = await HostProxy.start(host, { fromHost: (text) => (text.includes('"type":"welcome"') ? [] : [text]) });
  servers.push(proxy);
  const client = RoomClient.create(proxy.invite, { name: 'Halfway', connectTimeoutMs: 3000 });
  const controller = new AbortController();
  const joining = client.connect(controller.signal);
  await waitFor(host, () => host.members().some((m) => m.name === 'Halfway'), 3000, 'the host to admit the guest');

  await abortAndExpectPromptCancel(controller, joining);
  await waitFor(host, () => host.members().length === 1, 1000, 'the host to drop the guest');
  const left = hostEvents.find((e) => e.type === 'left');
  assert.equal(left?.type === 'left' && left.member.name, 'Halfway');
  assert.equal(left?.type === 'left' && left.reason, 'left', 'a goodbye, not a dropped connection');
  assert.deepEqual(
    host.members().map((m) => m.name),
    ['Host'],
  );
});

test('close() during connect aborts the connect: both settle at once and nothing stays open', async () => {
  const silent = await silentServer();
  const client = RoomClient.create(await inviteTo(silent.port), { name: 'Leaver', connectTimeoutMs: 3000 });
  const joining = client.connect();
  await silent.firstArrival;
  const begun = performance.now();
  await client.close();
  await assert.rejects(joining, cancelled);
  assert.ok(performance.now() - begun < PROMPT_MS, `took ${Math.round(performance.now() - begun)} ms`);
  await allClosed(silent, 'close() during connect');
});

test('a signal aborted before connect() opens nothing', async () => {
  const silent = await silentServer();
  const client = RoomClient.create(await inviteTo(silent.port), { name: 'Never', connectTimeoutMs: 3000 });
  await assert.rejects(client.connect(AbortSignal.abort()), cancelled);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(silent.sockets.length, 0);
});

test('close() while a reconnect attempt is out gives the attempt up at once and closes its socket', async () => {
  const host = await startHost();
  const proxy = await TcpProxy.start(host.port);
  const guest = await join(
    host,
    'Wanderer',
    { backoff: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 50 } },
    inviteFor(host, { port: proxy.port }),
  );
  const silent = await silentServer();
  proxy.retarget(silent.port); // the next attempt reaches an address that never answers TLS
  proxy.cutAll();
  await waitFor(guest, () => guest.state === 'reconnecting', 3000, 'the guest to notice');
  await silent.firstArrival;
  const begun = performance.now();
  await guest.close();
  assert.ok(performance.now() - begun < PROMPT_MS, `close took ${Math.round(performance.now() - begun)} ms`);
  assert.equal(guest.state, 'closed');
  await allClosed(silent, 'the reconnect attempt');
});
