import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { PortholeError, type ErrorCode } from '../../../src-main/wire/errors';
import { openHostLink } from '../../../src-main/link/host-link';
import { parseInvite } from '../../../src-main/link/invite';
import { LIMITS } from '../../../src-main/wire/protocol';
import { BUILD_MESSAGES } from '../../../src-main/session/room-features';
import { RoomClient } from '../../../src-main/session/room-client';
import type { RoomHost } from '../../../src-main/session/room-host';
import { refuseUpgrade } from '../../../src-main/link/upgrade-gate';
import { chatTexts, closeAll, inviteFor, join, recordEvents, startHost, testIdentity, waitFor } from '../../fixtures/room';
import { closeRawPeers, RawPeer, refusedUpgrade, roomSecret } from '../../fixtures/raw-peer';

afterEach(closeAll);
afterEach(closeRawPeers);

const isError = (code: ErrorCode, sentence?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof PortholeError, `not a PortholeError: ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (sentence) assert.match(err.message, sentence);
  return true;
};

/** Watches a host for anyone being let in. */
function admissions(host: RoomHost) {
  const events = recordEvents(host);
  const before = host.members().map((m) => m.name);
  return {
    assertNobodyLetIn(): void {
      assert.deepEqual(
        host.members().map((m) => m.name),
        before,
      );
      assert.deepEqual(
        events.filter((e) => e.type === 'joined'),
        [],
      );
    },
  };
}

test('a wrong secret is refused at the upgrade with 401, and nobody is let in', async () => {
  const host = await startHost();
  const watch = admissions(host);
  const invite = inviteFor(host, { secret: 'A'.repeat(43) });
  await assert.rejects(RoomClient.join(invite, { name: 'Mallory' }), isError('wrong-secret', /did not accept this invite's secret/));
  watch.assertNobodyLetIn();
  assert.equal(host.stats.refusedUpgrades, 1);

  const refusal = await refusedUpgrade(host, { secret: 'A'.repeat(43) });
  assert.equal(refusal.status, 401);
  assert.equal(refusal.body.code, 'wrong-secret');
  assert.match(String(refusal.headers['www-authenticate']), /^Bearer/);
  // A secret that shares a prefix with the real one, or has extra characters, is just as wrong.
  assert.equal((await refusedUpgrade(host, { secret: roomSecret(host).slice(0, 42) })).status, 401);
  assert.equal((await refusedUpgrade(host, { secret: `${roomSecret(host)}x` })).status, 401);
  watch.assertNobodyLetIn();
  assert.equal(host.stats.refusedUpgrades, 4);
});

test('a missing secret is refused with 401 too', async () => {
  const host = await startHost();
  const watch = admissions(host);
  const refusal = await refusedUpgrade(host, { secret: null });
  assert.equal(refusal.status, 401);
  assert.equal(refusal.body.code, 'wrong-secret');
  assert.equal((await refusedUpgrade(host, { secret: '' })).status, 401);
  watch.assertNobodyLetIn();
  assert.equal(host.stats.refusedUpgrades, 2);
});

test('a client offering another protocol version gets 426 with the versions the host speaks', async () => {
  const host = await startHost();
  const watch = admissions(host);
  const refusal = await refusedUpgrade(host, { protocols: ['porthole.v0'] });
  assert.equal(refusal.status, 426);
  assert.equal(refusal.body.code, 'version-mismatch');
  assert.deepEqual(refusal.body.supported, ['porthole.v1']);
  assert.equal(refusal.headers['sec-websocket-protocol'], 'porthole.v1');
  // Checked before the secret: even the right secret does not get past an unknown version.
  assert.equal(refusal.headers['www-authenticate'], undefined);
  watch.assertNobodyLetIn();
  assert.equal(host.stats.refusedUpgrades, 1);
});

test('a guest reaching a host of another version is told to update, with the version that host speaks', async () => {
  // A host of a later version, with the same identity: it answers upgrades the way a newer
  // Porthole would, through the same refusal code.
  const identity = await testIdentity();
  const newer = createHttpsServer({ cert: identity.certPem, key: identity.keyPem });
  let upgrades = 0;
  newer.on('upgrade', (_req, socket) => {
    upgrades += 1;
    refuseUpgrade(socket, 426, { code: 'version-mismatch', message: 'This host speaks porthole.v2.' }, { supported: ['porthole.v2'] });
  });
  await new Promise<void>((resolve) => newer.listen(0, '127.0.0.1', resolve));
  try {
    const port = (newer.address() as AddressInfo).port;
    const invite = `porthole://127.0.0.1:${port}/${identity.fingerprint}/${'A'.repeat(43)}`;
    const client = RoomClient.create(invite, { name: 'Alice', backoff: { maxAttempts: 3, baseDelayMs: 10 } });
    const statuses: string[] = [];
    client.on('status', (s) => statuses.push(s.state));
    await assert.rejects(client.connect(), isError('version-mismatch', /speaks porthole\.v2, and this one speaks porthole\.v1/));
    assert.equal(upgrades, 1);
    assert.equal(client.state, 'closed');
    assert.deepEqual(statuses, [], 'no reconnect attempts');
  } finally {
    newer.closeAllConnections();
    await new Promise((resolve) => newer.close(resolve));
  }
});

