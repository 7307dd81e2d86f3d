// The window's one room: busy while a room is there or on its way, leave() cancels the way,
// and only the slot's own room ending empties it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoomView } from '../../../src-preload/contract';
import type { ActiveRoom } from '../../../src-main/desktop/active-room';
import { RoomSlot } from '../../../src-main/desktop/room-slot';
import { PortholeError } from '../../../src-main/wire/errors';

/** A stand-in room: its view is a marker, closing is recorded. */
function fakeRoom(name: string) {
  const log: string[] = [];
  const view = { role: 'host', name } as unknown as RoomView;
  const room = {
    goLive: () => {
      log.push('live');
      return view;
    },
    view: () => view,
    close: async () => void log.push('closed'),
  } as unknown as ActiveRoom;
  return { room, view, log };
}

const code = (expected: string) => (err: unknown) => err instanceof PortholeError && err.code === expected;

function slot() {
  const hooks: string[] = [];
  const rooms = new RoomSlot({
    adopted: () => void hooks.push('adopted'),
    ended: () => void hooks.push('ended'),
    openFailed: (error) => void hooks.push(`open-failed ${error.code}`),
  });
  return { rooms, hooks };
}

test('with no room: not-connected, a null view, and leaving does nothing', async () => {
  const { rooms } = slot();
  assert.throws(() => rooms.inRoom(), code('not-connected'));
  assert.equal(rooms.view(), null);
  await rooms.leave();
});

test('a second host or join is refused while one is on its way, and leave() cancels it', async () => {
  const { rooms } = slot();
  let seen: AbortSignal | undefined;
  let unwound = false;
  const opening = rooms.opened(
    'joining',
    (signal) =>
      new Promise<string>((_, reject) => {
        seen = signal;
        // Closing what it had opened takes a moment; leave() waits for it.
        const unwind = () => {
          unwound = true;
          reject(signal.reason);
        };
        signal.addEventListener('abort', () => setTimeout(unwind, 20));
      }),
  );
  assert.throws(() => rooms.ensureIdle(), code('busy'));
  await assert.rejects(
    rooms.opened('hosting', async () => 'second'),
    code('busy'),
  );
  await rooms.leave();
  assert.equal(seen?.aborted, true);
  assert.equal(unwound, true, 'leave() answers once the way has given up');
  await assert.rejects(opening, code('cancelled'));
  rooms.ensureIdle(); // the way is clear again
});

test('an adopted room goes live after the hook, and only its own ending empties the slot', async () => {
  const { rooms, hooks } = slot();
  const first = fakeRoom('first');
  assert.equal(rooms.adopt(first.room), first.view);
  assert.deepEqual(hooks, ['adopted']);
  assert.deepEqual(first.log, ['live']);
  assert.equal(rooms.inRoom(), first.room);
  assert.throws(() => rooms.ensureIdle(), code('busy'));

  rooms.ended(fakeRoom('other').room);
  assert.equal(rooms.inRoom(), first.room, 'another room ending leaves this one');
  await rooms.leave();
  assert.deepEqual(first.log, ['live', 'closed']);
  rooms.ended(first.room);
  assert.deepEqual(hooks, ['adopted', 'ended', 'ended']);
  assert.equal(rooms.view(), null);
});

test('the way on its way is reported for a reload, and one that gives up without a room is told once', async () => {
  const { rooms, hooks } = slot();
  assert.equal(rooms.opening(), null);
  let release!: () => void;
  const hosting = rooms.opened('hosting', () => new Promise<void>((resolve) => (release = resolve)));
  assert.equal(rooms.opening(), 'hosting');
  release();
  await hosting;
  assert.equal(rooms.opening(), null);
  assert.deepEqual(hooks, [], 'a way that worked reports no failure');

  const failing = rooms.opened('joining', async () => {
    assert.equal(rooms.opening(), 'joining');
    throw new PortholeError('name-taken', 'Someone in the room already uses that name.');
  });
  await assert.rejects(failing, code('name-taken'));
  assert.equal(rooms.opening(), null);
  assert.deepEqual(hooks, ['open-failed name-taken']);

  // Refused as busy while a room is there: no way started, so nothing is reported.
  rooms.adopt(fakeRoom('in').room);
  await assert.rejects(
    rooms.opened('joining', async () => 'second'),
    code('busy'),
  );
  assert.deepEqual(hooks, ['open-failed name-taken', 'adopted']);
});
