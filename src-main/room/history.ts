import type { NumberedEvent } from '../wire/protocol';
import type { Unstamped } from './feature';

/**
 * The host's numbered room events, keeping only the newest `size` and at most `maxBytes` of
 * them as JSON: whatever was said, the history a newcomer is sent stays readable.
 */
export class History {
  private readonly events: NumberedEvent[] = [];
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
  append<E extends NumberedEvent>(event: Unstamped<E>): E {
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
  since(lastSeq: number): { events: NumberedEvent[]; gap: boolean } {
    const events = this.events.filter((e) => e.seq > lastSeq);
    const oldest = this.events[0]?.seq ?? this.seq + 1;
    return { events, gap: lastSeq < oldest - 1 };
  }
}
