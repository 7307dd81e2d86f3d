import { FramePool, releaseFrame } from '../../../../wire/frame-buffers';
import { DATA_BYTES, FRAME_HEADER_BYTES, KIND_DATA, MAX_FRAME_BYTES, sumFrame, writeFrameHeader } from '../files2-frames';
import { DataReader, ReadProblem, type ReadFailure, type Sum } from './data-reader';
import type { DataSpace } from './data-space';

/** Where a stream's frames go: the member's paced outbox, shared by all its streams. */
export interface FrameLink {
  /** Queues a frame; frames leave in the order given. */
  frame(frame: Buffer): void;
  /** Whether another data frame may go now without piling up unsent data. */
  ready(): boolean;
  /** Calls `wake` once ready() holds again. */
  whenReady(wake: () => void): void;
  /** Payload bytes per data frame that suit the connection now (smaller on a slow path, so chat waits less). */
  frameBytes(): number;
}

/**
 * Data frames are reused rather than allocated per frame (wire/frame-buffers.ts). One pool for
 * the process: every stream of every offer draws from it, and it keeps at most 16 idle (4 MiB).
 */
const framePool = new FramePool(MAX_FRAME_BYTES);

interface Built {
  frame: Buffer;
  length: number;
  sums: Sum[];
}

/**
 * Sends one stream of an offer (PROTOCOL.md §11, `files-stream`): the data from `from` as data
 * frames of up to 256 KiB, never past the credit the host granted nor faster than the link
 * drains, each file's checksum frame right after its last byte. The next frame is read while the
 * current one goes out, so the disk and the network overlap; at most two frames are held here
 * (more wait in the link's outbox, which holds them until sent).
 */
export class StreamSender {
  private sent: number;
  private credit = -1;
  private pumping = false;
  private started = false;
  private stopped = false;
  private readonly reader: DataReader;
  private ahead: { offset: number; build: Promise<Built> } | undefined;

  constructor(
    readonly stream: number,
    readonly from: number,
    private readonly space: DataSpace,
    private readonly link: FrameLink,
    private readonly failed: (reason: ReadFailure, message: string) => void,
  ) {
    this.sent = from;
    this.reader = new DataReader(space, from);
    // Checksums due at the start need no credit; the part of a file before the start is hashed meanwhile.
    void this.pump();
  }

  /** The next offset to send. */
  get position(): number {
    return this.sent;
  }

  /** Every byte and checksum went out. */
  get done(): boolean {
    return this.started && this.sent === this.space.length && !this.pumping;
  }

  /** The host allows the stream up to `upTo`. */
  grant(upTo: number): void {
    const capped = Math.min(upTo, this.space.length);
    if (capped <= this.credit) return;
    this.credit = capped;
    void this.pump();
  }

  /** Stops sending and closes the file it reads. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.reader.close();
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      if (!this.started) {
        const sums = await this.reader.start();
        if (this.stopped) return;
        this.sendSums(sums);
        this.started = true;
      }
      while (!this.stopped && this.sent < this.limit()) {
        if (!this.link.ready()) {
          this.link.whenReady(() => void this.pump());
          return;
        }
        const built = await this.take(this.sent);
        if (this.stopped) return;
        const following = this.sent + built.length;
        if (following < this.limit()) this.ahead = { offset: following, build: this.build(following) };
        this.link.frame(writeFrameHeader(built.frame, KIND_DATA, this.stream, this.sent));
        releaseFrame(built.frame); // the link holds it as long as it needs it
        this.sendSums(built.sums);
        this.sent = following;
      }
      if (this.sent === this.space.length) this.stop();
    } catch (err) {
      if (this.stopped) return;
      this.stop();
      const problem = err instanceof ReadProblem ? err : new ReadProblem('read-failed', String(err));
      this.failed(problem.reason, problem.message);
    } finally {
      this.pumping = false;
    }
  }

  /** How far the stream may go now. */
  private limit(): number {
    return Math.min(this.credit, this.space.length);
  }

  private take(offset: number): Promise<Built> {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead?.offset === offset ? ahead.build : this.build(offset);
  }

  private build(offset: number): Promise<Built> {
    const length = Math.min(DATA_BYTES, this.link.frameBytes(), this.limit() - offset);
    const frame = framePool.take(FRAME_HEADER_BYTES + length);
    const build = this.reader.read(frame.subarray(FRAME_HEADER_BYTES)).then((sums) => ({ frame, length, sums }));
    build.catch(() => {}); // a read-ahead may be abandoned by stop(); its failure is not news
    return build;
  }

  private sendSums(sums: Sum[]): void {
    for (const sum of sums) this.link.frame(sumFrame(this.stream, sum.index, sum.sha256));
  }
}
