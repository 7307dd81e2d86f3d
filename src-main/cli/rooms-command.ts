// `porthole rooms`: the recent rooms of this machine (the window's too), what was said in one,
// and forgetting one. Rejoining is `porthole join --recent N` / `porthole host --recent N`.
import type { RoomEvent } from '../session/room-session';
import { cliRecentRooms } from './cli-recent-rooms';
import type { CliOutput } from './cli-output';
import { pickRecentRoom } from './recent-room-pick';
import { recentRoomsJson, recentRoomsText, roomWords, type ListedRoom } from './recent-rooms-output';

export interface RoomsCommandOptions {
  configDir: string;
  json: boolean;
  /** Writes to stdout. */
  out: (text: string) => void;
}

const lastChat = (events: readonly RoomEvent[]) => events.findLast((e) => e.type === 'chat');

/** `porthole rooms`: every recent room, newest first. */
export async function listRooms({ configDir, json, out }: RoomsCommandOptions): Promise<number> {
  const store = cliRecentRooms(configDir);
  const rooms: ListedRoom[] = [];
  for (const [i, room] of (await store.list()).entries()) {
    const history = await store.history(room.key).catch(() => []);
    const last = lastChat(history);
    rooms.push({ ...room, number: i + 1, lastLine: last?.type === 'chat' ? last : undefined });
  }
  if (json) out(`${JSON.stringify(recentRoomsJson(rooms))}\n`);
  else for (const line of recentRoomsText(rooms)) out(`${line}\n`);
  return 0;
}

/** `porthole rooms show N`: the lines kept of room N, oldest first, as the room showed them. */
export async function showRoom({ configDir, json, out }: RoomsCommandOptions, number: number, lines: CliOutput): Promise<number> {
  const store = cliRecentRooms(configDir);
  const room = await pickRecentRoom(store, number);
  const history = await store.history(room.key);
  if (json) out(`${JSON.stringify({ event: 'recent-room', number, ...room })}\n`);
  else out(`Room ${number}, ${roomWords(room)}: ${history.length === 0 ? 'nothing kept.' : 'what was said, oldest first.'}\n`);
  for (const event of history) lines.roomEvent(event, true);
  return 0;
}

/** `porthole rooms forget N`: room N, its kept invite and lines are deleted from this machine. */
export async function forgetRoom({ configDir, json, out }: RoomsCommandOptions, number: number): Promise<number> {
  const store = cliRecentRooms(configDir);
  const room = await pickRecentRoom(store, number);
  await store.forget(room.key);
  if (json) out(`${JSON.stringify({ event: 'forgotten', number, key: room.key })}\n`);
  else out(`Forgot room ${number}, ${roomWords(room)}: its invite and kept lines are gone from this machine.\n`);
  return 0;
}
