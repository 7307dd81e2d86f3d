// What a real host logs when a raw peer misbehaves: one structured line per offense, with the
// component, level and code, and never the room secret, a resume token or chat text.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { configureLogging } from '../../../src-main/log/logger';
import { closeAll, startHost } from '../../fixtures/room';
import { RawPeer, closeRawPeers, refusedUpgrade, roomSecret } from '../../fixtures/raw-peer';

afterEach(() => configureLogging(undefined));
afterEach(closeAll);
afterEach(closeRawPeers);

/** The logs, written as the app and CLI write them (JSON lines), kept as text and parsed. */
function captureLogs() {
  let text = '';
  configureLogging({ destination: { write: (line) => (text += line) }, level: 'debug' });
  return {
    get text() {
      return text;
    },
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

test('an offense by a raw peer is one warn line of the room with its code, and the secret is nowhere', async () => {
  const logs = captureLogs();
  const host = await startHost();
  const peer = await RawPeer.joined(host, 'Mallory');
  const welcome = await peer.next((f) => f.type === 'welcome');
  peer.send({ type: 'chat', id: 'm1', text: 'a private line nobody should find in a log' });
  await peer.next((f) => f.type === 'chat');
  peer.send({ type: 'chat', id: 'has spaces', text: 'hi' }); // an id the protocol does not allow
  await peer.next((f) => f.type === 'error' && f.code === 'invalid-message');

  const offenses = logs.lines().filter((line) => line.msg === 'a peer broke the protocol');
  assert.equal(offenses.length, 1, 'one line for one offense');
  const [offense] = offenses;
  assert.equal(offense!.component, 'room');
  assert.equal(offense!.level, 'warn');
  assert.equal(offense!.code, 'invalid-message');
  assert.equal(offense!.member, (welcome.you as { id: string }).id, 'names the member by id');
  assert.equal(host.stats.offenses, 1);

  assert.ok(!logs.text.includes(roomSecret(host)), 'the room secret is never logged');
  assert.ok(!logs.text.includes(String(welcome.resumeToken)), 'the resume token is never logged');
  assert.ok(!logs.text.includes('a private line'), 'chat text is never logged');
  assert.ok(!logs.text.includes('Mallory'), 'nor the name a peer chose');
});

test('a refused upgrade is logged with its code, not what was presented', async () => {
  const logs = captureLogs();
  const host = await startHost();
  const wrong = 'not-the-secret-but-still-not-for-the-log';
  const refusal = await refusedUpgrade(host, { secret: wrong });
  assert.equal(refusal.status, 401);
  const refused = logs.lines().filter((line) => line.msg === 'refused an upgrade');
  assert.deepEqual(
    refused.map((line) => [line.component, line.code, line.status]),
    [['room', 'wrong-secret', 401]],
  );
  assert.ok(!logs.text.includes(wrong), 'the presented secret is not logged');
  assert.ok(!logs.text.includes(roomSecret(host)), 'nor the room’s');
});

test('a peer removed for too many offenses: each offense once, then the removal with its close code', async () => {
  const logs = captureLogs();
  const host = await startHost({ policy: { maxOffenses: 2 } });
  const peer = await RawPeer.joined(host, 'Mallory');
  peer.send({ type: 'chat', id: 'a', text: 1 });
  peer.send({ type: 'chat', id: 'b', text: 2 });
  const { code } = await peer.closed();
  const lines = logs.lines();
  assert.equal(lines.filter((line) => line.msg === 'a peer broke the protocol').length, 2);
  const removal = lines.find((line) => line.msg === 'closing a peer’s connection');
  assert.equal(removal?.closeCode, code);
  assert.equal(removal?.level, 'info');
});
