// One invite, several addresses: the guest races them (RFC 8305) and joins through the first that
// proves to be the room. Real sockets on 127.0.0.1 and ::1 only.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createHostIdentity, type HostIdentity } from '../../../src-main/link/host-identity';
import { PortholeError } from '../../../src-main/wire/errors';
import { connectToAnyAddress, type LookupAll } from '../../../src-main/link/happy-eyeballs';
import { formatInvite, type InviteAddress } from '../../../src-main/link/invite';
import { RoomClient } from '../../../src-main/session/room-client';
import type { RoomHost, RoomHostOptions } from '../../../src-main/session/room-host';
import { chatTexts, closeAll, join, startHost, testIdentity, waitFor } from '../../fixtures/room';

/** The stand-in servers of a test, each with the sockets it accepted (watch() records them). */
const servers = new Map<TcpServer, Socket[]>();
afterEach(closeAll);
afterEach(async () => {
  // A server closes only once every socket it accepted has: those are destroyed first, so one
  // socket a test left open cannot hang the whole file (CI timed the file out, unnamed, in about
  // three runs of six).
  for (const sockets of servers.values()) for (const socket of sockets) socket.destroy();
  await Promise.allSettled([...servers.keys()].map((s) => new Promise((r) => s.close(r))));
  servers.clear();
});

/** The room's invite, listing `addresses` in this order. */
function multiInvite(host: RoomHost, addresses: InviteAddress[]): string {
  const { identity, secret } = (host as unknown as { options: RoomHostOptions }).options;
  return formatInvite({ addresses, fingerprint: identity.fingerprint, secret });
}

const v4 = (port: number): InviteAddress => ({ host: '127.0.0.1', port });
const v6 = (port: number): InviteAddress => ({ host: '::1', port });

/** What a stand-in server saw: connections in order, TLS handshakes, and every byte sent after one. */
interface Listener {
  port: number;
  address: InviteAddress;
  connections: number;
  handshakes: number;
  /** Application bytes received after a TLS handshake (always 0 for a server that never answers TLS). */
  bytesAfterHandshake: () => number;
  /** Resolves once every connection it accepted has been closed by the other side or by us. */
  allClosed: () => Promise<void>;
}

async function listenOn(server: TcpServer, host: string): Promise<number> {
  if (!servers.has(server)) servers.set(server, []);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function watch(server: TcpServer, arrivals?: string[], label?: string): Omit<Listener, 'port' | 'address'> & { sockets: Socket[] } {
  const sockets: Socket[] = [];
  servers.set(server, sockets);
  const seen = { connections: 0, handshakes: 0, received: 0 };
  server.on('connection', (socket: Socket) => {
    seen.connections += 1;
    if (label) arrivals?.push(label);
    sockets.push(socket);
    socket.on('error', () => {});
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    seen.handshakes += 1;
    socket.on('data', (chunk: Buffer) => (seen.received += chunk.length));
    socket.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  return {
    sockets,
    get connections() {
      return seen.connections;
    },
    get handshakes() {
      return seen.handshakes;
    },
    bytesAfterHandshake: () => seen.received,
    allClosed: async () => {
      // Bounded: a socket left open fails the test with a reason instead of hanging the file (a CI
      // run once timed the whole file out here, in "losers are closed…", not seen again locally).
      const closing = Promise.all(sockets.map((s) => (s.destroyed || s.closed ? undefined : once(s, 'close'))));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const open = sockets.filter((s) => !(s.destroyed || s.closed)).length;
          reject(new Error(`${open} of ${sockets.length} accepted sockets still open after 10 s (handshakes: ${seen.handshakes})`));
        }, 10_000);
      });
      await Promise.race([closing, late]).finally(() => clearTimeout(timer));
    },
  };
}

