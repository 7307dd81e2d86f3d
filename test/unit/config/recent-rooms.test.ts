// Recent rooms on disk: real files in a temp folder. Bounded (rooms, lines, bytes), 0600, the
// secret never in plain text when a keychain protects it, damaged files survived.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RecentRooms, bounded } from '../../../src-main/config/recent-rooms';
import { fileProtector, osProtector, type OsSecretStorage } from '../../../src-main/config/recent-rooms-secret';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-recent-'));
  dirs.push(dir);
  return dir;
}

const eventSchema = z.strictObject({ type: z.literal('chat'), seq: z.number(), ts: z.number(), text: z.string() });
type Line = z.infer<typeof eventSchema>;
const line = (seq: number, text = `line ${seq}`): Line => ({ type: 'chat', seq, ts: 1_700_000_000_000 + seq, text });

/** A keychain stand-in with real encryption (AES-256-GCM, a key only this process knows). */
function keychain(available = true): OsSecretStorage {
  const key = randomBytes(32);
  return {
    isAvailable: () => available,
    encrypt(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const SECRET = 'A'.repeat(20) + 'b'.repeat(23);
const INVITE = `porthole://127.0.0.1:41234/fingerprint/${SECRET}`;
const guestRoom = { role: 'guest' as const, label: 'Ana', name: 'Bo', fingerprint: 'fp1', secret: INVITE, roomSecret: SECRET };

test('a guest room is kept with its invite encrypted, listed without it, and opened again', async () => {
  const dir = await tempDir();
  const storage = keychain();
  const store = new RecentRooms(dir, eventSchema, () => osProtector(storage));
  const key = await store.remember(guestRoom, 1000);
  const list = await store.list();
  assert.deepEqual(list, [{ key, role: 'guest', label: 'Ana', name: 'Bo', lastUsed: 1000, canRejoin: true }]);
  assert.equal((await store.open(key)).secret, INVITE);

  const file = await readFile(join(dir, 'recent-rooms.json'), 'utf8');
  assert.ok(!file.includes(SECRET), 'no plain secret in the file');
  assert.equal((await stat(join(dir, 'recent-rooms.json'))).mode & 0o777, 0o600);

  // The same room again is the same entry; another keychain cannot read it back.
  assert.equal(await store.remember(guestRoom, 2000), key);
  const stranger = new RecentRooms(dir, eventSchema, () => osProtector(keychain()));
  await assert.rejects(stranger.open(key), { code: 'not-found' });
  const noKeychain = new RecentRooms(dir, eventSchema, () => osProtector(keychain(false)));
  assert.equal((await noKeychain.list())[0]?.canRejoin, false);
});

test('without a keychain no invite is kept; with the CLI’s file protector it is, in a 0600 file', async () => {
  const dir = await tempDir();
  const none = new RecentRooms(dir, eventSchema, () => undefined);
  const key = await none.remember(guestRoom);
  assert.equal((await none.list())[0]?.canRejoin, false);
  await assert.rejects(none.open(key), /not kept/);
  assert.ok(!(await readFile(join(dir, 'recent-rooms.json'), 'utf8')).includes(SECRET));

  const cli = new RecentRooms(dir, eventSchema, () => fileProtector);
  const kept = await cli.remember(guestRoom);
  assert.equal((await cli.open(kept)).secret, INVITE);
  assert.equal((await stat(join(dir, 'recent-rooms.json'))).mode & 0o777, 0o600);
});

test('history: the newest 500 lines, at most 1 MB, 0600; forgotten with its room', async () => {
  const dir = await tempDir();
  const store = new RecentRooms(dir, eventSchema, () => fileProtector);
  const key = await store.remember(guestRoom);
  await store.saveHistory(
    key,
    Array.from({ length: 700 }, (_, i) => line(i + 1)),
  );
  const kept = await store.history(key);
  assert.equal(kept.length, 500);
  assert.equal(kept[0]?.seq, 201);
  const path = join(dir, 'recent-rooms', `${key}.json`);
  assert.equal((await stat(path)).mode & 0o777, 0o600);

  await store.saveHistory(
    key,
    Array.from({ length: 400 }, (_, i) => line(i + 1, 'x'.repeat(4000))),
  );
  assert.ok((await stat(path)).size <= 1024 * 1024, 'a file of at most 1 MB');
  assert.ok((await store.history(key)).length < 400);

  await store.forget(key);
  assert.deepEqual(await store.list(), []);
  await assert.rejects(stat(path), { code: 'ENOENT' });
});

test('at most 20 rooms: the least recently used goes, with its lines', async () => {
  const dir = await tempDir();
  const store = new RecentRooms(dir, eventSchema, () => fileProtector);
  const first = await store.remember({ ...guestRoom, roomSecret: 'secret-0' }, 1);
  await store.saveHistory(first, [line(1)]);
  for (let i = 1; i <= 20; i++) await store.remember({ ...guestRoom, roomSecret: `secret-${i}` }, 1 + i);
  const list = await store.list();
  assert.equal(list.length, 20);
  assert.ok(!list.some((r) => r.key === first));
  assert.ok(!(await readdir(join(dir, 'recent-rooms'))).includes(`${first}.json`));
});

test('a damaged index or history gives what can be read, and the host’s revoked secret keeps the same room', async () => {
  const dir = await tempDir();
  const store = new RecentRooms(dir, eventSchema, () => fileProtector);
  const key = await store.remember({
    role: 'host',
    label: 'Bo',
    name: 'Bo',
    fingerprint: 'fp',
    secret: SECRET,
    roomSecret: SECRET,
    port: 41234,
  });
  await store.saveHistory(key, [line(1), line(2)]);
  const historyPath = join(dir, 'recent-rooms', `${key}.json`);
  const text = JSON.parse(await readFile(historyPath, 'utf8')) as { events: unknown[] };
  text.events.push({ type: 'chat', seq: 'three' }, null);
  await writeFile(historyPath, JSON.stringify(text));
  assert.deepEqual(
    (await store.history(key)).map((e) => e.seq),
    [1, 2],
  );

  const next = 'C'.repeat(43);
  await store.changeSecret(key, next);
  assert.equal((await store.open(key)).secret, next);
  assert.equal(
    await store.remember({ role: 'host', label: 'Bo', name: 'Bo', fingerprint: 'fp', secret: next, roomSecret: next, port: 41234 }),
    key,
  );

  await writeFile(join(dir, 'recent-rooms.json'), '{ not json');
  assert.deepEqual(await store.list(), []);
  await assert.rejects(store.history('../../etc'), /Invalid/);
});

test('bounded() keeps the newest lines within both limits', () => {
  const lines = Array.from({ length: 10 }, (_, i) => line(i));
  assert.deepEqual(
    bounded(lines, { lines: 3, bytes: 1e6 }).map((l) => l.seq),
    [7, 8, 9],
  );
  assert.ok(bounded(lines, { lines: 10, bytes: 300 }).length < 10);
});
