// Keeping one room while in it (what the CLI uses): real files in a temp folder. Lines of an
// earlier visit come first and the room's replay is not kept twice, even when the room ends at
// once; a revoked invite keeps the same room with the new secret.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RecentRooms } from '../../../src-main/config/recent-rooms';
import { RecentRoomRecording } from '../../../src-main/config/recent-rooms-recording';
import { fileProtector } from '../../../src-main/config/recent-rooms-secret';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const eventSchema = z.strictObject({ type: z.literal('chat'), seq: z.number(), ts: z.number(), text: z.string() });
const line = (seq: number, ts = 1000 + seq) => ({ type: 'chat' as const, seq, ts, text: `line ${seq}` });
const SECRET = 'A'.repeat(43);
const room = {
  role: 'guest' as const,
  label: 'Ana',
  name: 'Bo',
  fingerprint: 'fp',
  secret: `porthole://127.0.0.1:4/fp/${SECRET}`,
  roomSecret: SECRET,
};

async function store() {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-recording-'));
  dirs.push(dir);
  return new RecentRooms(dir, eventSchema, () => fileProtector);
}

test('a second visit keeps the first visit’s lines first, the replay once, and new lines after, even when it ends at once', async () => {
  const rooms = await store();
  const first = new RecentRoomRecording(rooms, room, [line(1), line(2)]);
  first.add(line(3));
  await first.end();
  const key = await first.key;
  assert.deepEqual(
    (await rooms.history(key)).map((e) => e.seq),
    [1, 2, 3],
  );

  // The room replays 2 and 3, then 4 comes; ended before any delayed write.
  const second = new RecentRoomRecording(rooms, room, [line(2), line(3)]);
  second.add(line(4));
  second.add(line(4));
  await second.end();
  assert.equal(await second.key, key, 'the same room');
  assert.deepEqual(
    (await rooms.history(key)).map((e) => e.seq),
    [1, 2, 3, 4],
  );
  second.add(line(5));
  assert.deepEqual(
    (await rooms.history(key)).map((e) => e.seq),
    [1, 2, 3, 4],
    'nothing after the end',
  );
});

test('a revoked invite: the same room, opened with the new secret once end() resolves', async () => {
  const rooms = await store();
  const recording = new RecentRoomRecording(rooms, { ...room, role: 'host', secret: SECRET });
  const NEW = 'B'.repeat(43);
  void recording.secretChanged(NEW);
  await recording.end();
  const list = await rooms.list();
  assert.equal(list.length, 1);
  assert.equal((await rooms.open(await recording.key)).secret, NEW);
});