/** A TLS server with `identity`'s certificate that records but never answers what it is sent. */
async function startTlsListener(identity: HostIdentity, host: string, arrivals?: string[], label?: string): Promise<Listener> {
  const server = createTlsServer({ cert: identity.certPem, key: identity.keyPem, ALPNProtocols: ['http/1.1'] });
  const seen = watch(server, arrivals, label);
  const port = await listenOn(server, host);
  return Object.assign(seen, { port, address: { host, port } });
}

let otherIdentity: Promise<HostIdentity> | undefined;
/** Another certificate than the room's: an impostor at one of the invite's addresses. */
async function startImpostor(host = '127.0.0.1'): Promise<Listener> {
  otherIdentity ??= createHostIdentity();
  return startTlsListener(await otherIdentity, host);
}

/** Accepts TCP and then says nothing, ever: TLS never starts. */
async function startBlackhole(host: string, arrivals?: string[], label?: string): Promise<Listener> {
  // Reads (and drops) what it is sent, so it notices when the guest hangs up.
  const server = createTcpServer((socket) => socket.resume());
  const seen = watch(server, arrivals, label);
  const port = await listenOn(server, host);
  return Object.assign(seen, { port, address: { host, port } });
}

/** A port nothing listens on (bound for a moment, then let go). */
async function closedPort(host: string): Promise<number> {
  const server = createTcpServer();
  const port = await listenOn(server, host);
  await new Promise((r) => server.close(r));
  servers.delete(server);
  return port;
}

