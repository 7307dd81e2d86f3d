import type { RoomEvent } from '../wire/protocol';

/** A room event before the host has numbered and timed it. */
export type Unstamped<E extends RoomEvent> = E extends unknown ? Omit<E, 'seq' | 'ts'> : never;

/**
 * The host's numbered room events, keeping only the newest `size` and at most `maxBytes` of
 * them as JSON: whatever was said, the history a newcomer is sent stays readable.
 */
export class History {
  private readonly events: RoomEvent[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;
  private seq = 0;

  constructor(
    private readonly size: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  /** Bytes the kept events take as JSON. */
  get keptBytes(): number {
    return this.bytes;
  }

  /** Stamps an event with the next sequence number and the time, and keeps it. */
  append<E extends RoomEvent>(event: Unstamped<E>): E {
    this.seq += 1;
    const stamped = { ...event, seq: this.seq, ts: Date.now() } as unknown as E;
    const bytes = Buffer.byteLength(JSON.stringify(stamped));
    this.events.push(stamped);
    this.sizes.push(bytes);
    this.bytes += bytes;
    while (this.events.length > this.size || (this.bytes > this.maxBytes && this.events.length > 1)) {
      this.events.shift();
      this.bytes -= this.sizes.shift()!;
    }
    return stamped;
  }

  /** Events after `lastSeq`, and whether some of them were already dropped. */
  since(lastSeq: number): { events: RoomEvent[]; gap: boolean } {
    const events = this.events.filter((e) => e.seq > lastSeq);
    const oldest = this.events[0]?.seq ?? this.seq + 1;
    return { events, gap: lastSeq < oldest - 1 };
  }
}
