// What the CLI remembers and says: a guest's --name kept for the next join and host, the port that
// moved when the remembered one was taken (said to people and to programs), and `ready` as the
// first --json line of every command.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { parseInvite } from '../../../src-main/link/invite';
import { CliProcess } from '../../fixtures/cli-process';
import { loopbackInvite } from '../../fixtures/loopback-invite';

const BIN = new URL('../../../bin/porthole.js', import.meta.url).pathname;
const started: CliProcess[] = [];
const servers: Server[] = [];
afterEach(async () => {
  started.splice(0).forEach((p) => p.kill());
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function cli(args: string[], configDir?: string): Promise<CliProcess> {
  const p = await CliProcess.start(args, configDir);
  started.push(p);
  return p;
}

const nameOf = (ready: Record<string, unknown>) => (ready.me as { name: string }).name;
const settingsIn = async (configDir: string) => JSON.parse(await readFile(join(configDir, 'settings.json'), 'utf8'));

/** Holds `port` the way the host listens (IPv6 and IPv4 at once), so the host cannot have it. */
async function occupy(port: number): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '::', ipv6Only: false }, resolve);
  });
}

async function hostReady(args: string[], configDir?: string) {
  const host = await cli(['host', '--json', '--no-upnp', ...args], configDir);
  const ready = await host.waitFor((e) => e.event === 'ready');
  return { host, ready, invite: loopbackInvite(ready.invite as string) };
}

test("a guest's --name is remembered: the next join and the next host use it", async () => {
  const { invite } = await hostReady(['--name', 'Hosty']);
  const first = await cli(['join', invite, '--json', '--name', 'Remy']);
  assert.equal(nameOf(await first.waitFor((e) => e.event === 'ready')), 'Remy');
  first.type('/quit');
  assert.deepEqual(await first.exited, { code: 0, signal: null });
  assert.equal((await settingsIn(first.configDir)).displayName, 'Remy');

  const again = await cli(['join', invite, '--json'], first.configDir);
  assert.equal(nameOf(await again.waitFor((e) => e.event === 'ready')), 'Remy', 'the next join takes the remembered name');
  again.type('/quit');
  await again.exited;

  const hosting = await cli(['host', '--json', '--no-upnp'], first.configDir);
  assert.equal(nameOf(await hosting.waitFor((e) => e.event === 'ready')), 'Remy', 'and so does hosting');
});

test('a name the room refuses is not remembered', async () => {
  const { invite } = await hostReady(['--name', 'Hosty']);
  const refused = await cli(['join', invite, '--json', '--name', 'Hosty']);
  assert.equal((await refused.waitFor((e) => e.event === 'error')).code, 'name-taken');
  await refused.exited;
  await assert.rejects(readFile(join(refused.configDir, 'settings.json')), 'nothing was saved');
});

test('the remembered port taken: the host moves, says so after ready (JSON and a sentence), and remembers the new port', async () => {
  const { host: first, ready } = await hostReady(['--name', 'Hosty']);
  const oldPort = ready.port as number;
  first.signal('SIGTERM');
  await first.exited;
  await occupy(oldPort);

  const { host: moved, ready: movedReady } = await hostReady([], first.configDir);
  const newPort = movedReady.port as number;
  assert.notEqual(newPort, oldPort);
  assert.equal(parseInvite(movedReady.invite as string).port, newPort, 'the new invite names the new port');
  const warning = await moved.waitFor((e) => e.event === 'warning');
  assert.deepEqual(warning, {
    event: 'warning',
    code: 'port-changed',
    message: `Port ${oldPort} was taken, so the room is on port ${newPort}: invites sent before no longer work. Send the new invite instead.`,
    previousPort: oldPort,
    port: newPort,
  });
  assert.equal(moved.events[0]?.event, 'ready', 'ready comes first, the warning after it');
  assert.equal((await settingsIn(first.configDir)).port, newPort, 'the new port is kept, so the new invite keeps working');
  moved.signal('SIGTERM');
  await moved.exited;

  // For people: the same sentence on stderr, below the new invite on stdout.
  await occupy(newPort);
  const human = spawn(process.execPath, [BIN, '--config-dir', first.configDir, 'host', '--no-upnp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  human.stdout.on('data', (chunk) => (stdout += chunk));
  human.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => human.on('exit', (code) => resolve(code)));
  try {
    for (const deadline = Date.now() + 15_000; !stderr.includes('\n') && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 50));
    assert.match(
      stderr,
      new RegExp(
        `^Port ${newPort} was taken, so the room is on port \\d+: invites sent before no longer work\\. Send the new invite instead\\.\\n`,
      ),
    );
    assert.match(stdout, /^Hosting a room on port \d+ as Hosty\. Send a friend this invite:\n {2}porthole:\/\//);
  } finally {
    human.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

test('--json: ready is the first line of a join, before the history, members and status it brings', async () => {
  const { host, invite } = await hostReady(['--name', 'Hosty']);
  host.type('said before you came');
  await host.waitFor((e) => e.event === 'chat');
  const guest = await cli(['join', invite, '--json', '--name', 'Late']);
  await guest.waitFor((e) => e.event === 'status' && e.state === 'connected');
  // The members line follows the status line; it may come in a later read.
  await guest.waitFor((e) => e.event === 'members');
  const events = guest.events.map((e) => e.event);
  assert.equal(events[0], 'ready', events.join(', '));
  const history = await guest.waitFor((e) => e.event === 'chat');
  assert.equal(history.text, 'said before you came');
  assert.equal(history.history, true);
  assert.equal(guest.events.filter((e) => e.event === 'ready').length, 1);
});
