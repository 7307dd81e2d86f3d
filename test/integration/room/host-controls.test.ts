// The host runs its room: removing a member (final for that invite until allowed again) and
// revoking the invite (a new secret; everyone present stays). Real hosts and guests on loopback.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { PortholeError } from '../../../src-main/wire/errors';
import { createRoomSecret } from '../../../src-main/session/room-host';
import type { SessionStatus } from '../../../src-main/room/session-events';
import { chatTexts, closeAll, inviteFor, join, startHost, waitFor } from '../../fixtures/room';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';

afterEach(closeProxies);
afterEach(closeAll);

const quickBackoff = { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 50 };

test('a removed member hears the host’s sentence, does not reconnect, and the others see it leave as removed', async () => {
  const host = await startHost();
  const alice = await join(host, 'Alice');
  const bob = await join(host, 'Bob', { backoff: quickBackoff });
  const statuses: SessionStatus[] = [];
  bob.on('status', (s) => statuses.push(s));

  host.remove(bob.me.id, 'Too many\u202E cat pictures\n');

  await waitFor(bob, () => bob.state === 'closed', 3000, 'bob to be closed');
  const closed = statuses.at(-1)!;
  assert.equal(closed.error?.code, 'removed');
  assert.match(closed.error!.message, /removed you from the room: “Too many cat pictures”/);
  assert.doesNotMatch(closed.error!.message, /[\u202E\n]/u, 'the host’s words reach the guest without control characters');
  assert.ok(!statuses.some((s) => s.state === 'reconnecting'), 'a removed guest does not reconnect on its own');

  await waitFor(alice, () => alice.seen.some((e) => e.type === 'left' && e.member.name === 'Bob'));
  const left = alice.seen.find((e) => e.type === 'left' && e.member.name === 'Bob');
  assert.equal(left?.type === 'left' && left.reason, 'removed');
  assert.deepEqual(
    host.members().map((m) => m.name),
    ['Host', 'Alice'],
  );
});

test('a removed member’s fresh hello with the same invite is refused (final), until the host allows the name again', async () => {
  const host = await startHost();
  const bob = await join(host, 'Bob');
  host.remove(bob.me.id);
  await waitFor(bob, () => bob.state === 'closed');

  await assert.rejects(join(host, 'Bob'), (err: unknown) => {
    assert.ok(err instanceof PortholeError);
    assert.equal(err.code, 'removed');
    assert.match(err.message, /removed you/);
    return true;
  });
  // Names compare folded: the same name in other case is the same person.
  await assert.rejects(join(host, 'BOB'), { code: 'removed' });

  assert.equal(host.allow('bob'), true);
  const again = await join(host, 'Bob');
  assert.equal(again.state, 'connected');
  assert.notEqual(again.me.id, bob.me.id, 'a new session: the removed one stays closed');
});

test('a removed member whose connection had just dropped cannot resume with its token', async () => {
  const host = await startHost({ resumeGraceMs: 5000 });
  const alice = await join(host, 'Alice');
  const proxy = await TcpProxy.start(host.port);
  const bob = await join(
    host,
    'Bob',
    { backoff: { baseDelayMs: 300, maxDelayMs: 300, maxAttempts: 5 } },
    inviteFor(host, { port: proxy.port }),
  );
  const statuses: SessionStatus[] = [];
  bob.on('status', (s) => statuses.push(s));
  proxy.cutAll();
  await waitFor(bob, () => bob.state === 'reconnecting');
  // Bob is lingering (listed, no connection): the host removes him before he is back.
  host.remove(bob.me.id, 'bye');
  await waitFor(alice, () => alice.seen.some((e) => e.type === 'left' && e.member.name === 'Bob'));
  await waitFor(bob, () => bob.state === 'closed', 5000, 'bob’s resume to be refused');
  assert.equal(statuses.at(-1)?.error?.code, 'removed');
});

test('removing someone who is not a guest here says so', async () => {
  const host = await startHost();
  assert.throws(() => host.remove('nobody'), { code: 'not-found' });
  assert.throws(() => host.remove(host.me.id), { code: 'not-found' });
});

test('revoking the invite: everyone present stays and chats; the old invite is refused; the new one lets people in', async () => {
  const host = await startHost();
  const oldInvite = inviteFor(host);
  const alice = await join(host, 'Alice');
  const secret = createRoomSecret();
  host.setSecret(secret);

  alice.send('still here');
  await waitFor(alice, () => chatTexts(alice.seen).includes('still here'));
  assert.equal(alice.state, 'connected');

  await assert.rejects(join(host, 'Mallory', {}, oldInvite), { code: 'wrong-secret' });
  const carol = await join(host, 'Carol', {}, inviteFor(host, { secret }));
  assert.equal(carol.state, 'connected');
  assert.throws(() => host.setSecret('short'), { code: 'invalid-request' });
});

test('the host hears which names are removed, as shown, after each removal and each "let back in"', async () => {
  const host = await startHost();
  const bob = await join(host, 'Bob');
  const lists: string[][] = [];
  host.on('removed', (names) => lists.push(names));
  host.remove(bob.me.id);
  assert.deepEqual(host.removedNames(), ['Bob']);
  assert.equal(host.allow('bob'), true, 'names compare without case');
  assert.equal(host.allow('Bob'), false, 'already let back in');
  assert.deepEqual(lists, [['Bob'], []]);
  const again = await join(host, 'Bob');
  assert.equal(again.state, 'connected');
});
