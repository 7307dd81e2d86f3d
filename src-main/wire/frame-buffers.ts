/**
 * Buffers for binary frames that cost no allocation and no copy per frame on the hot path.
 *
 * Two ideas, both measured on the transfer path (docs/ARCHITECTURE.md, "Moving bytes cheaply"):
 *
 * - **Headroom.** A frame made by allocFrame() has WS_HEADROOM spare bytes in front of it, so the
 *   link can write the WebSocket header there and hand the socket one buffer. Given a header and
 *   a payload apart, Node's TLS socket first copies both into a new buffer before encrypting.
 * - **Leases.** A sender reuses its frame buffers instead of allocating 256 KiB per frame (fresh
 *   allocations cost more CPU than the copy itself: page faults, and garbage collections forced
 *   by external memory). A buffer may only go back to its pool when nobody holds the frame any
 *   more: every place that keeps a frame past the call that gave it (an outbox, the hub's copy
 *   for late joiners) holds it and releases it when done. A frame without a lease (most are:
 *   anything the network delivered) makes hold and release do nothing.
 */

/** Bytes reserved in front of a frame: the longest WebSocket header (2 + 8 length + 4 mask). */
export const WS_HEADROOM = 14;

/** The backing stores allocFrame() made, whose first WS_HEADROOM bytes belong to no frame. */
const roomy = new WeakSet<ArrayBufferLike>();

interface Lease {
  holds: number;
  free(): void;
}
const leases = new WeakMap<Buffer, Lease>();

/** A new uninitialised frame of `length` bytes with headroom in front of it. */
export function allocFrame(length: number): Buffer {
  const store = new ArrayBuffer(WS_HEADROOM + length);
  roomy.add(store);
  return Buffer.from(store, WS_HEADROOM, length);
}

/** Whether the WS_HEADROOM bytes in front of `frame` are free to write a header into. */
export function hasHeadroom(frame: Buffer): boolean {
  return frame.byteOffset === WS_HEADROOM && roomy.has(frame.buffer);
}

/** `frame` is kept past this call (queued, or stored for later): it must not be reused until released. */
export function holdFrame(frame: Buffer): void {
  const lease = leases.get(frame);
  if (lease) lease.holds += 1;
}

/** One hold on `frame` ends; the last one gives its buffer back to the pool it came from. */
export function releaseFrame(frame: Buffer): void {
  const lease = leases.get(frame);
  if (!lease) return;
  lease.holds -= 1;
  if (lease.holds === 0) {
    leases.delete(frame);
    lease.free();
  }
}

/**
 * Reusable frame buffers of one size (with headroom). take() returns a frame held once by the
 * taker; it goes back to the pool when its last hold is released. A frame never released (its
 * connection went, say) is simply collected; the pool allocates another.
 */
export class FramePool {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    /** Largest frame length handed out. */
    readonly frameBytes: number,
    /** Buffers kept for reuse at most. */
    private readonly keep = 16,
  ) {}

  /** A frame of `length` ≤ frameBytes bytes, held once by the caller. */
  take(length: number): Buffer {
    if (length > this.frameBytes) throw new RangeError(`A pooled frame holds at most ${this.frameBytes} bytes.`);
    let store = this.free.pop();
    if (!store) {
      store = new ArrayBuffer(WS_HEADROOM + this.frameBytes);
      roomy.add(store);
    }
    const frame = Buffer.from(store, WS_HEADROOM, length);
    const back = store;
    leases.set(frame, {
      holds: 1,
      free: () => {
        if (this.free.length < this.keep) this.free.push(back);
      },
    });
    return frame;
  }

  /** Buffers waiting for reuse now. */
  get idle(): number {
    return this.free.length;
  }
}
