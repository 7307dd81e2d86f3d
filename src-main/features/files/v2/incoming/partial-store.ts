import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { type KeptState, keptStateSchema, MAX_STATE_BYTES } from './kept-state';

/**
 * Data a recipient keeps for a resume (PROTOCOL.md §11 "Restarts"), out of sight in the download
 * folder: `.porthole-partial/<key>/` holds `state.json`, a bundle's `manifest.json` once
 * verified, and `<index>.data` for each file being received. Folders are made 0700 and never
 * entered through a symbolic link; files are opened with O_NOFOLLOW, so a link planted there
 * fails the write instead of leading it elsewhere.
 */
export const PARTIAL_FOLDER = '.porthole-partial';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const STATE_FILE = 'state.json';
const MANIFEST_FILE = 'manifest.json';

export class PartialStore {
  private constructor(readonly dir: string) {}

  /** The store `name` in `realDir` (a real path), made if missing. Throws when a link or file is in the way. */
  static async open(realDir: string, name: string): Promise<PartialStore> {
    const root = join(realDir, PARTIAL_FOLDER);
    await realFolder(root);
    const dir = join(root, name);
    await realFolder(dir);
    return new PartialStore(dir);
  }

  /** The store `name` when it exists as a real folder; nothing is made. */
  static async existing(realDir: string, name: string): Promise<PartialStore | undefined> {
    const root = join(realDir, PARTIAL_FOLDER);
    const dir = join(root, name);
    if (!(await isRealFolder(root)) || !(await isRealFolder(dir))) return undefined;
    return new PartialStore(dir);
  }

  dataPath(index: number): string {
    return join(this.dir, `${index}.data`);
  }

  /** The kept state; undefined when missing, unreadable or not what it should be. */
  async readState(): Promise<KeptState | undefined> {
    return readKeptState(this.dir);
  }

  async writeState(state: KeptState): Promise<void> {
    await this.replaceFile(STATE_FILE, Buffer.from(JSON.stringify(state)));
  }

  async readManifest(): Promise<Buffer | undefined> {
    return readSmallFile(join(this.dir, MANIFEST_FILE), 16 * 1024 * 1024).catch(() => undefined);
  }

  async writeManifest(bytes: Buffer): Promise<void> {
    await this.replaceFile(MANIFEST_FILE, bytes);
  }

  /** File `index`'s data, for reading and writing, cut to its first `keep` bytes (made when missing). */
  async openData(index: number, keep: number): Promise<FileHandle> {
    const handle = await open(this.dataPath(index), constants.O_RDWR | constants.O_CREAT | NOFOLLOW, 0o644);
    try {
      const { size } = await handle.stat();
      if (size !== keep) await handle.truncate(keep);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle;
  }

  /** Bytes of file `index` on disk (0 when missing or not a regular file). */
  async dataSize(index: number): Promise<number> {
    const stats = await lstat(this.dataPath(index)).catch(() => undefined);
    return stats?.isFile() ? stats.size : 0;
  }

  async removeData(index: number): Promise<void> {
    await unlink(this.dataPath(index)).catch(() => {});
  }

  /** Deletes the whole store (symbolic links inside are removed, never followed). */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }

  /** Writes a file whole, then renames it over the old one: a crash leaves the old or the new, never half. */
  private async replaceFile(name: string, bytes: Buffer): Promise<void> {
    const temp = join(this.dir, `${name}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, join(this.dir, name));
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
  }
}

/** state.json of the store folder `dir`, checked; undefined when it is missing or broken. */
export async function readKeptState(dir: string): Promise<KeptState | undefined> {
  try {
    const bytes = await readSmallFile(join(dir, STATE_FILE), MAX_STATE_BYTES);
    const parsed = keptStateSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a regular file of at most `max` bytes without following a link. */
async function readSmallFile(path: string, max: number): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | NOFOLLOW);
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > max) throw new Error(`${path} is not a small regular file.`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function isRealFolder(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isDirectory() === true;
}

/** Makes a folder only we can enter; an existing one is used only when it is a real folder, not a link. */
async function realFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!(await isRealFolder(path))) throw new Error(`${path} is in the way of the folder for kept data.`);
  }
}