test('a full room refuses the next guest with room-full', async () => {
  const host = await startHost({ maxMembers: 3 }); // the host and two guests
  await join(host, 'Alice');
  const bob = await join(host, 'Bob');
  const watch = admissions(host);
  // The guest shows the host's own sentence, which names the size.
  await assert.rejects(join(host, 'Carol'), isError('room-full', /room is full: it takes 3 people/));
  watch.assertNobodyLetIn();
  assert.equal(host.members().length, 3);
  // Room again once someone leaves.
  await bob.close();
  await waitFor(host, () => host.members().length === 2, 3000, 'Bob to be gone');
  const carol = await join(host, 'Carol');
  assert.equal(carol.state, 'connected');
});

test('the default room size is LIMITS.maxMembers, the host included', async () => {
  const host = await startHost();
  // Version-1 guests, each from its own loopback address as people on their own machines (the
  // gate paces upgrades per address); the last one a real client.
  const guests = Array.from({ length: LIMITS.maxMembers - 2 }, (_, i) => i);
  await Promise.all(guests.map((i) => RawPeer.joined(host, `Guest ${i}`, { localAddress: `127.0.4.${i + 1}` })));
  await join(host, 'Last one in');
  assert.equal(host.members().length, LIMITS.maxMembers);
  await assert.rejects(join(host, 'One too many'), isError('room-full'));
});

test("a name already in the room is refused, without regard to case or width, the host's included", async () => {
  const host = await startHost({ hostName: 'Host' });
  const alice = await join(host, 'Alice');
  const seenByAlice = recordEvents(alice);
  const watch = admissions(host);
  for (const name of ['Alice', 'alice', 'ALICE', '  alice  ', 'Ａｌｉｃｅ', 'Host', 'host', 'HOST']) {
    await assert.rejects(join(host, name), isError('name-taken', /already called/), name);
  }
  watch.assertNobodyLetIn();
  assert.deepEqual(seenByAlice, [], 'the others saw nothing of it');
  assert.equal(alice.state, 'connected');
  // A different name is fine.
  await join(host, 'Alicia');
});

test('a taken name whose sentence is longer than a close reason allows does not hurt the host', async () => {
  // 'é' + 31 × '漢' is 95 bytes; the sentence around it passes the 123-byte close-reason limit
  // mid-character, which once made ws.close() throw inside the host.
  const long = `é${'漢'.repeat(31)}`;
  const host = await startHost();
  const first = await join(host, long);
  await assert.rejects(join(host, long), isError('name-taken', /already called/));
  first.send('still here');
  await waitFor(first, () => chatTexts(first.seen).includes('still here'));
  await join(host, 'Someone else');
});

test('an invalid name is refused: by the guest before connecting, and by the host if sent anyway', async () => {
  const host = await startHost();
  const refusedBefore = host.stats.refusedUpgrades;
  for (const name of ['', '   ', 'x'.repeat(LIMITS.nameMaxChars + 1), 'zero\u200Bwidth', 'bell\u0007']) {
    await assert.rejects(RoomClient.join(inviteFor(host), { name }), isError('name-invalid', /Pick another name\.$/), JSON.stringify(name));
  }
  assert.equal(host.stats.refusedUpgrades, refusedBefore);
  // A guest that skips its own check (another implementation) is refused by the host.
  const watch = admissions(host);
  await assert.rejects(
    openHostLink({
      invite: parseInvite(inviteFor(host)),
      name: 'x'.repeat(LIMITS.nameMaxChars + 1),
      timeoutMs: 3000,
      vocabulary: BUILD_MESSAGES.toMember,
    }),
    isError('name-invalid', /longer than 32 characters/),
  );
  watch.assertNobodyLetIn();
  assert.equal(host.stats.offenses, 1);
});

test('an unreachable host: nothing listening, or a port that never answers', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createTcpServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const fingerprint = (await testIdentity()).fingerprint;
  const invite = (port: number) => `porthole://127.0.0.1:${port}/${fingerprint}/${'A'.repeat(43)}`;
  await assert.rejects(RoomClient.join(invite(closedPort), { name: 'Alice' }), isError('host-unreachable', /nothing is listening there/));

  const silent = createTcpServer((socket) => socket.on('error', () => {}));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const port = (silent.address() as AddressInfo).port;
    await assert.rejects(
      RoomClient.join(invite(port), { name: 'Alice', connectTimeoutMs: 300 }),
      isError('host-unreachable', /did not answer in time/),
    );
  } finally {
    silent.close();
  }
});
