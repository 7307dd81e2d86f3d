import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { BundleSource } from '../bundle-scan';
import type { DataSpace, Segment } from './data-space';

/** Why reading an offer's data failed: a file is not what was offered any more, or it could not be read. */
export type ReadFailure = 'file-changed' | 'read-failed';

/** A failure of DataReader, with the reason the offer ends with. */
export class ReadProblem extends Error {
  constructor(
    readonly reason: ReadFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A file's finished SHA-256, for its checksum frame. */
export interface Sum {
  index: number;
  sha256: Buffer;
}

/** Bytes read at once while hashing the part of a file before a stream's start. */
const HASH_READ_BYTES = 1024 * 1024;
const EMPTY_SHA256 = createHash('sha256').digest();

/**
 * Reads an offer's data in order from a stream's start, for one stream: copies the manifest and
 * reads the files into frames (a frame may span files), hashes each file whole — a stream that
 * starts inside a file first reads that file's part before the start again — and says which
 * checksums are due after each read. Each file is opened only when its bytes are needed, checked
 * against its scanned size and modification time when opened and again after its last byte was
 * read (PROTOCOL.md §11: a change ends the offer), and closed when done, so one stream holds at
 * most one file open. Calls must not overlap: each read starts where the last ended.
 */
export class DataReader {
  private position: number;
  /** The next segment whose checksum is due (segments before it are done or not this stream's). */
  private next: number;
  private current: { segment: Segment; handle: FileHandle; hash: Hash } | undefined;
  private closed = false;

  constructor(
    private readonly space: DataSpace,
    from: number,
  ) {
    this.position = from;
    this.next = space.firstSummed(from);
  }

  /** Hashes the part before the start of the file it starts in; returns the checksums due right at the start. */
  async start(): Promise<Sum[]> {
    const segment = this.space.segments[this.next];
    if (segment?.source && segment.start < this.position) {
      const current = await this.begin(segment);
      const buffer = Buffer.allocUnsafe(Math.min(HASH_READ_BYTES, this.position - segment.start));
      for (let at = 0; at < this.position - segment.start; ) {
        const piece = buffer.subarray(0, Math.min(buffer.length, this.position - segment.start - at));
        await readFully(current.handle, piece, at, segment.source);
        current.hash.update(piece);
        at += piece.length;
      }
    }
    return this.settle();
  }

  /**
   * Reads the next `target.length` bytes of the data into `target`; returns the checksums due
   * after them (files whose last byte they hold, and empty files right after).
   */
  async read(target: Buffer): Promise<Sum[]> {
    const sums: Sum[] = [];
    for (let out = 0; out < target.length; ) {
      const segment = this.space.segments[this.next];
      if (!segment) throw new ReadProblem('read-failed', 'Read past the end of the offer’s data.');
      const n = Math.min(segment.start + segment.size - this.position, target.length - out);
      const piece = target.subarray(out, out + n);
      if (!segment.source) this.space.manifest.copy(piece, 0, this.position, this.position + n);
      else {
        const current = this.current?.segment === segment ? this.current : await this.begin(segment);
        await readFully(current.handle, piece, this.position - segment.start, segment.source);
        current.hash.update(piece);
      }
      this.position += n;
      out += n;
      sums.push(...(await this.settle()));
    }
    return sums;
  }

  /** Closes the file it has open; later reads fail. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    await current?.handle.close().catch(() => {});
  }

  /** Finishes every segment that ends at the position: their checksums, in index order. */
  private async settle(): Promise<Sum[]> {
    const sums: Sum[] = [];
    for (let segment = this.space.segments[this.next]; segment && segment.start + segment.size <= this.position; ) {
      sums.push({ index: segment.index, sha256: await this.finish(segment) });
      segment = this.space.segments[++this.next];
    }
    return sums;
  }

  private async finish(segment: Segment): Promise<Buffer> {
    if (!segment.source) return createHash('sha256').update(this.space.manifest).digest();
    if (segment.size === 0) {
      // Nothing to read, but it must still be the empty file that was offered.
      await this.begin(segment);
      await this.end();
      return EMPTY_SHA256;
    }
    const current = this.current;
    if (current?.segment !== segment) throw new ReadProblem('read-failed', 'A file’s end came before its start.');
    await this.end();
    return current.hash.digest();
  }

  /** Opens a segment's file and checks it is the one offered. */
  private async begin(segment: Segment): Promise<{ segment: Segment; handle: FileHandle; hash: Hash }> {
    const source = segment.source!;
    await this.end();
    let handle: FileHandle;
    try {
      handle = await open(source.absPath, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw changed(source);
      throw new ReadProblem('read-failed', `${source.absPath} cannot be read (${code ?? 'error'}).`);
    }
    if (this.closed) {
      await handle.close().catch(() => {});
      throw new ReadProblem('read-failed', 'The stream was stopped.');
    }
    this.current = { segment, handle, hash: createHash('sha256') };
    await checkUnchanged(handle, source);
    return this.current;
  }

  /** After a file's last byte: checks it again and closes it. */
  private async end(): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    try {
      await checkUnchanged(current.handle, current.segment.source!);
    } finally {
      await current.handle.close().catch(() => {});
    }
  }
}

async function checkUnchanged(handle: FileHandle, source: BundleSource): Promise<void> {
  const stats = await handle.stat().catch((err: NodeJS.ErrnoException) => {
    throw new ReadProblem('read-failed', `${source.absPath} cannot be read (${err.code ?? 'error'}).`);
  });
  if (!stats.isFile() || stats.size !== source.size || stats.mtimeMs !== source.mtimeMs) throw changed(source);
}

/** Fills `target` from `position` in the file; a file that ends early has changed. */
async function readFully(handle: FileHandle, target: Buffer, position: number, source: BundleSource): Promise<void> {
  for (let got = 0; got < target.length; ) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(target, got, target.length - got, position + got));
    } catch (err) {
      throw new ReadProblem('read-failed', `${source.absPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    if (bytesRead === 0) throw changed(source);
    got += bytesRead;
  }
}

const changed = (source: BundleSource) => new ReadProblem('file-changed', `${source.absPath} changed after it was offered.`);
