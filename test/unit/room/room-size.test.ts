// The room size a person may choose: its range and default, where it is kept (settings.json), and
// why the range stops where it does (the welcome's member list must fit one text frame).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingsSchema } from '../../../src-main/config/settings';
import { ROOM_SIZE, checkedRoomSize, roomSizeProblem } from '../../../src-main/room/room-size';
import { welcomeFrames } from '../../../src-main/room/welcome-frames';
import { LIMITS, PROTOCOL, type Member } from '../../../src-main/wire/protocol';
import { PortholeError } from '../../../src-main/wire/errors';

test('a room size is a whole number from 2 to 300, 50 by default', () => {
  assert.deepEqual(ROOM_SIZE, { default: 50, min: 2, max: 300 });
  assert.equal(LIMITS.maxMembers, ROOM_SIZE.default);
  for (const good of [2, 50, 300]) assert.equal(roomSizeProblem(good), undefined, `${good}`);
  for (const bad of [1, 0, -5, 301, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.match(roomSizeProblem(bad) ?? '', /^A room takes from 2 to 300 people, you included/, `${bad}`);
  }
  assert.equal(checkedRoomSize(120), 120);
  assert.throws(
    () => checkedRoomSize(301),
    (err: unknown) => err instanceof PortholeError && err.code === 'invalid-request',
  );
});

test('settings.json keeps a chosen room size; a missing or damaged one reads as unset (the default applies)', () => {
  assert.equal(settingsSchema.parse({ maxPeople: 120 }).maxPeople, 120);
  assert.equal(settingsSchema.parse({}).maxPeople, undefined);
  for (const damaged of [1, 301, 2.5, '100', null]) {
    const parsed = settingsSchema.parse({ maxPeople: damaged, upnp: false });
    assert.equal(parsed.maxPeople, undefined, `${JSON.stringify(damaged)}`);
    assert.equal(parsed.upnp, false, 'and the other settings stay');
  }
});

test('a welcome to a room of the largest size, every name 32 four-byte characters, fits one text frame', () => {
  // Ids as the host makes them (6 random bytes, base64url); names as long as the name rule allows, in bytes.
  const name = '𝕏'.repeat(LIMITS.nameMaxChars);
  const members: Member[] = Array.from({ length: ROOM_SIZE.max }, (_, i) => ({
    id: `id${String(i).padStart(6, '0')}`,
    name,
    host: i === 0,
  }));
  const { welcome } = welcomeFrames({
    type: 'welcome',
    protocol: PROTOCOL,
    room: 'r'.repeat(43),
    you: members[1]!,
    resumeToken: 't'.repeat(43),
    members,
    history: [],
    historyGap: false,
    lastSeq: Number.MAX_SAFE_INTEGER,
    heartbeat: { intervalMs: 600_000, timeoutMs: 600_000 },
    limits: { nameMaxChars: LIMITS.nameMaxChars, textMaxChars: LIMITS.textMaxChars, maxFrameBytes: LIMITS.maxFrameBytes },
    features: ['chat/1', 'files/1', 'files/2', 'typing/1'],
    rate: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
  });
  const bytes = Buffer.byteLength(JSON.stringify(welcome));
  assert.ok(bytes < LIMITS.maxFrameBytes, `${bytes} bytes`);
  // …with a margin, not far below what fits: a third more people would not.
  const more = Math.ceil(ROOM_SIZE.max * 1.33);
  const bigger = { ...welcome, members: Array.from({ length: more }, () => members[1]!) };
  assert.ok(Buffer.byteLength(JSON.stringify(bigger)) > LIMITS.maxFrameBytes, 'the top of the range is near where the frame ends');
});
