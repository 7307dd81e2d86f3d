import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { DataLayout } from './data-layout';
import type { PartialStore } from './partial-store';
import { writeAll } from '../../write-all';
import { MAX_UNWRITTEN_BYTES } from '../files2-frames';
import { holdFrame, releaseFrame } from '../../../../wire/frame-buffers';

/** An ack each time this much more of a stream is on disk (PROTOCOL.md §11), and at the data's end. */
export const ACK_STEP_BYTES = 1024 * 1024;

/** SHA-256 of nothing: an empty file's checksum. */
export const EMPTY_SHA256 = createHash('sha256').digest('hex');

export interface ReceiverHooks {
  /** `bytes` of the data are on disk: tell the host (files-ack). */
  ack(stream: number, bytes: number): void;
  /** The manifest's bytes are all in: the layout they describe, or undefined when they are not a valid manifest (stop). */
  manifestIn(bytes: Buffer): DataLayout | undefined;
  /** File `index` (0 = the manifest) is whole on disk and its checksum came: whether they match. */
  checked(index: number, ok: boolean, sha256: string): void;
  /** Writing failed; the receiver has stopped. */
  writeFailed(reason: 'disk-full' | 'write-failed'): void;
  /** The stream is written to its end (every byte of the data is on disk). */
  allWritten(): void;
}

export interface ReceiverStart {
  /** The offset this accept asked for. */
  from: number;
  dataEnd: number;
  manifestBytes: number;
  files: number;
  /** Known when the manifest was verified before (or for one file); a bundle from 0 learns it from its data. */
  layout: DataLayout | undefined;
  /** The file `from` lies inside, its first bytes already on disk and hashed (read back). */
  resumed?: { index: number; handle: FileHandle; hash: Hash } | undefined;
  /** Files (0 = the manifest) verified before: their checksums are not waited for. */
  isVerified(index: number): boolean;
}

interface Pending {
  index: number;
  /** Offset inside the file. */
  at: number;
  data: Buffer;
}

/**
 * The data of one accept of an offer, over one stream or, when the host moves it, the next:
 * takes data frames in order (a frame may span files; empty files take no bytes), hashes each
 * file as it comes, writes it to the file's kept data in batches, acks what is on disk, and
 * compares each file's hash with the sender's checksum once the file is whole on disk. Every
 * frame is checked against the order the protocol promises; a break returns false.
 */
