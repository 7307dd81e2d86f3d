import type { RoomEvent } from './protocol';

/** A room event before the host has numbered and timed it. */
export type Unstamped<E extends RoomEvent> = E extends unknown ? Omit<E, 'seq' | 'ts'> : never;

/** The host's numbered room events, keeping only the newest `size`. */
export class History {
  private readonly events: RoomEvent[] = [];
  private seq = 0;

  constructor(private readonly size: number) {}

  get lastSeq(): number {
    return this.seq;
  }

  /** Stamps an event with the next sequence number and the time, and keeps it. */
  append<E extends RoomEvent>(event: Unstamped<E>): E {
    this.seq += 1;
    const stamped = { ...event, seq: this.seq, ts: Date.now() } as unknown as E;
    this.events.push(stamped);
    if (this.events.length > this.size) this.events.shift();
    return stamped;
  }

  /** Events after `lastSeq`, and whether some of them were already dropped. */
  since(lastSeq: number): { events: RoomEvent[]; gap: boolean } {
    const events = this.events.filter((e) => e.seq > lastSeq);
    const oldest = this.events[0]?.seq ?? this.seq + 1;
    return { events, gap: lastSeq < oldest - 1 };
  }
}
