import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { CHUNK_HEADER_BYTES, expectedChunkBytes, writeChunkHeader } from './chunk-frame';
import type { HubLink } from './member-link';
import type { EndReason } from './transfer-messages';

/**
 * Reads one file and sends it as chunk frames, never past the credit the host granted nor
 * faster than the link drains; hashes as it reads and ends with the file's SHA-256.
 */
export class FileSender {
  sent = 0;
  private credit = -1;
  private pumping = false;
  private stopped = false;
  private readonly hash = createHash('sha256');
  /** The next chunk, already being read while the current one is hashed and sent. */
  private ahead: { offset: number; read: Promise<Buffer> } | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly transfer: number,
    private readonly link: HubLink,
    private readonly onFail: (reason: EndReason) => void,
  ) {}

  /** The host allows bytes up to `upTo`; the first grant starts the transfer. */
  grant(upTo: number): void {
    if (upTo <= this.credit) return;
    this.credit = Math.min(upTo, this.size);
    void this.pump();
  }

  /** Stops sending and closes the file. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.handle.close().catch(() => {});
  }

  private readChunk(offset: number): Promise<Buffer> {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead?.offset === offset ? ahead.read : this.startRead(offset);
  }

  private startRead(offset: number): Promise<Buffer> {
    const length = expectedChunkBytes(this.size, offset);
    const frame = Buffer.allocUnsafe(CHUNK_HEADER_BYTES + length);
    const read = this.handle.read(frame, CHUNK_HEADER_BYTES, length, offset).then(({ bytesRead }) => {
      if (bytesRead !== length) throw new Error('the file became shorter while it was being sent');
      return frame;
    });
    read.catch(() => {}); // a read-ahead may be abandoned by stop(); its failure is not news
    return read;
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.sent < this.credit) {
        if (!this.link.ready()) {
          this.link.whenReady(() => void this.pump());
          return;
        }
        const frame = await this.readChunk(this.sent);
        if (this.stopped) return;
        const length = frame.length - CHUNK_HEADER_BYTES;
        const following = this.sent + length;
        if (following < this.credit) this.ahead = { offset: following, read: this.startRead(following) };
        this.hash.update(frame.subarray(CHUNK_HEADER_BYTES));
        this.link.chunk(writeChunkHeader(frame, this.transfer, this.sent));
        this.sent += length;
      }
      if (!this.stopped && this.credit >= 0 && this.sent === this.size) {
        this.link.control({ type: 'file-end', transfer: this.transfer, sha256: this.hash.digest('hex') });
        this.stop();
      }
    } catch {
      if (this.stopped) return;
      this.stop();
      this.onFail('read-failed');
    } finally {
      this.pumping = false;
    }
  }
}
