// Files dropped into the window that have no path on disk (dragged out of a browser, say) arrive
// in pieces over IPC. They are written to a private temporary folder, offered from there, and
// removed once their transfer is over, when the room ends, or when Porthole quits.
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UPLOAD_CHUNK_BYTES } from '../../src-preload/domain-values';
import { errorFields, logger } from '../log/logger';
import { PortholeError } from '../wire/errors';
import { safeFileName } from '../features/files/safe-file-name';

/** Uploads in progress at once; more are refused until one finishes. */
export const MAX_UPLOADS = 16;
/** Largest file accepted this way (a file on disk has no limit: it is offered by path). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

// Sizes and error codes only: never a file's name or its bytes.
const log = logger('upload');

interface Upload {
  dir: string;
  path: string;
  handle: FileHandle;
  size: number;
  written: number;
  to?: string;
}

export class UploadStaging {
  private readonly uploads = new Map<string, Upload>();
  /** Uploads whose folder and file are being created; they hold a slot already. */
  private starting = 0;
  /**
   * Finished staged files, by upload id until offered, then by transfer id (one offer may carry
   * several) until the person clears the transfer or the room ends: an offer stays open for people
   * who join later, and a failed one can be sent again.
   */
  private readonly staged = new Map<string, string[]>();

  /** `root`: where the private folders go; the system's temp folder unless a test names its own. */
  constructor(private readonly root: string = tmpdir()) {}

  /** Starts an upload; the file name is sanitized as a received one would be. */
  async begin(name: string, size: number, to?: string): Promise<string> {
    if (this.uploads.size + this.starting >= MAX_UPLOADS) {
      log.info('refused to stage a file', { code: 'busy', uploads: this.uploads.size + this.starting });
      throw new PortholeError('busy', 'Too many files are being added at once; wait for some to finish.');
    }
    if (size > MAX_UPLOAD_BYTES) {
      log.info('refused to stage a file', { code: 'file-unreadable', size });
      throw new PortholeError(
        'file-unreadable',
        `${name} has no copy on disk and is too large to send from memory; save it to a folder first.`,
      );
    }
    this.starting++; // taken before the first await, so uploads begun at once cannot all pass
    try {
      const dir = await mkdtemp(join(this.root, 'porthole-upload-'));
      const path = join(dir, safeFileName(name));
      const handle = await open(path, 'wx', 0o600).catch(async (err: unknown) => {
        await rm(dir, { recursive: true, force: true });
        throw err;
      });
      const id = randomBytes(12).toString('base64url');
      this.uploads.set(id, { dir, path, handle, size, written: 0, ...(to ? { to } : {}) });
      return id;
    } catch (err) {
      log.warn('could not create a staging file', fsErrorFields(err));
      throw err;
    } finally {
      this.starting--;
    }
  }

  /** Appends the next piece; pieces must come in order and stay within the announced size. */
  async chunk(id: string, offset: number, bytes: Uint8Array): Promise<void> {
    const upload = this.get(id);
    if (offset !== upload.written || bytes.byteLength > UPLOAD_CHUNK_BYTES || upload.written + bytes.byteLength > upload.size) {
      log.warn('stopped staging a file: a piece out of order', {
        offset,
        expected: upload.written,
        bytes: bytes.byteLength,
        size: upload.size,
      });
      await this.abort(id);
      throw new PortholeError('invalid-request', 'A piece of the file arrived out of order, so adding it was stopped. Try again.');
    }
    upload.written += bytes.byteLength; // counted before the write, so a racing piece is refused
    await upload.handle.write(bytes, 0, bytes.byteLength, offset).catch((err: unknown) => {
      log.warn('could not write a staged piece', { ...fsErrorFields(err), offset, size: upload.size });
      throw err;
    });
  }

  /** Closes a complete upload and hands over its path; the caller offers it, then calls offered(). */
  async finish(id: string): Promise<{ path: string; to?: string }> {
    const upload = this.get(id);
    if (upload.written !== upload.size) {
      log.warn('stopped staging a file: it ended early', { written: upload.written, size: upload.size });
      await this.abort(id);
      throw new PortholeError('invalid-request', 'The file ended early, so it was not sent. Try again.');
    }
    this.uploads.delete(id);
    this.staged.set(id, [upload.path]); // clear() finds it even before it is offered
    await upload.handle.close();
    return { path: upload.path, ...(upload.to ? { to: upload.to } : {}) };
  }

  /** Remembers which transfer sends a finished upload, so it can go when the transfer is over. */
  offered(uploadId: string, transferId: string): void {
    const paths = this.staged.get(uploadId);
    this.staged.delete(uploadId);
    if (paths) this.staged.set(transferId, [...(this.staged.get(transferId) ?? []), ...paths]);
  }

  /** A queued offer got its number: its staged files follow it. */
  renamed(was: string, id: string): void {
    const paths = this.staged.get(was);
    if (!paths) return;
    this.staged.delete(was);
    this.staged.set(id, [...(this.staged.get(id) ?? []), ...paths]);
  }

  /** Removes the staged files of a transfer the person cleared, or (by upload id) of an upload that was not offered. */
  async remove(key: string): Promise<void> {
    const paths = this.staged.get(key);
    if (!paths) return;
    this.staged.delete(key);
    await Promise.all(paths.map(removeStaged));
  }

  async abort(id: string): Promise<void> {
    const upload = this.uploads.get(id);
    if (!upload) return;
    this.uploads.delete(id);
    await upload.handle.close().catch(() => {});
    await rm(upload.dir, { recursive: true, force: true });
  }

  /** Removes everything staged (the room ended, or Porthole quits). */
  async clear(): Promise<void> {
    const paths = [...this.staged.values()].flat();
    this.staged.clear();
    await Promise.all([...[...this.uploads.keys()].map((id) => this.abort(id)), ...paths.map(removeStaged)]);
  }

  private get(id: string): Upload {
    const upload = this.uploads.get(id);
    if (!upload) throw new PortholeError('not-found', 'That file is no longer being added; try again.');
    return upload;
  }
}

/** Removes a staged file's private folder. */
const removeStaged = (path: string) =>
  rm(join(path, '..'), { recursive: true, force: true }).catch((err: unknown) => {
    log.warn('could not remove a staged file', fsErrorFields(err));
    throw err;
  });

/** An fs error's code and call (ENOSPC, open): its sentence would name the file. */
function fsErrorFields(err: unknown) {
  const { error, errorCode } = errorFields(err);
  const syscall = (err as { syscall?: unknown } | undefined)?.syscall;
  return { error, errorCode, ...(typeof syscall === 'string' ? { syscall } : {}) };
}
