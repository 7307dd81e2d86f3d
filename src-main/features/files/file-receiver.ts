import { createHash } from 'node:crypto';
import { unlink, type FileHandle } from 'node:fs/promises';
import { ACK_STEP_BYTES, ackableBytes } from './chunk-frame';
import { createPartFile, publishPartFile } from './download-folder';
import type { EndReason } from './transfer-messages';
import { writeAll } from './write-all';
import { holdFrame, releaseFrame } from '../../wire/frame-buffers';

/** Bytes written between two acknowledgements (each ack lets the sender go further). */
export const ACK_EVERY_BYTES = ACK_STEP_BYTES;

export interface ReceiverHooks {
  /** Bytes safely written so far; send them to the host as an ack. */
  ack(bytes: number): void;
  /** Verified and renamed into place. */
  saved(path: string, sha256: string): void;
  /** Ended without a file; the .part is already gone. */
  failed(reason: EndReason): void;
}

/**
 * One incoming file: writes chunks in order to an exclusive `.part` file, hashes them, acks what
 * is on disk, and once the sender's SHA-256 and every byte are in, verifies and renames.
 */
export class FileReceiver {
  written = 0;
  /** Verified and being moved into place: too late to cancel. */
  publishing = false;
  private received = 0;
  private acked = 0;
  private expectedSha: string | undefined;
  /** Chunks received but not yet on disk; written together in one call when the disk lags. */
  private unwritten: Buffer[] = [];
  private writing = false;
  private ended = false;
  private readonly hash = createHash('sha256');

  private constructor(
    private readonly handle: FileHandle,
    private readonly partPath: string,
    private readonly realDir: string,
    private readonly name: string,
    private readonly size: number,
    private readonly hooks: ReceiverHooks,
  ) {}

  /** Creates the `.part` file; throws if it cannot. */
  static async open(realDir: string, name: string, size: number, hooks: ReceiverHooks): Promise<FileReceiver> {
    const { handle, path } = await createPartFile(realDir, name);
    return new FileReceiver(handle, path, realDir, name, size, hooks);
  }

  /** Takes the next chunk; false when it does not fit (out of order or past the size). */
  take(offset: number, payload: Buffer): boolean {
    if (this.ended) return true;
    if (offset !== this.received || this.received + payload.length > this.size) return false;
    this.received += payload.length;
    this.hash.update(payload);
    holdFrame(payload); // a received frame's buffer goes back to its pool once written
    this.unwritten.push(payload);
    void this.writeQueued();
    return true;
  }

  /** The sender's hash: the file is complete once every byte has been written too. */
  end(sha256: string): void {
    this.expectedSha = sha256;
    if (!this.writing) void this.finishIfComplete();
  }

  /** Stops and removes the `.part` file (cancel, sender gone, …). */
  async abort(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.discard();
  }

  /** Writes everything queued, one batch at a time, in order; acks as the disk confirms. */
  private async writeQueued(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    while (this.unwritten.length > 0 && !this.ended) {
      const batch = this.unwritten;
      this.unwritten = [];
      try {
        await writeAll(this.handle, batch, this.written);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        this.writing = false;
        return this.fail(code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : 'write-failed');
      } finally {
        for (const buffer of batch) releaseFrame(buffer);
      }
      this.written += batch.reduce((sum, b) => sum + b.length, 0);
      // Acks stay on the ack grid however writes were batched: credit is granted on that grid,
      // so the last bytes before a credit limit are always acknowledged.
      const ackable = ackableBytes(this.written, this.size);
      if (ackable > this.acked) {
        this.acked = ackable;
        this.hooks.ack(ackable);
      }
    }
    this.writing = false;
    await this.finishIfComplete();
  }

  private async finishIfComplete(): Promise<void> {
    if (this.ended || this.expectedSha === undefined || this.written !== this.size) return;
    this.ended = true;
    const actual = this.hash.digest('hex');
    if (actual !== this.expectedSha) {
      await this.discard();
      return this.hooks.failed('hash-mismatch');
    }
    this.publishing = true;
    try {
      await this.handle.close();
      const path = await publishPartFile(this.realDir, this.partPath, this.name);
      this.hooks.saved(path, actual);
    } catch {
      await this.discard();
      this.hooks.failed('write-failed');
    }
  }

  private async fail(reason: EndReason): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.discard();
    this.hooks.failed(reason);
  }

  private async discard(): Promise<void> {
    await this.handle.close().catch(() => {});
    await unlink(this.partPath).catch(() => {});
  }
}
