// The host's relay connection over time, against a real strelaysrv: kept alive by pings, rejoined
// after the relay restarts, and held back while the relay still holds an earlier connection.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createHostIdentity } from '../../../src-main/link/host-identity';
import { openRelayControl } from '../../../src-main/relay/relay-control';
import { dialRelay } from '../../../src-main/relay/relay-dialer';
import { encodeRelayMessage } from '../../../src-main/relay/relay-messages';
import { RelayServer, stopRelayServers } from '../../fixtures/relay-server';
import { GUARD_MS, closeRelayHelpers, roundTrip, sleep, startEchoHost, startHost, track, waitForState } from './relay-helpers';

afterEach(closeRelayHelpers);
afterEach(stopRelayServers);

test('after the relay restarts, the host rejoins by itself and a new dial reaches it', async () => {
  const relay = await RelayServer.start();
  const host = await startEchoHost(relay.uri);
  const before = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
  assert.equal(await roundTrip(before, 'before'), 'before');

  await relay.kill();
  const lost = await waitForState(host.listener, 'retrying');
  assert.equal(lost.error?.code, 'relay-unreachable');
  await relay.restart();
  await waitForState(host.listener, 'joined');

  const after = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
  assert.equal(await roundTrip(after, 'after the restart'), 'after the restart');
  const states = host.statuses.map((status) => status.state);
  assert.equal(states[0], 'joining');
  assert.equal(states.at(-1), 'joined');
  assert.ok(states.includes('retrying'));
});

test("pings keep the host's connection alive past the relay's network timeout", async () => {
  // A relay that drops a connection silent for 3 s, and pings every second.
  const relay = await RelayServer.start({ networkTimeout: '3s', pingInterval: '1s' });
  assert.equal(relay.uri.networkTimeoutMs, 3_000);
  const host = await startEchoHost(relay.uri);
  // The control experiment: a joined connection that answers no ping and sends none is dropped.
  const mute = await openRelayControl({ uri: relay.uri, identity: await createHostIdentity(), timeoutMs: GUARD_MS });
  mute.on('error', () => {});
  mute.resume();
  mute.write(encodeRelayMessage({ type: 'join-relay-request' }));
  const muteClosed = once(mute, 'close');
  await sleep(8_000);
  await muteClosed;
  assert.deepEqual(
    host.statuses.map((status) => status.state),
    ['joining', 'joined'],
  );
  const socket = track(await dialRelay({ uri: relay.uri, hostId: host.hostId, timeoutMs: GUARD_MS }));
  assert.equal(await roundTrip(socket, 'still joined'), 'still joined');
});

test('a second join with the same certificate is refused until the first lets go, then it joins', async () => {
  const relay = await RelayServer.start();
  const first = await startEchoHost(relay.uri);
  const second = await startHost(relay.uri, first.identity);
  const refused = await waitForState(second.listener, 'retrying');
  assert.equal(refused.error?.code, 'relay-refused');
  assert.match(refused.error?.message ?? '', /earlier connection/);

  await first.listener.close();
  await waitForState(second.listener, 'joined');
  second.listener.on('session', (socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  const socket = track(await dialRelay({ uri: relay.uri, hostId: second.hostId, timeoutMs: GUARD_MS }));
  assert.equal(await roundTrip(socket, 'to the second'), 'to the second');
});
