// The CLI's recent rooms: the window's store in the same config folder (recent-rooms.json and
// recent-rooms/), with the invite (guest) or room secret (host) kept as is inside the 0600 index
// file (the file protector), since a terminal has no keychain to ask. Rooms the window kept in
// the system keychain are listed here but rejoined from the window.
import { z } from 'zod';
import { chatEventSchema } from '../features/chat/chat-messages';
import { joinedEventSchema, leftEventSchema } from '../wire/protocol';
import { parseInvite } from '../link/invite';
import { RecentRooms } from '../config/recent-rooms';
import { RecentRoomRecording } from '../config/recent-rooms-recording';
import { fileProtector } from '../config/recent-rooms-secret';
import type { RoomEvent, RoomSession } from '../session/room-session';

const roomEventSchema = z.union([chatEventSchema, joinedEventSchema, leftEventSchema]) as unknown as z.ZodType<RoomEvent>;

/** The recent rooms of the config folder, as the CLI reads and writes them. */
export function cliRecentRooms(configDir: string): RecentRooms<RoomEvent> {
  return new RecentRooms(configDir, roomEventSchema, () => fileProtector);
}

/**
 * Starts keeping the room `session` is in: remembered now under the host's name, with the lines
 * already `seen` (a guest's replay) and every later one. `invite` is the one used to get in
 * (guest) or the host's current one.
 */
export function recordRoom(
  configDir: string,
  session: RoomSession & NodeJS.EventEmitter,
  room: { role: 'host' | 'guest'; invite: string; port?: number | undefined },
  seen: readonly RoomEvent[] = [],
): RecentRoomRecording<RoomEvent> {
  const { fingerprint, secret } = parseInvite(room.invite);
  const host = session.members().find((m) => m.host);
  const recording = new RecentRoomRecording(
    cliRecentRooms(configDir),
    {
      role: room.role,
      label: host?.name ?? session.me.name,
      name: session.me.name,
      fingerprint,
      // A guest keeps the whole invite (its addresses too); a host only needs its secret back.
      secret: room.role === 'host' ? secret : room.invite,
      roomSecret: secret,
      port: room.port,
    },
    seen,
  );
  session.on('room-event', (event: RoomEvent) => recording.add(event));
  return recording;
}
