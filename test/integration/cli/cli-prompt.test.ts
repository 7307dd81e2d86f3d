// The CLI at a real terminal (a pseudo-terminal from util-linux `script`, rendered by xterm.js):
// what you type survives arriving messages, your own line shows once, /help, /quit's question,
// Ctrl-C and Ctrl-D, and the progress line while joining.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostIdentity } from '../../../src-main/link/host-identity';
import { formatInvite } from '../../../src-main/link/invite';
import { createRoomSecret } from '../../../src-main/session/room-host';
import { CliProcess } from '../../fixtures/cli-process';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { KEY, TerminalCli } from './terminal-cli';

const started: Array<{ kill(): void }> = [];
afterEach(() => started.splice(0).forEach((p) => p.kill()));

async function terminal(args: string[], options?: { configDir?: string; columns?: number }): Promise<TerminalCli> {
  const cli = await TerminalCli.start(args, options);
  started.push(cli);
  return cli;
}

async function jsonCli(args: string[]): Promise<CliProcess> {
  const cli = await CliProcess.start(args);
  started.push(cli);
  return cli;
}

/** A host at a terminal, ready: its screen and the invite it shows, pointed at loopback. */
async function hostAtTerminal(columns = 100) {
  const host = await terminal(['host', '--no-upnp', '--name', 'Hosty'], { columns });
  const lines = await host.waitForText('/help lists the commands');
  const invite = lines.map((l) => l.match(/porthole:\/\/\S+/)?.[0]).find(Boolean);
  assert.ok(invite, lines.join('\n'));
  return { host, invite: loopbackInvite(invite) };
}

const lastLine = (lines: string[]) => lines[lines.length - 1];
const count = (lines: string[], text: string) => lines.filter((l) => l.includes(text)).length;

test('a message arriving while you type keeps your half-typed line; your own line shows once; /help lists the commands', async () => {
  const { host, invite } = await hostAtTerminal();
  // The prompt is drawn just after the start lines; on a busy machine a moment later.
  await host.waitFor((lines) => lastLine(lines) === '> ', 'the prompt below the start lines');
  const guest = await jsonCli(['join', invite, '--json', '--name', 'Guesty']);
  await guest.waitFor((e) => e.event === 'ready');
  await host.waitForText('Guesty joined');

  host.type('half typ');
  await host.waitFor((lines) => lastLine(lines) === '> half typ', 'the typed text');
  guest.type('hello from the guest');
  const during = await host.waitFor((lines) => lines.some((l) => / Guesty: hello from the guest$/.test(l)), 'the message');
  assert.equal(lastLine(during), '> half typ', 'the message went above the prompt, which is drawn again with the text');
  assert.match(during[during.length - 2] ?? '', /^\[\d\d:\d\d\] Guesty: hello from the guest$/);

  host.type(`ed${KEY.enter}`);
  await guest.waitFor((e) => e.event === 'chat' && e.text === 'half typed');
  // The room's copy goes above the prompt, which is drawn again below it (a moment later on a busy machine).
  const after = await host.waitFor(
    (lines) => lines.some((l) => / Hosty: half typed$/.test(l)) && lastLine(lines) === '> ',
    "the room's copy above the prompt",
  );
  assert.equal(count(after, 'half typed'), 1, `shown once:\n${after.join('\n')}`);

  // A line longer than the terminal is wide is erased whole too.
  const long = `a long line ${'x'.repeat(150)} end`;
  host.type(long + KEY.enter);
  const wrapped = await host.waitFor((lines) => lines.some((l) => l.endsWith(`Hosty: ${long}`)), 'the long line');
  assert.equal(count(wrapped, 'a long line'), 1, wrapped.join('\n'));

  host.type(`/help${KEY.enter}`);
  const help = await host.waitForText('/send PATH');
  for (const command of ['/who', '/accept ID', '/decline ID', '/cancel ID', '/files', '/quit']) {
    assert.ok(
      help.some((l) => l.trimStart().startsWith(command)),
      `/help lists ${command}`,
    );
  }
  assert.equal(lastLine(help), '> ');
});

