// The one room the window can be in, and the host or join on its way to becoming it: a second
// one is refused while either is there, and leaving cancels one on its way.
import type { RoomView } from '../../src-preload/contract';
import { PortholeError } from '../room/errors';
import type { ActiveRoom } from './active-room';

export interface RoomSlotHooks {
  /** A room became the window's room; called before its events reach the window. */
  adopted(room: ActiveRoom): void;
  /** A room ended, whoever ended it. */
  ended(room: ActiveRoom): void;
}

export class RoomSlot {
  private room: ActiveRoom | undefined;
  /** A host or join in progress; a second one is refused, and leave() cancels it. */
  private opening: { cancel: () => void } | undefined;

  constructor(private readonly hooks: RoomSlotHooks) {}

  /** The room in progress; not-connected when there is none. */
  inRoom(): ActiveRoom {
    if (!this.room) throw new PortholeError('not-connected', 'You are not in a room. Host one or join one first.');
    return this.room;
  }

  /** The room in progress as the window draws it, or null on the start screen. */
  view(): RoomView | null {
    return this.room?.view() ?? null;
  }

  /** Refuses (busy) while in a room or on the way to one. */
  ensureIdle(): void {
    if (this.room || this.opening)
      throw new PortholeError('busy', 'You are already in a room. Leave it before hosting or joining another.');
  }

  /** Runs a host or join, refused while another room is there; leave() calls `cancel` meanwhile. */
  async opened<T>(cancel: () => void, open: () => Promise<T>): Promise<T> {
    this.ensureIdle();
    this.opening = { cancel };
    try {
      return await open();
    } finally {
      this.opening = undefined;
    }
  }

  /** Makes `active` the window's room and returns the view its pushed events continue from. */
  adopt(active: ActiveRoom): RoomView {
    this.room = active;
    this.hooks.adopted(active);
    return active.goLive();
  }

  /** For ActiveRoom's onEnded: the slot empties when its own room ends. */
  readonly ended = (ended: ActiveRoom): void => {
    if (this.room === ended) this.room = undefined;
    this.hooks.ended(ended);
  };

  /** Cancels a host or join on its way, then leaves or closes the room with close frames. */
  async leave(): Promise<void> {
    this.opening?.cancel();
    await this.room?.close();
  }
}