function isError(code: string, sentence?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof PortholeError, `not a PortholeError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (sentence) assert.match(err.message, sentence);
    return true;
  };
}

test('joins past a closed port and an impostor that answers first; the impostor gets no byte after its handshake', async () => {
  const host = await startHost({ listenHost: undefined });
  const closed = await closedPort('127.0.0.1');
  const impostor = await startImpostor();
  // All IPv4, so they are tried in this order: refused, then the impostor, then the room.
  const invite = multiInvite(host, [v4(closed), impostor.address, v4(host.port)]);

  const alice = await join(host, 'Alice', {}, invite);
  const bob = await join(host, 'Bob', {}, invite);
  alice.send('through the third address');
  await waitFor(bob, () => chatTexts(bob.seen).includes('through the third address'));

  assert.equal(impostor.connections, 2, 'each guest did reach the impostor');
  await impostor.allClosed();
  assert.equal(impostor.bytesAfterHandshake(), 0, 'not one byte of HTTP, and so not the secret');
});

test('joins over ::1 when the room listens only there, with a closed port and an impostor listed first', async () => {
  const host = await startHost({ listenHost: '::1' });
  const impostor = await startImpostor();
  const invite = multiInvite(host, [v4(await closedPort('127.0.0.1')), impostor.address, v6(host.port)]);
  const alice = await join(host, 'Alice', {}, invite);
  host.send('over IPv6');
  await waitFor(alice, () => chatTexts(alice.seen).includes('over IPv6'));
  await impostor.allClosed();
  assert.equal(impostor.bytesAfterHandshake(), 0);
});

test('an address that accepts TCP and never answers TLS does not hold the join up: the next one is tried and wins', async () => {
  for (const blackholeAt of ['127.0.0.1', '::1']) {
    const host = await startHost();
    const blackhole = await startBlackhole(blackholeAt);
    const invite = multiInvite(host, [blackhole.address, v4(host.port)]);
    const began = Date.now();
    const alice = await join(host, `Alice${blackholeAt === '::1' ? '6' : '4'}`, { connectTimeoutMs: 15_000 }, invite);
    const took = Date.now() - began;
    assert.equal(alice.state, 'connected');
    assert.equal(blackhole.connections, 1, `the ${blackholeAt} blackhole was tried first`);
    assert.ok(took < 2500, `joined in ${took} ms, long before the 15 s timeout`);
    await blackhole.allClosed(); // the losing attempt is closed, not left hanging
    assert.equal(blackhole.bytesAfterHandshake(), 0);
  }
});

test('losers are closed before anything is written, even when they hold the right certificate', async () => {
  const identity = await testIdentity();
  let raced = 0;
  for (let round = 0; round < 5; round += 1) {
    const twins = [await startTlsListener(identity, '::1'), await startTlsListener(identity, '127.0.0.1')];
    // No stagger: both attempts are under way at once, and both could win.
    const winner = await connectToAnyAddress({
      addresses: twins.map((t) => t.address),
      fingerprint: identity.fingerprint,
      timeoutMs: 5000,
      attemptDelayMs: 0,
    });
    const won = twins.find((t) => t.address.host === winner.address.host)!;
    const lost = twins.find((t) => t !== won)!;
    assert.equal(winner.connectedTo, won.address.host);
    winner.socket.write('only the winner hears this');
    await waitFor(new EventEmitter(), () => won.bytesAfterHandshake() > 0, 3000, 'the winner to hear');
    // The loser's connection may be cut before its server even accepted it (a round that proves
    // nothing, but happens): the check below is on rounds where both were under way.
    assert.ok(lost.connections <= 1);
    raced += lost.connections;
    await lost.allClosed();
    assert.equal(lost.bytesAfterHandshake(), 0, `round ${round}: the loser got no byte (handshakes: ${lost.handshakes})`);
    winner.socket.destroy();
  }
  assert.ok(raced >= 1, 'in at least one round the other attempt was under way too');
});

test('attempts start IPv6 first and alternate families, one after another', async () => {
  const arrivals: string[] = [];
  const a = await startBlackhole('127.0.0.1', arrivals, 'a (v4)');
  const b = await startBlackhole('127.0.0.1', arrivals, 'b (v4)');
  const c = await startBlackhole('::1', arrivals, 'c (v6)');
  const d = await startBlackhole('::1', arrivals, 'd (v6)');
  await assert.rejects(
    connectToAnyAddress({
      addresses: [a, b, c, d].map((l) => l.address),
      fingerprint: (await testIdentity()).fingerprint,
      timeoutMs: 1000,
      attemptDelayMs: 60,
    }),
    isError(
      'host-unreachable',
      /any of the invite's 4 addresses: 127\.0\.0\.1:\d+ \(it did not answer in time\); .*\[::1\]:\d+ \(it did not answer in time\)\. Check/,
    ),
  );
  assert.deepEqual(arrivals, ['c (v6)', 'a (v4)', 'd (v6)', 'b (v4)']);
  await Promise.all([a, b, c, d].map((l) => l.allClosed()));
});

test('a failed attempt starts the next one at once instead of waiting out the delay', async () => {
  const host = await startHost({ listenHost: undefined });
  // With a delay longer than the timeout, only failures can move the race on.
  const winner = await connectToAnyAddress({
    addresses: [v6(await closedPort('::1')), v4(await closedPort('127.0.0.1')), v6(host.port)],
    fingerprint: (await testIdentity()).fingerprint,
    timeoutMs: 3000,
    attemptDelayMs: 60_000,
  });
  assert.deepEqual(winner.address, v6(host.port));
  winner.socket.destroy();
});

test('when every address fails, the most telling error wins: a wrong identity over an unreachable address', async () => {
  const host = await startHost();
  const impostor = await startImpostor('::1');
  const closed = await closedPort('127.0.0.1');
  await assert.rejects(
    RoomClient.join(multiInvite(host, [v4(closed), impostor.address]), { name: 'Alice', connectTimeoutMs: 3000 }),
    isError('identity-mismatch', /identity did not match the invite, so nothing was sent to it/),
  );
  await impostor.allClosed();
  assert.equal(impostor.bytesAfterHandshake(), 0);

  await assert.rejects(
    RoomClient.join(multiInvite(host, [v4(closed), v6(await closedPort('::1'))]), { name: 'Alice', connectTimeoutMs: 3000 }),
    isError(
      'host-unreachable',
      new RegExp(
        `any of the invite's 2 addresses: 127\\.0\\.0\\.1:${closed} \\(nothing is listening there\\); \\[::1\\]:\\d+ \\(nothing is listening there\\)\\. Check that the room is still open`,
      ),
    ),
  );
  // One address: the sentence of a version-1 invite.
  await assert.rejects(
    RoomClient.join(multiInvite(host, [v4(closed)]), { name: 'Alice', connectTimeoutMs: 3000 }),
    isError(
      'host-unreachable',
      new RegExp(`^Could not reach the host at 127\\.0\\.0\\.1:${closed} \\(nothing is listening there\\)\\. Check`),
    ),
  );
});

