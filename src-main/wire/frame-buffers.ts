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
/** Keyed by backing store: a hold on any view of a leased frame (a piece of its payload) counts. */
const leases = new WeakMap<ArrayBufferLike, Lease>();

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
  const lease = leases.get(frame.buffer);
  if (lease) lease.holds += 1;
}

/** One hold on `frame` ends; the last one gives its buffer back to the pool it came from. */
export function releaseFrame(frame: Buffer): void {
  const lease = leases.get(frame.buffer);
  if (!lease) return;
  lease.holds -= 1;
  if (lease.holds === 0) {
    leases.delete(frame.buffer);
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
    leases.set(store, {
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

/** Received payloads are pooled by size class: a power of two from 4 KiB to 512 KiB, plus room for a feature's frame header. */
const RECEIVED_HEADER_BYTES = 256;
const RECEIVED_MIN_LOG2 = 12;
const RECEIVED_MAX_LOG2 = 19;
const receivedPools: FramePool[] = [];

/**
 * A buffer (with headroom) for a binary payload of `length` bytes arriving split across reads,
 * held once by the taker: the link releases that hold once the frame was handled, and whoever
 * keeps the frame (or a piece of it) longer holds it. A fresh 256 KiB buffer per received frame
 * cost the receiving and relaying processes more CPU than the copy into it (zeroed pages,
 * garbage collections forced by external memory). A size class wastes at most half a buffer,
 * so a slow sender's small frames queued at the host do not each pin a large one.
 */
export function allocReceived(length: number): Buffer {
  const log2 = Math.max(RECEIVED_MIN_LOG2, Math.ceil(Math.log2(Math.max(1, length - RECEIVED_HEADER_BYTES))));
  if (log2 > RECEIVED_MAX_LOG2) return allocFrame(length);
  const k = log2 - RECEIVED_MIN_LOG2;
  receivedPools[k] ??= new FramePool(2 ** log2 + RECEIVED_HEADER_BYTES);
  return receivedPools[k].take(length);
}
