// The chat call: a message to the room the window is in.
import type { CallHandlers } from './desktop-platform';
import type { RoomSlot } from './room-slot';

export function chatCalls({ rooms }: { rooms: RoomSlot }) {
  return {
    'chat:send': async (text) => ({ id: rooms.inRoom().session.send(text) }),
  } satisfies Partial<CallHandlers>;
}
