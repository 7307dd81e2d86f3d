// A recent room by the number `porthole rooms` shows (1 = the most recently used), and its kept
// invite or secret for `join --recent N` and `host --recent N`, with a sentence for each way it
// cannot be had.
import type { RecentRoomEntry, RecentRoomSummary } from '../config/recent-rooms';
import type { RecentRooms } from '../config/recent-rooms';
import { PortholeError } from '../wire/errors';
import type { RoomEvent } from '../session/room-session';
import { printable } from './printable';

/** The room numbered `number` in the list as `porthole rooms` shows it now. */
export async function pickRecentRoom(store: RecentRooms<RoomEvent>, number: number): Promise<RecentRoomSummary> {
  const rooms = await store.list();
  const room = rooms[number - 1];
  if (room) return room;
  throw new PortholeError(
    'not-found',
    rooms.length === 0
      ? 'There are no recent rooms on this machine yet: a room you join or host is kept here.'
      : `There is no recent room ${number}: \`porthole rooms\` lists them, 1 to ${rooms.length}.`,
  );
}

/** The room numbered `number`, checked to be of `role` and rejoinable here, with its secret. */
export async function openRecentRoom(
  store: RecentRooms<RoomEvent>,
  number: number,
  role: 'host' | 'guest',
): Promise<{ room: RecentRoomEntry; secret: string }> {
  const summary = await pickRecentRoom(store, number);
  if (summary.role !== role) {
    throw new PortholeError(
      'invalid-request',
      summary.role === 'host'
        ? `Room ${number} is one you hosted: \`porthole host --recent ${number}\` opens it again.`
        : `Room ${number} is hosted by ${printable(summary.label)}: \`porthole join --recent ${number}\` rejoins it.`,
    );
  }
  if (!summary.canRejoin) {
    throw new PortholeError(
      'not-found',
      `The invite of room ${number} is not kept where the command line can read it (the window keeps invites in the system keychain, or none without one). Open it from the window, or ask for the invite again.`,
    );
  }
  return store.open(summary.key);
}
