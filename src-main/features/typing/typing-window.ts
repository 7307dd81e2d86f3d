import { z } from 'zod';
import type { Member } from '../../wire/protocol';
import type { TypingMember } from './typing-member';

/**
 * What the window does with "who is typing", by the names src-preload/contract.ts gives them:
 * one call (the person is typing, or stopped) and one pushed event (who else is). The desktop
 * wires every feature's window part the same way (src-main/desktop/feature-windows.ts): the
 * call's arguments checked with `args` before `run`, the event followed for as long as the room.
 */
export const TYPING_WINDOW = {
  calls: {
    'typing:set': {
      args: z.tuple([z.boolean()]),
      run: (typing: TypingMember, active: boolean): null => {
        typing.set(active);
        return null;
      },
    },
  },
  events: {
    'room:typing': (typing: TypingMember, push: (members: Member[]) => void): void => void typing.on('typing', push),
  },
};
