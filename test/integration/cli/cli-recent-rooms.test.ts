// Recent rooms in the CLI, with real `porthole` processes: join and host keep the room they were
// in (the invite or secret only in the 0600 index file), `porthole rooms` lists them, `join
// --recent N` rejoins, `host --recent N` reopens, `rooms forget N` forgets; a room whose invite
// is refused says so. Rooms the window keeps in the keychain are listed, not rejoined.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseInvite } from '../../../src-main/link/invite';
import { RecentRooms } from '../../../src-main/config/recent-rooms';
import { osProtector } from '../../../src-main/config/recent-rooms-secret';
import { cli, filesIn, hostReady, runJson, runPlain, started } from './cli-helpers';

afterEach(() => started.splice(0).forEach((p) => p.kill()));

const nameOf = (e: Record<string, unknown>) => (e.me as { name: string }).name;
type Listed = {
  number: number;
  key: string;
  role: string;
  label: string;
  name: string;
  port?: number;
  canRejoin: boolean;
  lastLine: { text: string; from: { name: string } } | null;
};

async function listed(configDir: string): Promise<Listed[]> {
  const { code, lines } = await runJson(['rooms'], configDir);
  assert.equal(code, 0);
  assert.equal(lines.length, 1, 'one JSON object');
  assert.equal(lines[0]!.event, 'recent-rooms');
  return lines[0]!.rooms as Listed[];
}

/** The secret (and so the invite) is in the `allowed` files of the folder and nowhere else; those and the recent rooms' files are 0600. */
async function secretOnlyIn(configDir: string, secret: string, allowed: string[]): Promise<void> {
  const files = await filesIn(configDir);
  for (const file of files) {
    if (allowed.includes(file.path) || file.path.startsWith('recent-rooms'))
      assert.equal(file.mode, 0o600, `${file.path} is 0${file.mode.toString(8)}`);
    if (!allowed.includes(file.path)) assert.ok(!file.text.includes(secret), `the secret is in ${file.path}`);
  }
  for (const path of allowed) assert.ok(files.find((f) => f.path === path)?.text.includes(secret), `the secret is kept in ${path}`);
}

test('join and host keep the room: listed with who, the name used and the last line; the invite only in the 0600 index', async () => {
  const { host, ready, invite } = await hostReady(['--name', 'Hosty']);
  const guest = await cli(['join', invite, '--json', '--name', 'Remy']);
  await guest.waitFor((e) => e.event === 'ready');
  host.type('hello Remy');
  await guest.waitFor((e) => e.event === 'chat' && e.text === 'hello Remy');
  guest.type('see you tomorrow');
  await host.waitFor((e) => e.event === 'chat' && e.text === 'see you tomorrow');
  guest.type('/quit');
  assert.deepEqual(await guest.exited, { code: 0, signal: null });
  host.signal('SIGTERM');
  assert.deepEqual(await host.exited, { code: 0, signal: null });

  const [joined, ...more] = await listed(guest.configDir);
  assert.equal(more.length, 0);
  assert.deepEqual(
    { number: joined!.number, role: joined!.role, label: joined!.label, name: joined!.name, canRejoin: joined!.canRejoin },
    { number: 1, role: 'guest', label: 'Hosty', name: 'Remy', canRejoin: true },
  );
  assert.equal(joined!.lastLine?.text, 'see you tomorrow');
  assert.equal(joined!.lastLine?.from.name, 'Remy');
  const { secret } = parseInvite(invite);
  assert.ok(!JSON.stringify(joined).includes(secret), 'the list never shows the invite');

  const hosted = (await listed(host.configDir))[0]!;
  assert.deepEqual(
    { role: hosted.role, label: hosted.label, name: hosted.name, port: hosted.port },
    { role: 'host', label: 'Hosty', name: 'Hosty', port: ready.port },
  );

  // For people: one line per room, and how to use them.
  const human = await runPlain(['rooms'], guest.configDir);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /^ {2}1\. Hosty's room, you as Remy · \d{4}-\d\d-\d\d \d\d:\d\d · Remy: see you tomorrow\n/);
  assert.match(human.stdout, /porthole join --recent N rejoins one/);

  // What was said, as the room showed it.
  const shown = await runJson(['rooms', 'show', '1'], guest.configDir);
  assert.deepEqual(
    shown.lines.filter((e) => e.event === 'chat').map((e) => [e.text, e.history]),
    [
      ['hello Remy', true],
      ['see you tomorrow', true],
    ],
  );

  // The guest's invite and the host's secret: in the 0600 index file (and the host's own room secret file) only.
  assert.equal((await stat(join(guest.configDir, 'recent-rooms'))).mode & 0o777, 0o700);
  await secretOnlyIn(guest.configDir, secret, ['recent-rooms.json']);
  assert.ok((await readFile(join(guest.configDir, 'recent-rooms.json'), 'utf8')).includes(invite), 'the whole invite is kept to rejoin');
  await secretOnlyIn(host.configDir, secret, ['recent-rooms.json', 'room-secret.json']);
});

