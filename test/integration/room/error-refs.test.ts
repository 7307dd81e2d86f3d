import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../../src-main/wire/errors';
import { LIMITS } from '../../../src-main/wire/protocol';
import type { SendFailure } from '../../../src-main/session/room-session';
import { chatTexts, closeAll, join, recordEvents, sleep, startHost, waitFor } from '../../fixtures/room';
import { RawPeer, closeRawPeers } from '../../fixtures/raw-peer';
import { HostProxy } from './host-proxy';

afterEach(closeRawPeers);
afterEach(closeAll);

test('a refused chat line is answered with an error whose ref is its id; without a valid id there is no ref', async () => {
  const host = await startHost();
  const mallory = await RawPeer.joined(host, 'Mallory');
  mallory.send({ type: 'chat', id: 'too-long', text: 'x'.repeat(LIMITS.textMaxChars + 1) });
  mallory.send({ type: 'chat', id: 'blank', text: '   ' });
  mallory.send({ type: 'chat', id: 'extra', text: 'hi', from: 'me' });
  mallory.send({ type: 'chat', id: 'bad id', text: 'hi' });
  mallory.send({ type: 'chat', text: 'no id at all' });
  await mallory.next(() => mallory.errors().length === 5);
  const errors = mallory.frames.filter((f) => f.type === 'error').map((f) => [f.code, f.ref]);
  assert.deepEqual(errors, [
    ['text-invalid', 'too-long'],
    ['text-invalid', 'blank'],
    ['invalid-message', 'extra'],
    ['invalid-message', undefined],
    ['invalid-message', undefined],
  ]);
});

test('a RoomClient whose line the host refuses reports it as not sent, by its id, and does not send it again', async () => {
  const host = await startHost();
  const hostSeen = recordEvents(host);
  // The host takes what this guest checked differently (another version's limits): played by a proxy blanking one line.
  const proxy = await HostProxy.start(host, {
    fromGuest: (text) => [text.includes('refuse me') ? JSON.stringify({ ...JSON.parse(text), text: ' ' }) : text],
  });
  const alice = await join(host, 'Alice', { backoff: { baseDelayMs: 5, maxDelayMs: 20 } }, proxy.invite);
  const failures: SendFailure[] = [];
  const warnings: AppError[] = [];
  alice.on('send-failed', (f) => failures.push(f));
  alice.on('warning', (w) => warnings.push(w));
  alice.send('fine 1');
  const refused = alice.send('please refuse me');
  alice.send('fine 2');
  await waitFor(host, () => chatTexts(hostSeen).length >= 2);
  await waitFor(alice, () => failures.length > 0, 3000, 'the failure');
  assert.deepEqual(
    failures.map((f) => [f.id, f.text, f.error.code]),
    [[refused, 'please refuse me', 'text-invalid']],
  );
  assert.deepEqual(warnings, [], 'reported once, as the failed message');
  assert.deepEqual(alice.pending(), []);
  // A reconnect does not bring it back.
  const before = proxy.guestFrames.length;
  for (const ws of (proxy as unknown as { links: Set<{ terminate(): void }> }).links) ws.terminate();
  await waitFor(alice, () => alice.state === 'connected' && proxy.connections === 2, 5000, 'the reconnect');
  await sleep(200);
  assert.ok(!proxy.guestFrames.slice(before).some((f) => f.includes('refuse me')));
  assert.deepEqual(chatTexts(hostSeen), ['fine 1', 'fine 2']);
  await proxy.close();
});
