// One room being kept in the recent rooms while this machine is in it: remembered on entry, its
// lines (the room's replay and what comes after) added to what an earlier visit kept, written a
// short while after they come (a burst of lines is one write), and written at once when it ends.
// What the CLI uses; the window's RecentRoomsService does the same around its ActiveRoom.
import type { RecentRooms, RememberedRoom } from './recent-rooms';

/** How long new lines wait before they are written. */
const SAVE_DELAY_MS = 300;
/** Lines held in memory at most (the store keeps fewer anyway). */
const HELD_LINES = 2000;

type RoomLine = { seq: number; ts: number; type: string };
const sameLine = (a: RoomLine, b: RoomLine) => a.seq === b.seq && a.ts === b.ts && a.type === b.type;

export class RecentRoomRecording<E extends RoomLine> {
  /** The room's key in the store; '' when it could not be remembered (nothing is written then). */
  readonly key: Promise<string>;
  private events: E[] = [];
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private ended = false;

  /** Remembers `room` now; `seen` are lines the room already reported (a guest's replay). */
  constructor(
    private readonly store: RecentRooms<E>,
    room: RememberedRoom,
    seen: readonly E[] = [],
  ) {
    this.key = store.remember(room).catch(() => '');
    // What was said here on an earlier visit comes first; the room's replay is not kept twice.
    // Every write waits for this, so an early end() never writes the lines without the earlier ones.
    this.saving = this.key.then(async (key) => {
      if (!key) return;
      const earlier = await store.history(key).catch(() => [] as E[]);
      this.events = [...earlier, ...this.events.filter((e) => !earlier.some((old) => sameLine(old, e)))];
    });
    for (const event of seen) this.add(event);
  }

  /** A line of the room (said, joined, left): kept unless already kept. */
  add(event: E): void {
    if (this.ended || this.events.some((e) => sameLine(e, event))) return;
    this.events.push(event);
    this.schedule();
  }

  /** The host revoked the invite: the same recent room, with the new secret (`secret`: what is kept). */
  secretChanged(roomSecret: string, secret = roomSecret): Promise<void> {
    // In line with the writes of lines, so end() waits for it too.
    this.saving = this.saving.then(async () => {
      const key = await this.key;
      if (key) await this.store.changeSecret(key, roomSecret, secret).catch(() => {});
    });
    return this.saving;
  }

  /** The room ended (or this machine left it): the last lines are written before this resolves. */
  async end(): Promise<void> {
    if (this.ended) return this.saving;
    this.ended = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.save();
  }

  private schedule(): void {
    if (this.timer || this.ended) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  private save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const key = await this.key;
      if (this.events.length > HELD_LINES) this.events = this.events.slice(-HELD_LINES / 2);
      if (key) await this.store.saveHistory(key, this.events).catch(() => {});
    });
    return this.saving;
  }
}
