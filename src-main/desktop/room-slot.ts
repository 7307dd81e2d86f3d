// The one room the window can be in, and the host or join on its way to becoming it: a second
// one is refused while either is there, and leaving cancels one on its way.
import type { RoomOpening, RoomView } from '../../src-preload/contract';
import { PortholeError, toAppError, type AppError } from '../wire/errors';
import type { ActiveRoom } from './active-room';

export interface RoomSlotHooks {
  /** A room became the window's room; called before its events reach the window. */
  adopted(room: ActiveRoom): void;
  /** A room ended, whoever ended it. */
  ended(room: ActiveRoom): void;
  /** A host or join gave up (failed, refused or cancelled) with no room: for a window reloaded meanwhile. */
  openFailed?(error: AppError): void;
}

/** A host or join in progress: leave() aborts `controller` and waits for `settled`. */
interface Opening {
  way: RoomOpening;
  controller: AbortController;
  /** Resolves (never rejects) once the way has finished, opened or given up. */
  settled: Promise<void>;
}

export class RoomSlot {
  private room: ActiveRoom | undefined;
  /** A host or join in progress; a second one is refused, and leave() cancels it. */
  private onItsWay: Opening | undefined;
  /** Set by shutDown(): the app is quitting, so no new room is started. */
  private quitting = false;

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

  /** The host or join on its way, for a window that reloads meanwhile; null when there is none. */
  opening(): RoomOpening | null {
    return this.onItsWay?.way ?? null;
  }

  /** Refuses (busy) while in a room or on the way to one. */
  ensureIdle(): void {
    if (this.quitting) throw new PortholeError('cancelled', 'Porthole is quitting, so no room is started.');
    if (this.room || this.onItsWay)
      throw new PortholeError('busy', 'You are already in a room. Leave it before hosting or joining another.');
  }

  /**
   * Runs a host or join (`way`, which a reloaded window is told), refused while another room is
   * there. The slot owns its AbortController: `open` gets the signal, which leave() aborts; `open`
   * must then close what it opened, adopt nothing, and reject. The slot is free again as soon as
   * `open` settles, whichever way; one that gave up without a room is reported to openFailed.
   */
  async opened<T>(way: RoomOpening, open: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.ensureIdle();
    const controller = new AbortController();
    let settle!: () => void;
    const opening: Opening = { way, controller, settled: new Promise<void>((resolve) => (settle = resolve)) };
    this.onItsWay = opening;
    try {
      return await open(controller.signal);
    } catch (err) {
      this.onItsWay = undefined; // a snapshot taken when the window hears of it is idle again
      if (!this.room) this.hooks.openFailed?.(toAppError(err));
      throw err;
    } finally {
      this.onItsWay = undefined;
      settle();
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

  /**
   * Cancels a host or join on its way and waits until it has closed what it had opened (so a new
   * one is not refused as busy), then leaves or closes the room with close frames.
   */
  async leave(): Promise<void> {
    const opening = this.onItsWay;
    if (opening) {
      opening.controller.abort(new PortholeError('cancelled', 'Cancelled before the room opened.'));
      await opening.settled;
    }
    await this.room?.close();
  }

  /** For quitting: cancels the way into a room and leaves the room, and refuses any new one. */
  shutDown(): Promise<void> {
    this.quitting = true;
    return this.leave();
  }
}