test('join --recent N rejoins with the kept invite under the name used there; lines of both visits are kept', async () => {
  const { host, invite } = await hostReady(['--name', 'Hosty']);
  const first = await cli(['join', invite, '--json', '--name', 'Remy']);
  await first.waitFor((e) => e.event === 'ready');
  first.type('first visit');
  await first.waitFor((e) => e.event === 'chat' && e.text === 'first visit');
  first.type('/quit');
  await first.exited;
  host.signal('SIGTERM');
  await host.exited;

  // The host comes back (same folder: same invite); the guest rejoins by number, with no invite typed.
  const { host: again } = await hostReady([], host.configDir);
  const back = await cli(['join', '--recent', '1', '--json'], first.configDir);
  assert.equal(nameOf(await back.waitFor((e) => e.event === 'ready')), 'Remy');
  back.type('second visit');
  await again.waitFor((e) => e.event === 'chat' && e.text === 'second visit');
  back.type('/quit');
  await back.exited;

  const rooms = await listed(first.configDir);
  assert.equal(rooms.length, 1, 'the same room, not a second one');
  const shown = await runJson(['rooms', 'show', '1'], first.configDir);
  assert.deepEqual(
    shown.lines.filter((e) => e.event === 'chat').map((e) => e.text),
    ['first visit', 'second visit'],
  );
});

