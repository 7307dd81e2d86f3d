// The chat calls: a message to the room the window is in, and whether the person is typing one.
import type { CallHandlers } from './desktop-platform';
import type { RoomSlot } from './room-slot';

export function chatCalls({ rooms }: { rooms: RoomSlot }) {
  return {
    'chat:send': async (text) => ({ id: rooms.inRoom().session.send(text) }),
    'typing:set': async (active) => {
      rooms.inRoom().session.sides.typing.set(active);
      return null;
    },
  } satisfies Partial<CallHandlers>;
}
