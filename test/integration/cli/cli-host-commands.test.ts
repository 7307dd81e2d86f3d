// The host's commands in `porthole host`, with real processes: /remove NAME [why] (the guest's
// CLI prints the host's sentence and ends without rejoining; the invite keeps it out until
// /allow NAME) and /revoke (a new invite; the old one is refused, everyone present stays).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInvite } from '../../../src-main/link/invite';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { PlainCli, cli, hostReady, started } from './cli-helpers';

const plain: PlainCli[] = [];
afterEach(() => {
  started.splice(0).forEach((p) => p.kill());
  plain.splice(0).forEach((p) => p.kill());
});

const nameOf = (member: unknown) => (member as { name: string }).name;

test("/remove NAME why: the guest's CLI prints the host's sentence and ends without rejoining; the invite keeps it out until /allow", async () => {
  const { host, invite } = await hostReady(['--name', 'Hosty']);
  const stays = await cli(['join', invite, '--json', '--name', 'Alice']);
  await stays.waitFor((e) => e.event === 'ready');
  // The removed guest as a person sees it: plain text, the host's words on stderr.
  const removed = new PlainCli(['join', invite, '--name', 'Remy'], await mkdtemp(join(tmpdir(), 'porthole-cli-')));
  plain.push(removed);
  await removed.waitFor('stdout', /^Joined as Remy\./m);
  await host.waitFor((e) => e.event === 'member-joined' && nameOf(e.member) === 'Remy');

  host.type('/remove remy Too many cat pictures');
  assert.equal(await removed.exited, 1, 'removed: the CLI ends (not by its own choice)');
  assert.match(
    removed.stderr,
    /^The host removed you from the room: “Too many cat pictures”\. The same invite will not let you back in unless the host allows it\.\n$/m,
  );
  assert.doesNotMatch(removed.stdout + removed.stderr, /reconnecting/i, 'no attempt to come back');
  const left = await stays.waitFor((e) => e.event === 'member-left' && nameOf(e.member) === 'Remy');
  assert.equal(left.reason, 'removed');
  const after = await host.waitFor((e) => e.event === 'member-left' && nameOf(e.member) === 'Remy');
  assert.equal(after.reason, 'removed');

  // The same invite does not let the name back in: a --json guest gets the code and the host's sentence.
  const again = await cli(['join', invite, '--json', '--name', 'Remy']);
  const refused = await again.waitFor((e) => e.event === 'error');
  assert.equal(refused.code, 'removed');
  assert.match(String(refused.message), /^The host removed you from this room\. Ask the host to let you back in/);
  assert.deepEqual(await again.exited, { code: 1, signal: null });

  // Alice stayed all along, and hears the host.
  host.type('still here?');
  await stays.waitFor((e) => e.event === 'chat' && e.text === 'still here?');

  // /allow lets the name in again with the same invite.
  host.type('/allow Remy');
  const back = await cli(['join', invite, '--json', '--name', 'Remy']);
  assert.equal(nameOf((await back.waitFor((e) => e.event === 'ready')).me), 'Remy');

  // A name nobody has: a sentence, and the room goes on.
  host.type('/remove Nobody');
  const error = await host.waitFor((e) => e.event === 'error');
  assert.equal(error.code, 'not-found');
  assert.match(String(error.message), /^Nobody here is called "Nobody"\./);
});

test('/revoke: the old invite is refused, everyone present stays, the new invite works; the CLI says the old one works nowhere', async () => {
  const { host, ready, invite } = await hostReady(['--name', 'Hosty']);
  const guest = await cli(['join', invite, '--json', '--name', 'Remy']);
  await guest.waitFor((e) => e.event === 'ready');

  host.type('/revoke');
  const updated = await host.waitFor((e) => e.event === 'invite-updated');
  assert.equal(updated.revoked, true, 'programs are told the invite was revoked, not only changed');
  const before = parseInvite(ready.invite as string);
  const after = parseInvite(updated.invite as string);
  assert.notEqual(after.secret, before.secret);
  assert.deepEqual(after.addresses, before.addresses, 'same addresses, a new secret');

  // Everyone present stays: chat goes on both ways.
  guest.type('after the revoke');
  await host.waitFor((e) => e.event === 'chat' && e.text === 'after the revoke');
  host.type('you are still here');
  await guest.waitFor((e) => e.event === 'chat' && e.text === 'you are still here');
  assert.ok(!guest.events.some((e) => e.event === 'status' && e.state !== 'connected'), JSON.stringify(guest.events));

  const late = await cli(['join', invite, '--json', '--name', 'Late']);
  assert.equal((await late.waitFor((e) => e.event === 'error')).code, 'wrong-secret');
  assert.deepEqual(await late.exited, { code: 1, signal: null });
  const welcome = await cli(['join', loopbackInvite(updated.invite as string), '--json', '--name', 'Welcome']);
  await welcome.waitFor((e) => e.event === 'ready');

  // The invite is kept for the next start: the host comes back with the new one.
  host.signal('SIGTERM');
  await host.exited;
  const { ready: restarted } = await hostReady([], host.configDir);
  assert.equal(parseInvite(restarted.invite as string).secret, after.secret);
});

test('/revoke for a person: the new invite, saying the earlier one no longer works (not that it still works where it did)', async () => {
  const host = new PlainCli(['host', '--no-upnp', '--name', 'Hosty'], await mkdtemp(join(tmpdir(), 'porthole-cli-')));
  plain.push(host);
  await host.waitFor('stdout', /\/help lists the commands/);
  host.type('/revoke');
  await host.waitFor('stdout', /The invite changed.*\n {2}porthole:\/\/.*\n {2}Works from/);
  const said = host.stdout.slice(host.stdout.indexOf('The invite was revoked'));
  assert.match(
    said,
    /^The invite was revoked\. Everyone here stays\.\nThe invite changed; send this one from now on \(the earlier one no longer works for anyone, anywhere\):\n {2}porthole:\/\//,
  );
  assert.doesNotMatch(host.stdout, /still works where it did/);
  host.type('/quit');
  host.type('/quit');
  assert.equal(await host.exited, 0);
});
