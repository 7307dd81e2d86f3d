// `porthole host --max-people N` with real processes: a bad N is refused before anything starts,
// with the range; N people (the host included) get in and the next is refused with room-full; the
// Room size setting applies when the flag is absent, and the flag is not remembered over it.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortholeError } from '../../../src-main/wire/errors';
import { RoomClient } from '../../../src-main/session/room-client';
import { hostReady, runPlain, started } from './cli-helpers';

const guests: RoomClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(guests.splice(0).map((g) => g.close()));
  started.splice(0).forEach((p) => p.kill());
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function configDir(settings?: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-cli-size-'));
  dirs.push(dir);
  if (settings) await writeFile(join(dir, 'settings.json'), JSON.stringify(settings));
  return dir;
}

async function guest(invite: string, name: string): Promise<RoomClient> {
  const client = await RoomClient.join(invite, { name });
  guests.push(client);
  return client;
}

const roomFull = (err: unknown) => err instanceof PortholeError && err.code === 'room-full';

test('a --max-people that is not a room size is refused with the range, and no room opens', async () => {
  const dir = await configDir();
  for (const bad of ['1', '301', '2.5', 'ten']) {
    const { code, stdout, stderr } = await runPlain(['host', '--no-upnp', '--max-people', bad], dir);
    assert.equal(code, 1, bad);
    assert.match(stderr, /argument '.*' is invalid\. A room takes from 2 to 300 people, you included: use a whole number in that range\./);
    assert.equal(stdout, '');
  }
  await assert.rejects(readFile(join(dir, 'settings.json')), 'nothing was saved');
});

test('--max-people 3: the host and two guests, then room-full; the setting of the config folder is left as it was', async () => {
  const dir = await configDir({ upnp: false, maxPeople: 20 });
  const { invite } = await hostReady(['--name', 'Hosty', '--max-people', '3'], dir);
  await guest(invite, 'Alice');
  await guest(invite, 'Bob');
  await assert.rejects(guest(invite, 'Carol'), roomFull);
  assert.equal(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).maxPeople, 20);
});

test('without the flag, the Room size in settings.json applies', async () => {
  const dir = await configDir({ upnp: false, maxPeople: 2 });
  const { invite } = await hostReady(['--name', 'Hosty'], dir);
  await guest(invite, 'Alice');
  await assert.rejects(guest(invite, 'Bob'), roomFull);
});