export class StreamReceiver {
  stream: number | undefined;
  /** The stream the host moved this one from: its late checksum frames are still read. */
  previousStream: number | undefined;
  /** Data offset up to which bytes were received (by any stream of this accept). */
  position: number;
  /** Where the current stream's next frame must start: what it has delivered. */
  private delivered: number;
  /** Where the current stream started. */
  private streamFrom: number;
  /** Data offset up to which writes have resolved (the manifest counts once received). */
  written: number;
  private acked = 0;
  private lastSum = -1;
  /** No more frames are taken. */
  private stopped = false;
  /** What is queued is not written either. */
  private dropped = false;
  private layout: DataLayout | undefined;
  private manifest: Buffer | undefined;
  private manifestDigest: string | undefined;
  /** File being hashed as it arrives. */
  private current: { index: number; hash: Hash } | undefined;
  private readonly digests = new Map<number, string>();
  private readonly expected = new Map<number, string>();
  private readonly handles = new Map<number, FileHandle>();
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly start: ReceiverStart,
    private readonly store: PartialStore,
    private readonly hooks: ReceiverHooks,
  ) {
    this.position = this.written = this.delivered = this.streamFrom = start.from;
    this.layout = start.layout;
    if (start.resumed) {
      this.current = { index: start.resumed.index, hash: start.resumed.hash };
      this.handles.set(start.resumed.index, start.resumed.handle);
    }
  }

  /**
   * The host's files-stream. The first for this accept starts where it asked; a later one (the
   * host moved this recipient to a stream of its own, or the sender came back and streams again
   * from the last ack) anywhere from there up to what was received: bytes already here are
   * skipped, and acks never pass what the new stream delivered.
   */
  takeStream(stream: number, from: number): boolean {
    if (this.stopped) return false;
    if (this.stream === undefined ? from !== this.start.from : from < this.start.from || from > this.position) return false;
    // A move keeps what was last acked: the host still waits for the rest of it (a new stream may
    // start at the very end, when everything was sent but not yet acked).
    this.acked = this.stream === undefined ? from : Math.min(this.acked, from);
    if (this.stream !== undefined) this.previousStream = this.stream;
    this.stream = stream;
    this.delivered = this.streamFrom = from;
    this.lastSum = -1;
    this.progressed();
    return true;
  }

  /** A data frame's payload at `position`; false when it breaks the order or passes the data's end. */
  takeData(position: number, payload: Buffer): boolean {
    if (this.stopped) return true;
    if (this.stream === undefined || position !== this.delivered || payload.length > this.start.dataEnd - position) return false;
    if (position + payload.length - this.written > MAX_UNWRITTEN_BYTES) return false;
    this.delivered += payload.length;
    if (this.delivered <= this.position) {
      this.maybeAck();
      return true;
    }
    let at = this.position;
    let rest = payload.subarray(this.position - position);
    while (rest.length > 0) {
      if (at < this.start.manifestBytes) {
        const n = Math.min(rest.length, this.start.manifestBytes - at);
        this.manifest ??= Buffer.alloc(this.start.manifestBytes);
        rest.copy(this.manifest, at, 0, n);
        at += n;
        rest = rest.subarray(n);
        // Nothing comes before the manifest, so it counts as written (and ackable) at once.
        this.position = this.written = at;
        if (at === this.start.manifestBytes && !this.manifestComplete()) return true;
        continue;
      }
      const layout = this.layout;
      if (!layout) return false;
      const index = layout.fileAt(at, this.current?.index);
      const inFile = at - layout.start(index);
      if (this.current?.index !== index) {
        if (inFile !== 0) return false;
        this.current = { index, hash: createHash('sha256') };
      }
      const n = Math.min(rest.length, layout.size(index) - inFile);
      const piece = rest.subarray(0, n);
      this.current.hash.update(piece);
      holdFrame(piece); // a received frame's buffer goes back to its pool once written
      this.queue.push({ index, at: inFile, data: piece });
      at += n;
      rest = rest.subarray(n);
      if (inFile + n === layout.size(index)) {
        this.digests.set(index, this.current.hash.digest('hex'));
        this.current = undefined;
      }
    }
    this.position = at;
    if (this.queue.length > 0) this.writing ??= this.writeQueued();
    else this.progressed();
    return true;
  }

  /** A checksum frame for file `index` (0 = the manifest); false when it is out of order or before its data. */
  takeSum(index: number, sha256: string): boolean {
    if (this.stopped) return true;
    const { files, manifestBytes } = this.start;
    if (index > files || (index === 0 && manifestBytes === 0) || index <= this.lastSum) return false;
    const end = index === 0 ? manifestBytes : this.layout?.endOf(index);
    if (end === undefined || this.position < end) return false;
    // A stream sends the checksum of every file that ends after its start: none may be skipped.
    for (let k = this.lastSum + 1; k < index; k++) if (this.needsSum(k)) return false;
    this.lastSum = index;
    if (this.start.isVerified(index)) return true;
    this.expected.set(index, sha256);
    this.compareIfReady(index);
    return true;
  }

  /**
   * Acks what is on disk now. The last write's ack is normally sent once its file is closed; a
   * finish that comes first (the last checksum arrived while that file was closing) calls this,
   * so the host has the final ack before files-saved.
   */
  ackWritten(): void {
    this.maybeAck();
  }

  /** Stops taking frames; what was received is still written. Resolves once nothing is open. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Stops at once: what is queued is dropped. Resolves once nothing is open. */
  async abort(): Promise<void> {
    this.stopped = this.dropped = true;
    this.queue = [];
    await this.idle();
  }

  private async idle(): Promise<void> {
    while (this.writing) await this.writing;
    await this.closeAll();
  }

  /** Whether file `k` (0 = the manifest) should have had a checksum in this stream by now. */
  private needsSum(k: number): boolean {
    if (this.start.isVerified(k) || this.expected.has(k)) return false;
    const size = k === 0 ? this.start.manifestBytes : (this.layout?.size(k) ?? 0);
    const end = k === 0 ? this.start.manifestBytes : (this.layout?.endOf(k) ?? 0);
    return size > 0 && end > this.streamFrom;
  }

  private manifestComplete(): boolean {
    const bytes = this.manifest!;
    this.manifestDigest = createHash('sha256').update(bytes).digest('hex');
    this.layout = this.hooks.manifestIn(bytes);
    if (!this.layout) {
      this.stopped = true;
      return false;
    }
    this.compareIfReady(0);
    return true;
  }

  private compareIfReady(index: number): void {
    const expected = this.expected.get(index);
    if (expected === undefined) return;
    let digest: string | undefined;
    if (index === 0) digest = this.manifestDigest;
    else if (this.layout && this.written >= this.layout.endOf(index))
      digest = this.layout.size(index) === 0 ? EMPTY_SHA256 : this.digests.get(index);
    if (digest === undefined) return;
    this.expected.delete(index);
    this.digests.delete(index);
    this.hooks.checked(index, digest === expected, digest);
  }

  /** After bytes reached the disk (or the manifest came): ack, check whole files, notice the end. */
  private progressed(): void {
    this.maybeAck();
    for (const index of [...this.expected.keys()]) this.compareIfReady(index);
    if (this.written === this.start.dataEnd && this.queue.length === 0) this.hooks.allWritten();
  }

  /** Acks what is on disk, but never more than the current stream delivered (the host counts per stream). */
  private maybeAck(): void {
    if (this.stream === undefined) return;
    const ackable = Math.min(this.written, this.delivered);
    const atEnd = ackable === this.start.dataEnd;
    if (ackable - this.acked >= ACK_STEP_BYTES || (atEnd && ackable > this.acked)) {
      this.acked = ackable;
      this.hooks.ack(this.stream, ackable);
    }
  }

  /** Writes what is queued, consecutive pieces of one file in one call, in order; acks and checks as writes resolve. */
  private async writeQueued(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        for (const run of runsOf(batch)) {
          if (this.dropped) return;
          const handle = await this.handleFor(run.index, run.at);
          let length: number;
          try {
            length = await writeAll(handle, run.buffers, run.at);
          } finally {
            for (const buffer of run.buffers) releaseFrame(buffer);
          }
          this.written += length;
          if (run.at + length === this.layout!.size(run.index)) {
            this.handles.delete(run.index);
            await handle.close();
          }
          this.progressed();
        }
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      this.stopped = this.dropped = true;
      this.queue = [];
      this.hooks.writeFailed(code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : 'write-failed');
    } finally {
      this.writing = undefined;
    }
  }

  private async handleFor(index: number, at: number): Promise<FileHandle> {
    const open = this.handles.get(index);
    if (open) return open;
    if (at !== 0) throw new Error(`File ${index} continues at ${at} but was not opened for a resume.`);
    const handle = await this.store.openData(index, 0);
    this.handles.set(index, handle);
    return handle;
  }

  private async closeAll(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((h) => h.close().catch(() => {})));
  }
}

/** Consecutive pieces of one file, to write in one call. */
function runsOf(batch: Pending[]): Array<{ index: number; at: number; buffers: Buffer[] }> {
  const runs: Array<{ index: number; at: number; buffers: Buffer[]; end: number }> = [];
  for (const piece of batch) {
    const last = runs[runs.length - 1];
    if (last && last.index === piece.index && last.end === piece.at) {
      last.buffers.push(piece.data);
      last.end += piece.data.length;
    } else runs.push({ index: piece.index, at: piece.at, buffers: [piece.data], end: piece.at + piece.data.length });
  }
  return runs;
}
