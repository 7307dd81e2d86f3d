// The CLI's --verbose: log lines on stderr, stdout still pure --json lines; without it, stderr
// gets nothing new.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInvite } from '../../src-main/link/invite';
import { CliProcess } from '../fixtures/cli-process';
import { loopbackInvite } from '../fixtures/loopback-invite';

const started: CliProcess[] = [];
afterEach(() => started.splice(0).forEach((p) => p.kill()));

async function cli(args: string[]): Promise<CliProcess> {
  const p = await CliProcess.start(args);
  started.push(p);
  return p;
}

/** Every stderr line parsed as a log line; fails on anything else. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.equal(typeof parsed.component, 'string', `a log line: ${line}`);
      assert.equal(typeof parsed.level, 'string', `a log line: ${line}`);
      return parsed;
    });
}

test('--verbose logs to stderr (JSON lines), --json stdout stays pure; without it stderr stays empty', async () => {
  const host = await cli(['host', '--json', '--no-upnp', '--verbose', '--name', 'Hosty']);
  const ready = await host.waitFor((e) => e.event === 'ready');
  const invite = ready.invite as string;
  const guest = await cli(['join', loopbackInvite(invite), '--json', '--name', 'Guesty']);
  await guest.waitFor((e) => e.event === 'ready');
  guest.type('a line that stays out of the logs');
  await host.waitFor((e) => e.event === 'chat');
  guest.type('/quit');
  assert.deepEqual(await guest.exited, { code: 0, signal: null });
  await host.waitFor((e) => e.event === 'member-left');
  host.signal('SIGTERM');
  assert.deepEqual(await host.exited, { code: 0, signal: null });

  // stdout: only events (CliProcess parses every line as JSON, so a stray log line would have failed).
  assert.ok(host.events.length > 0);
  assert.ok(host.events.every((e) => typeof e.event === 'string' && !('component' in e)));

  const lines = logLines(host.stderr);
  const said = (component: string, msg: string) => lines.some((line) => line.component === component && line.msg === msg);
  assert.ok(said('cli', 'started'), 'the command starting');
  assert.ok(said('room', 'room open'));
  assert.ok(said('room', 'a member joined'));
  assert.ok(said('room', 'room closed'));
  assert.ok(!host.stderr.includes(parseInvite(invite).secret), 'never the room secret');
  assert.ok(!host.stderr.includes('porthole://'), 'never the invite');
  assert.ok(!host.stderr.includes('a line that stays out'), 'never chat text');

  assert.equal(guest.stderr, '', 'without --verbose, nothing on stderr');
});
