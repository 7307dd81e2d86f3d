// `porthole rooms` as people and programs read it: one line per room (number, whose, the name
// used, when, the last line said), what to type next, and one JSON object without any secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localWhen, recentRoomsJson, recentRoomsText, type ListedRoom } from '../../../src-main/cli/recent-rooms-output';

const ts = new Date(2026, 10, 2, 14, 5).getTime();
const ana = { id: 'a1', name: 'Ana', host: true };
const guestRoom: ListedRoom = {
  number: 1,
  key: 'a'.repeat(32),
  role: 'guest',
  label: 'Ana',
  name: 'Bo',
  lastUsed: ts,
  canRejoin: true,
  lastLine: { type: 'chat', seq: 4, ts, from: ana, id: 'x', text: `see you\u001b[2J tomorrow\nsecond line ${'x'.repeat(80)}` },
};
const hostRoom: ListedRoom = {
  number: 2,
  key: 'b'.repeat(32),
  role: 'host',
  label: 'Bo',
  name: 'Bo',
  lastUsed: ts,
  port: 41234,
  canRejoin: false,
  lastLine: undefined,
};

test('the local date and time, the same on every system', () => {
  assert.equal(localWhen(ts), '2026-11-02 14:05');
});

test("a line per room: whose, the name used, when, the last line's first line made safe; then what to type", () => {
  const lines = recentRoomsText([guestRoom, hostRoom]);
  assert.deepEqual(lines.slice(0, 2), [
    "  1. Ana's room, you as Bo · 2026-11-02 14:05 · Ana: see you\\u001b[2J tomorrow",
    '  2. your room (port 41234), you as Bo · 2026-11-02 14:05 · nothing said yet · its invite is kept for the window only',
  ]);
  assert.match(lines[2]!, /^porthole join --recent N rejoins one/);
  assert.deepEqual(recentRoomsText([]), ['No recent rooms yet: a room you join or host is kept here.']);
});

test('a long last line is cut with an ellipsis', () => {
  const long = { ...guestRoom, lastLine: { ...guestRoom.lastLine!, text: 'y'.repeat(200) } };
  assert.match(recentRoomsText([long])[0]!, / · Ana: y{59}…$/);
});

test('--json: one object, the rooms newest first, the last line as ts, from and text', () => {
  assert.deepEqual(recentRoomsJson([guestRoom, hostRoom]), {
    event: 'recent-rooms',
    rooms: [
      {
        number: 1,
        key: guestRoom.key,
        role: 'guest',
        label: 'Ana',
        name: 'Bo',
        lastUsed: ts,
        canRejoin: true,
        lastLine: { ts, from: ana, text: guestRoom.lastLine!.text },
      },
      { number: 2, key: hostRoom.key, role: 'host', label: 'Bo', name: 'Bo', lastUsed: ts, port: 41234, canRejoin: false, lastLine: null },
    ],
  });
});
