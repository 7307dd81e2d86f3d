import { holdFrame, releaseFrame } from '../../wire/frame-buffers';

/** The part of a connection the outbox needs. */
export interface BinarySocket {
  /** Sends one binary frame; `done` runs once it has been handed to the operating system. */
  sendBinary(frame: Buffer, done: () => void): void;
  isOpen(): boolean;
  /** Whether the connection's pacer lets file data go now (room/feature.ts); none: always. */
  bulkReady?(): boolean;
  whenBulkReady?(wake: () => void): void;
}

/**
 * Feeds chunk frames to one connection a little at a time: at most `lowWaterBytes` sit in the
 * connection's own send buffer, so a chat message sent meanwhile waits behind that much file
 * data at most. Frames beyond it wait here; flow control bounds how many there can be. The
 * outbox holds each frame (wire/frame-buffers.ts) from push until it was sent or dropped. A
 * connection with a pacer (link/bulk-pacer.ts) also decides when the next frame may go.
 */
export class PacedOutbox {
  private readonly queue: Buffer[] = [];
  private inSocket = 0;
  private waiters: Array<() => void> = [];
  private pacing = false;

  constructor(
    private readonly socket: BinarySocket,
    private readonly lowWaterBytes = 1024 * 1024,
    /** Told about each frame as it is handed to the connection. */
    private readonly onHandedOut: (frame: Buffer) => void = () => {},
  ) {}

  /** Queues a frame and sends what the connection can take now. */
  push(frame: Buffer): void {
    holdFrame(frame);
    this.queue.push(frame);
    this.pump();
  }

  /** Bytes of frames waiting here (not yet handed to the connection). */
  waitingBytes(): number {
    let bytes = 0;
    for (const frame of this.queue) bytes += frame.length;
    return bytes;
  }

  /** Whether a new frame would go straight to the connection. */
  ready(): boolean {
    return this.queue.length === 0 && this.inSocket < this.lowWaterBytes;
  }

  /** Runs `wake` once ready() holds again (at once if it holds now). */
  whenReady(wake: () => void): void {
    if (this.ready()) queueMicrotask(wake);
    else this.waiters.push(wake);
  }

  /** Drops the queued frames `unwanted` picks (a transfer that ended for this member); it is asked about each in queue order. */
  drop(unwanted: (frame: Buffer) => boolean): void {
    const kept: Buffer[] = [];
    for (const frame of this.queue) {
      if (unwanted(frame)) releaseFrame(frame);
      else kept.push(frame);
    }
    this.queue.length = 0;
    this.queue.push(...kept);
    this.wake();
  }

  /** Forgets queued frames (the connection is gone). */
  clear(): void {
    for (const frame of this.queue) releaseFrame(frame);
    this.queue.length = 0;
    this.waiters = [];
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inSocket < this.lowWaterBytes) {
      if (!this.socket.isOpen()) return this.clear();
      if (this.socket.bulkReady?.() === false) {
        // The path has enough in flight: the pacer wakes us (once per wait, however many frames wait).
        if (!this.pacing) {
          this.pacing = true;
          this.socket.whenBulkReady?.(() => {
            this.pacing = false;
            this.pump();
            this.wake();
          });
        }
        return;
      }
      const frame = this.queue.shift()!;
      this.inSocket += frame.length;
      this.onHandedOut(frame);
      this.socket.sendBinary(frame, () => {
        this.inSocket -= frame.length;
        releaseFrame(frame);
        this.pump();
        this.wake();
      });
    }
  }

  private wake(): void {
    if (!this.ready() || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