test('addresses that never answer end in host-unreachable when the time is up', async () => {
  const host = await startHost();
  const holes = [await startBlackhole('::1'), await startBlackhole('127.0.0.1')];
  const began = Date.now();
  await assert.rejects(
    RoomClient.join(
      multiInvite(
        host,
        holes.map((h) => h.address),
      ),
      { name: 'Alice', connectTimeoutMs: 600 },
    ),
    isError('host-unreachable', /\(it did not answer in time\); .*\(it did not answer in time\)/),
  );
  assert.ok(Date.now() - began < 5000);
  await Promise.all(holes.map((h) => h.allClosed()));
});

test('a DNS name counts as every address it resolves to, and a name that is not found does not stop the others', async () => {
  const host = await startHost();
  const blackhole = await startBlackhole('::1');
  // localhost comes from the hosts file: no DNS server is asked.
  const viaHostsFile = await join(host, 'Local', {}, multiInvite(host, [{ host: 'localhost', port: host.port }]));
  assert.equal(viaHostsFile.state, 'connected');

  const lookups: string[] = [];
  const lookup: LookupAll = async (name) => {
    lookups.push(name);
    if (name === 'gone.example') throw Object.assign(new Error('getaddrinfo ENOTFOUND gone.example'), { code: 'ENOTFOUND' });
    // The room's name resolves to ::1 first, where nothing listens on its port, then to where the room is.
    return [
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ];
  };
  const fingerprint = (await testIdentity()).fingerprint;
  const winner = await connectToAnyAddress({
    addresses: [
      { host: 'gone.example', port: 1 },
      { host: 'room.example', port: host.port },
    ],
    fingerprint,
    timeoutMs: 3000,
    lookup,
  });
  assert.deepEqual(winner.address, { host: 'room.example', port: host.port });
  assert.equal(winner.connectedTo, '127.0.0.1');
  assert.deepEqual(lookups.sort(), ['gone.example', 'room.example']);
  winner.socket.destroy();

  await assert.rejects(
    connectToAnyAddress({
      addresses: [
        { host: 'gone.example', port: 1 },
        { host: 'room.example', port: blackhole.port },
      ],
      fingerprint,
      timeoutMs: 800,
      lookup: async (name) => (name === 'room.example' ? [{ address: '::1', family: 6 }] : lookup(name)),
    }),
    isError('host-unreachable', /gone\.example:1 \(the address could not be found\); room\.example:\d+ \(it did not answer in time\)/),
  );
});

test('an abort stops the race and closes every attempt', async () => {
  const holes = [await startBlackhole('::1'), await startBlackhole('127.0.0.1')];
  const stop = new AbortController();
  const racing = connectToAnyAddress({
    addresses: holes.map((h) => h.address),
    fingerprint: (await testIdentity()).fingerprint,
    timeoutMs: 10_000,
    attemptDelayMs: 0,
    signal: stop.signal,
  });
  await waitFor(new EventEmitter(), () => holes.every((h) => h.connections === 1), 3000, 'both attempts');
  stop.abort(new Error('left before joining'));
  await assert.rejects(racing, /left before joining/);
  await Promise.all(holes.map((h) => h.allClosed()));
});
