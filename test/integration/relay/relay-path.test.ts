// The relay client against a real strelaysrv on 127.0.0.1: the host joins, guests dial, bytes
// and a pinned TLS session flow through the relay, and every failure has its code.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { fingerprintOf } from '../../../src-main/link/host-identity';
import { deviceIdOf } from '../../../src-main/relay/device-id';
import { dialRelay } from '../../../src-main/relay/relay-dialer';
import type { RelayListenerStatus } from '../../../src-main/relay/relay-listener';
import type { RelayUri } from '../../../src-main/relay/relay-uri';
import { PortholeError } from '../../../src-main/wire/errors';
import { RelayServer } from '../../fixtures/relay-server';
import {
  GUARD_MS,
  closeRelayHelpers,
  closedPort,
  roundTrip,
  silentServer,
  sleep,
  startEchoHost,
  startHost,
  track,
  waitForState,
} from './relay-helpers';

let relay: RelayServer;
before(async () => {
  relay = await RelayServer.start();
});
after(() => relay.stop());
afterEach(closeRelayHelpers);

async function rejectsWith(promise: Promise<unknown>, code: string, sentence?: RegExp): Promise<PortholeError> {
  try {
    const value = await promise;
    (value as { destroy?: () => void })?.destroy?.();
  } catch (err) {
    assert.ok(err instanceof PortholeError, `not a PortholeError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (sentence) assert.match(err.message, sentence);
    return err;
  }
  assert.fail(`resolved instead of rejecting with ${code}`);
}

/** 'session' (the socket is closed again) or the error's code. */
async function outcomeOf(dial: Promise<Socket>): Promise<string> {
  try {
    (await dial).destroy();
    return 'session';
  } catch (err) {
    return err instanceof PortholeError ? err.code : String(err);
  }
}

test("the id strelaysrv prints is the SHA-256 of its certificate, in Syncthing's device-ID text", async () => {
  const cert = new X509Certificate(await readFile(join(relay.keysDir, 'cert.pem')));
  const sha = createHash('sha256').update(cert.raw).digest();
  assert.deepEqual(relay.uri.id, sha);
  assert.match(relay.uriText, new RegExp(`[?&]id=${deviceIdOf(sha)}(&|$)`));
});

test('a joined host gets a raw session for each dial, and bytes flow both ways', async () => {
  const host = await startEchoHost(relay.uri);
  assert.deepEqual(
    host.statuses.map((status) => status.state),
    ['joining', 'joined'],
  );
  const socket = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
  assert.equal(await roundTrip(socket, 'through the relay and back'), 'through the relay and back');
  const big = randomBytes(300_000).toString('base64');
  assert.equal(await roundTrip(socket, big), big);
});

test('TLS runs end to end inside the relayed stream: the guest pins the host certificate', async () => {
  const host = await startHost(relay.uri);
  const server = createTlsServer({ cert: host.identity.certPem, key: host.identity.keyPem, minVersion: 'TLSv1.2' }, (tls) => {
    tls.on('error', () => {});
    tls.once('data', (chunk) => tls.end(`host heard: ${chunk.toString()}`));
  });
  host.listener.on('session', (socket) => server.emit('connection', track(socket)));
  await waitForState(host.listener, 'joined');

  const raw = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
  const tls = track(tlsConnect({ socket: raw, rejectUnauthorized: false, minVersion: 'TLSv1.2' }));
  await once(tls, 'secureConnect');
  assert.equal(fingerprintOf(tls.getPeerCertificate().raw), host.identity.fingerprint);
  tls.write('a marker only the host can read');
  let reply = '';
  tls.on('data', (chunk: Buffer) => {
    reply += chunk.toString();
  });
  await once(tls, 'end');
  assert.equal(reply, 'host heard: a marker only the host can read');
  server.close();
});

test('a dial for a host that is not on the relay is answered relay-host-absent', async () => {
  await rejectsWith(
    dialRelay({ uri: relay.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS }),
    'relay-host-absent',
    /not connected to the relay/,
  );
});

test('a relay that is not the one its URI names is refused before anything is sent', async () => {
  const impostor: RelayUri = { ...relay.uri, id: randomBytes(32) };
  const host = await startHost(impostor);
  const status = await waitForState(host.listener, 'retrying');
  assert.equal(status.error?.code, 'relay-identity-mismatch');
  assert.ok((status.retryInMs ?? 0) > 0);
  await rejectsWith(
    dialRelay({ uri: impostor, hostId: host.hostId, timeoutMs: GUARD_MS }),
    'relay-identity-mismatch',
    /not the one its address names/,
  );
});

test('50 dials in a row all reach the host (the join race is handled)', async () => {
  const host = await startEchoHost(relay.uri);
  for (let i = 0; i < 50; i++) {
    const socket = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
    assert.equal(await roundTrip(socket, `dial ${i}`), `dial ${i}`);
    socket.destroy();
  }
});

test('close() resolves, reports closed last, and the relay forgets the host', async () => {
  const host = await startEchoHost(relay.uri);
  const open = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
  await roundTrip(open, 'before close');
  await host.listener.close();
  assert.equal(host.listener.status.state, 'closed');
  await sleep(200);
  assert.equal(host.statuses.at(-1)?.state, 'closed');
  assert.equal(host.statuses.filter((status) => status.state === 'closed').length, 1);
  // The relay drops the host's sessions with its control connection.
  if (!open.destroyed) await once(open, 'close');
  // The relay notices the closed control connection by itself; until then it may still invite.
  const deadline = Date.now() + GUARD_MS;
  for (;;) {
    const outcome = await outcomeOf(dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: 3_000 }));
    if (outcome === 'relay-host-absent') break;
    assert.ok(Date.now() < deadline, `the relay still knows the host: ${outcome}`);
    await sleep(100);
  }
});

test('close() while the relay never answers the handshake returns and reports closed', async () => {
  const silent = await silentServer();
  const host = await startHost({ ...relay.uri, port: silent.port });
  while (silent.accepted.length === 0) await sleep(20);
  await host.listener.close();
  assert.deepEqual(
    host.statuses.map((status: RelayListenerStatus) => status.state),
    ['joining', 'closed'],
  );
  const [accepted] = silent.accepted;
  if (!accepted!.destroyed) await once(accepted!, 'close');
});

test('nothing listening, or a relay that never answers: relay-unreachable', async () => {
  const port = await closedPort();
  await rejectsWith(
    dialRelay({ uri: { ...relay.uri, port }, hostId: randomBytes(32), timeoutMs: GUARD_MS }),
    'relay-unreachable',
    /nothing is listening/,
  );
  const silent = await silentServer();
  await rejectsWith(
    dialRelay({ uri: { ...relay.uri, port: silent.port }, hostId: randomBytes(32), timeoutMs: 300 }),
    'relay-unreachable',
    /in time/,
  );
});

test('an abort stops a dial at any stage with cancelled and closes its sockets', async () => {
  const already = new AbortController();
  already.abort();
  await rejectsWith(dialRelay({ uri: relay.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS, signal: already.signal }), 'cancelled');

  // Stuck in the TLS handshake with a relay that never answers.
  const silent = await silentServer();
  const stuck = new AbortController();
  const dial = dialRelay({ uri: { ...relay.uri, port: silent.port }, hostId: randomBytes(32), timeoutMs: GUARD_MS, signal: stuck.signal });
  while (silent.accepted.length === 0) await sleep(20);
  stuck.abort();
  await rejectsWith(dial, 'cancelled', /cancelled/);
  const [accepted] = silent.accepted;
  if (!accepted!.destroyed) await once(accepted!, 'close');

  // Against the real relay, at whatever stage the abort lands: a session or cancelled, nothing else.
  const host = await startEchoHost(relay.uri);
  const outcomes = new Set<string>();
  for (let delay = 0; delay < 40; delay += 2) {
    const controller = new AbortController();
    const attempt = dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS, signal: controller.signal });
    setTimeout(() => controller.abort(), delay);
    outcomes.add(await outcomeOf(attempt));
  }
  assert.deepEqual(
    [...outcomes].filter((outcome) => outcome !== 'session' && outcome !== 'cancelled'),
    [],
  );
  assert.ok(outcomes.has('cancelled'));
});