test('/quit while hosting asks first, anything else keeps the room, a second /quit leaves with exit 0', async () => {
  const { host, invite } = await hostAtTerminal();
  const guest = await jsonCli(['join', invite, '--json', '--name', 'Guesty']);
  await guest.waitFor((e) => e.event === 'ready');
  host.type(`/quit${KEY.enter}`);
  await host.waitForText('You are hosting: leaving closes the room for the other person here. Type /quit again');
  host.type(`still here${KEY.enter}`);
  await guest.waitFor((e) => e.event === 'chat' && e.text === 'still here');
  host.type(`/quit${KEY.enter}`);
  await host.waitFor((lines) => count(lines, 'You are hosting') === 2, 'the question again: a message in between answered it');
  host.type(`/quit${KEY.enter}`);
  assert.deepEqual(await host.exited, { code: 0, signal: null });
  const closed = await guest.waitFor((e) => e.event === 'status' && e.state === 'closed');
  assert.equal((closed.error as { code: string }).code, 'room-closed');
});

test('Ctrl-C leaves at once while hosting, with a half-typed line; a guest with nothing running leaves on the first /quit', async () => {
  const { host, invite } = await hostAtTerminal();
  const guest = await terminal(['join', invite, '--name', 'Guesty']);
  await guest.waitForText('/help lists the commands');
  guest.type(`/quit${KEY.enter}`);
  assert.deepEqual(await guest.exited, { code: 0, signal: null });
  await host.waitForText('Guesty left');

  host.type(`not sent${KEY.ctrlC}`);
  assert.deepEqual(await host.exited, { code: 0, signal: null });
});

test('Ctrl-D at the prompt leaves the room', async () => {
  const { host, invite } = await hostAtTerminal();
  const guest = await terminal(['join', invite, '--name', 'Guesty']);
  await guest.waitForText('/help lists the commands');
  guest.type(KEY.ctrlD);
  assert.deepEqual(await guest.exited, { code: 0, signal: null });
  await host.waitForText('Guesty left');
});

test('joining shows one progress line, counting seconds, until it gives up with a sentence', async () => {
  // Accepts TCP and never answers TLS: the join waits out its 10 s.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const identity = await createHostIdentity();
    const port = (silent.address() as AddressInfo).port;
    const invite = formatInvite({ host: '127.0.0.1', port, fingerprint: identity.fingerprint, secret: createRoomSecret() });
    const guest = await terminal(['join', invite, '--name', 'Early']);
    await guest.waitForText('Connecting to the host (1 address)…', 15_000);
    const counting = await guest.waitFor((lines) => lines.some((l) => /…\s+[2-9] s$/.test(l)), 'the seconds counting', 15_000);
    assert.equal(count(counting, 'Connecting to the host'), 1, `one line, updated:\n${counting.join('\n')}`);
    assert.deepEqual(await guest.exited, { code: 1, signal: null });
    const end = await guest.lines();
    assert.equal(count(end, 'Connecting to the host'), 0, `the progress line gives way to the sentence:\n${end.join('\n')}`);
    assert.ok(
      end.some((l) => /did not answer|could not|unreachable|No answer/i.test(l)),
      end.join('\n'),
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('the terminal closing at the prompt (hang-up) leaves cleanly: exit 0, no crash', async () => {
  // A shell that ignores SIGHUP runs the host and writes down its exit status; killing `script`
  // hangs the terminal up under it, as closing a terminal window does (the prompt's raw mode then
  // cannot be restored: EIO, which must not crash the CLI).
  const dir = await mkdtemp(join(tmpdir(), 'porthole-hup-'));
  const status = join(dir, 'status');
  const errors = join(dir, 'stderr');
  const bin = new URL('../../../bin/porthole.js', import.meta.url).pathname;
  const host = `'${process.execPath}' '${bin}' --config-dir '${join(dir, 'config')}' host --no-upnp --name Hosty`;
  const script = spawn(
    'script',
    ['-qfec', `sh -c 'trap "" HUP; ${host.replaceAll("'", `'\\''`)} 2>${errors}; echo $? > ${status}'`, '/dev/null'],
    {
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  let screen = '';
  script.stdout.on('data', (chunk) => (screen += chunk));
  for (const deadline = Date.now() + 15_000; !screen.includes('/help lists') && Date.now() < deadline; )
    await new Promise((r) => setTimeout(r, 50));
  assert.match(screen, /\/help lists the commands/);
  script.stdin.write('half typed');
  await new Promise((r) => setTimeout(r, 200));
  script.kill('SIGKILL');
  let exitStatus = '';
  for (
    const deadline = Date.now() + 15_000;
    !exitStatus.endsWith('\n') && Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 50))
  ) {
    exitStatus = await readFile(status, 'utf8').catch(() => '');
  }
  const stderr = await readFile(errors, 'utf8').catch(() => '');
  assert.equal(exitStatus, '0\n', `stderr: ${stderr}`);
  assert.doesNotMatch(stderr, /Something went wrong|EIO|Error/, stderr);
});