test('join --recent N after /revoke: the host no longer takes the kept invite, and the CLI says so', async () => {
  const { host, invite } = await hostReady(['--name', 'Hosty']);
  const guest = await cli(['join', invite, '--json', '--name', 'Remy']);
  await guest.waitFor((e) => e.event === 'ready');
  guest.type('/quit');
  await guest.exited;
  host.type('/revoke');
  await host.waitFor((e) => e.event === 'invite-updated');

  const refused = await runJson(['join', '--recent', '1'], guest.configDir);
  assert.equal(refused.code, 1);
  const error = refused.lines.find((e) => e.event === 'error')!;
  assert.equal(error.code, 'wrong-secret');
  assert.match(String(error.message), /no longer accepts the invite kept for room 1 \(it was revoked/);
  assert.match(String(error.message), /porthole rooms forget 1/);
  const human = await runPlain(['join', '--recent', '1'], guest.configDir);
  assert.equal(human.code, 1);
  assert.match(human.stderr, /^The host no longer accepts the invite kept for room 1/m);
});

test('host --recent N reopens a room hosted before with its own invite, after --new-invite made another', async () => {
  const { host: first, invite: oldInvite } = await hostReady(['--name', 'Hosty']);
  first.signal('SIGTERM');
  await first.exited;
  const { host: renewed } = await hostReady(['--new-invite'], first.configDir);
  renewed.signal('SIGTERM');
  await renewed.exited;

  const rooms = await listed(first.configDir);
  assert.equal(rooms.length, 2, 'two rooms: a new secret is a new room');
  assert.deepEqual(
    rooms.map((r) => r.number),
    [1, 2],
  );
  const { host: reopened, ready } = await hostReady(['--recent', '2'], first.configDir);
  assert.equal(parseInvite(ready.invite as string).secret, parseInvite(oldInvite).secret, 'the invite sent then works again');
  const guest = await cli(['join', oldInvite, '--json', '--name', 'Remy']);
  await guest.waitFor((e) => e.event === 'ready');
  reopened.signal('SIGTERM');
  await reopened.exited;

  // Numbers name rooms of the other role too, with what to do instead.
  const wrongRole = await runJson(['host', '--recent', '1', '--no-upnp'], guest.configDir);
  assert.equal(wrongRole.code, 1);
  assert.match(String(wrongRole.lines[0]!.message), /^Room 1 is hosted by Hosty: `porthole join --recent 1` rejoins it\.$/);
  const none = await runJson(['join', '--recent', '9'], guest.configDir);
  assert.equal(none.lines[0]!.code, 'not-found');
  assert.match(String(none.lines[0]!.message), /no recent room 9: `porthole rooms` lists them, 1 to 1\./);
});

test('rooms forget N deletes the room, its lines and its invite from the folder', async () => {
  const { host, invite } = await hostReady(['--name', 'Hosty']);
  const guest = await cli(['join', invite, '--json', '--name', 'Remy']);
  await guest.waitFor((e) => e.event === 'ready');
  guest.type('something to forget');
  await guest.waitFor((e) => e.event === 'chat' && e.text === 'something to forget');
  guest.type('/quit');
  await guest.exited;
  host.signal('SIGTERM');
  await host.exited;

  const forgot = await runPlain(['rooms', 'forget', '1'], guest.configDir);
  assert.equal(forgot.code, 0);
  assert.match(forgot.stdout, /^Forgot room 1, Hosty's room: its invite and kept lines are gone from this machine\.\n$/);
  assert.deepEqual(await listed(guest.configDir), []);
  const left = await filesIn(guest.configDir);
  const { secret } = parseInvite(invite);
  assert.ok(!left.some((f) => f.text.includes(secret) || f.text.includes('something to forget')), JSON.stringify(left.map((f) => f.path)));
  assert.ok(!left.some((f) => f.path.startsWith('recent-rooms/')), 'no history file is left');
});

test('a room the window kept in the keychain is listed, and join --recent says to open it from the window', async () => {
  const configDir = await mkdtemp(join(tmpdir(), 'porthole-cli-'));
  // What the window writes: the invite encrypted by the system keychain (a stand-in with a key only this test knows).
  const keychain = {
    isAvailable: () => true,
    encrypt: (t: string) => Buffer.from(t).reverse(),
    decrypt: (b: Buffer) => Buffer.from(b).reverse().toString(),
  };
  const eventSchema = z.object({ seq: z.number(), ts: z.number(), type: z.string() });
  const windowStore = new RecentRooms(configDir, eventSchema, () => osProtector(keychain));
  const secret = 'S'.repeat(43);
  await windowStore.remember({
    role: 'guest',
    label: 'Ana',
    name: 'Bo',
    fingerprint: 'f'.repeat(43),
    secret: `porthole://127.0.0.1:4/${'f'.repeat(43)}/${secret}`,
    roomSecret: secret,
  });

  const [room] = await listed(configDir);
  assert.equal(room?.canRejoin, false);
  const human = await runPlain(['rooms'], configDir);
  assert.match(human.stdout, /Ana's room, you as Bo · .* · nothing said yet · its invite is kept for the window only\n/);
  const refused = await runPlain(['join', '--recent', '1'], configDir);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /^The invite of room 1 is not kept where the command line can read it .*Open it from the window, or ask for the invite again\.\n$/,
  );
});

test('join --recent N after the host removed you: the host says so, until it allows you again', async () => {
  const { host, invite } = await hostReady(['--name', 'Hosty']);
  const guest = await cli(['join', invite, '--json', '--name', 'Remy']);
  await guest.waitFor((e) => e.event === 'ready');
  host.type('/remove Remy enough for today');
  const closed = await guest.waitFor((e) => e.event === 'status' && e.state === 'closed');
  assert.equal((closed.error as { code: string }).code, 'removed');
  await guest.exited;
  assert.equal((await listed(guest.configDir))[0]?.label, 'Hosty', 'the room is kept all the same');

  const refused = await runPlain(['join', '--recent', '1'], guest.configDir);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^The host removed you from this room\. Ask the host to let you back in, or for a new invite\.\n$/);
  host.type('/allow Remy');
  const back = await cli(['join', '--recent', '1', '--json'], guest.configDir);
  assert.equal(nameOf(await back.waitFor((e) => e.event === 'ready')), 'Remy');
});
