import { EventEmitter } from 'node:events';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { createHostIdentity, type HostIdentity } from '../../../src-main/link/host-identity';
import { PortholeError } from '../../../src-main/wire/errors';
import { PROTOCOL } from '../../../src-main/wire/protocol';
import { RoomClient } from '../../../src-main/session/room-client';
import { chatTexts, closeAll, inviteFor, join, startHost, testIdentity, waitFor } from '../../fixtures/room';
import { roomSecret } from '../../fixtures/raw-peer';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

// Proxies first: a frozen link would otherwise hold up each guest's polite close.
afterEach(closeProxies);
afterEach(closeAll);

/** A TLS server with its own certificate that keeps every decrypted byte it is sent. */
interface Impostor {
  server: Server;
  port: number;
  received: () => string;
  /** TCP connections that reached it. */
  connections: () => number;
  close: () => Promise<void>;
}

let impostorIdentity: Promise<HostIdentity> | undefined;

async function startImpostor(): Promise<Impostor> {
  impostorIdentity ??= createHostIdentity();
  const identity = await impostorIdentity;
  const chunks: Buffer[] = [];
  let connections = 0;
  const server = createServer({ cert: identity.certPem, key: identity.keyPem, ALPNProtocols: ['http/1.1'] }, (socket) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
  });
  server.on('connection', () => (connections += 1));
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
  impostors.add(close);
  return {
    server,
    port: (server.address() as AddressInfo).port,
    received: () => Buffer.concat(chunks).toString('latin1'),
    connections: () => connections,
    close,
  };
}

const impostors = new Set<() => Promise<void>>();
afterEach(async () => {
  await Promise.allSettled([...impostors].map((close) => close()));
  impostors.clear();
});

test('a server with another certificate never receives the upgrade request or the secret', async () => {
  const host = await startHost();
  const impostor = await startImpostor();
  const secret = roomSecret(host);
  // The invite is the real host's (its fingerprint, its secret); the address leads elsewhere.
  const invite = inviteFor(host, { port: impostor.port });

  await assert.rejects(RoomClient.join(invite, { name: 'Alice', connectTimeoutMs: 3000 }), (err: unknown) => {
    assert.ok(err instanceof PortholeError);
    assert.equal(err.code, 'identity-mismatch');
    assert.match(err.message, /identity did not match the invite/);
    return true;
  });
  assert.equal(impostor.connections(), 1, 'the guest did reach the impostor');
  await new Promise((r) => setTimeout(r, 100)); // room for any late byte to arrive
  assert.equal(impostor.received(), '', 'not one byte of application data');

  // Control: a client that does not pin sends the impostor everything, so the check above can fail.
  const careless = new WebSocket(`wss://127.0.0.1:${impostor.port}/room`, [PROTOCOL], {
    rejectUnauthorized: false,
    headers: { Authorization: `Bearer ${secret}` },
  });
  careless.on('error', () => {});
  await waitFor(new EventEmitter(), () => impostor.received().includes(secret), 3000, 'the careless client to leak');
  careless.terminate();
  assert.match(impostor.received(), /^GET \/room HTTP\/1\.1/);
});

test('the right host is accepted, and its fingerprint is what the invite pins', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  assert.equal(alice.state, 'connected');
  host.send('pinned and in');
  await waitFor(alice, () => chatTexts(alice.seen).includes('pinned and in'));
  assert.match(inviteFor(host), new RegExp(`/${(await testIdentity()).fingerprint}/`));
});

test('a reconnect that reaches another certificate stops with identity-mismatch and sends it nothing', async () => {
  const host = await startHost();
  const impostor = await startImpostor();
  const proxy = await TcpProxy.start(host.port);
  const alice = await join(
    host,
    'Alice',
    { backoff: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 5 } },
    inviteFor(host, { port: proxy.port }),
  );
  const statuses: string[] = [];
  alice.on('status', (s) => statuses.push(`${s.state}${s.error ? ` ${s.error.code}` : ''}`));
  alice.send('queued before the switch');
  await waitFor(alice, () => alice.pending().length === 0);

  proxy.retarget(impostor.port);
  proxy.cutAll();
  const failures: string[] = [];
  alice.on('send-failed', (f) => failures.push(f.error.code));
  await waitFor(alice, () => alice.state === 'reconnecting', 3000, 'reconnecting');
  alice.send('must never reach the impostor');
  await waitFor(alice, () => alice.state === 'closed', 5000, 'the guest to give up');

  assert.equal(statuses.at(-1), 'closed identity-mismatch');
  assert.equal(statuses.filter((s) => s.startsWith('reconnecting')).length, 1, 'a wrong identity is final: no retries');
  assert.deepEqual(failures, ['identity-mismatch']);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(impostor.connections() >= 1);
  assert.equal(impostor.received(), '');
});
