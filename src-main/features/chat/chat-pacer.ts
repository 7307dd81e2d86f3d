import type { Rate } from '../../wire/protocol';
import { RateLimiter } from '../../wire/rate-limiter';

/**
 * How far under the host's chat rate a guest stays (PROTOCOL.md §8): half its burst and 90 % of
 * its refill, so that frames bunched up by the network still fit the host's bucket.
 */
export function pacedRate(host: Rate): Rate {
  return { capacity: Math.max(1, Math.floor(host.capacity / 2)), refillPerSecond: host.refillPerSecond * 0.9 };
}

/**
 * Sends a guest's chat messages in order and no faster than the host takes them: a pasted block
 * of a hundred lines arrives whole instead of being cut off by the host's rate limit.
 */
export class ChatPacer<T> {
  private readonly queue: T[] = [];
  private readonly bucket: RateLimiter;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    host: Rate,
    private readonly transmit: (item: T) => void,
    now?: () => number,
  ) {
    const paced = pacedRate(host);
    // The hello already took one of the host's tokens.
    this.bucket = new RateLimiter(paced.capacity, paced.refillPerSecond, now, Math.min(paced.capacity, host.capacity - 1));
  }

  /** Sends now if the rate allows, else once it does, after everything pushed before. */
  push(item: T): void {
    this.queue.push(item);
    this.drain();
  }

  /** Messages pushed but not yet sent. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Forgets what is waiting (the connection is gone; the outbox keeps the messages). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  private drain(): void {
    if (this.timer) return;
    while (this.queue.length > 0 && this.bucket.take()) this.transmit(this.queue.shift()!);
    if (this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, this.bucket.msUntilToken());
  }
}
