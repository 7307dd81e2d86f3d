import { constants } from 'node:fs';
import { link, mkdir, open, readFile, realpath, rename, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { numberedName } from './safe-file-name';

/** Room left free on the disk beyond the file itself, so accepting never fills it to the brim. */
export const FREE_SPACE_MARGIN = 1024 * 1024;

/** The system Downloads folder's Porthole subfolder (XDG_DOWNLOAD_DIR on Linux when set). */
export async function defaultDownloadDir(): Promise<string> {
  return join(await systemDownloads(), 'Porthole');
}

async function systemDownloads(): Promise<string> {
  const home = homedir();
  if (process.platform === 'linux') {
    const configHome = process.env.XDG_CONFIG_HOME || join(home, '.config');
    const dirs = await readFile(join(configHome, 'user-dirs.dirs'), 'utf8').catch(() => '');
    const line = /^XDG_DOWNLOAD_DIR="(.+)"$/m.exec(dirs)?.[1];
    if (line) return line.replace(/^\$HOME/, home);
  }
  return join(home, 'Downloads');
}

/** Creates the folder if needed and returns its real path (symlinks resolved). */
export async function prepareDownloadDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return realpath(dir);
}

/** Whether the folder's file system has room for `bytes` more, with a margin. */
export async function hasRoomFor(dir: string, bytes: number): Promise<boolean> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize >= bytes + FREE_SPACE_MARGIN;
}

/**
 * Creates a fresh `.part` file for `name` with exclusive create, so nothing existing is ever
 * opened, and checks its real path lies directly in `realDir`.
 */
export async function createPartFile(realDir: string, name: string): Promise<{ handle: FileHandle; path: string }> {
  const path = join(realDir, `${name}.${randomBytes(4).toString('hex')}.part`);
  const handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
  try {
    await assertInside(realDir, path);
  } catch (err) {
    await handle.close();
    await unlink(path).catch(() => {});
    throw err;
  }
  return { handle, path };
}

/**
 * Gives a finished `.part` file its name without overwriting anything: "name.ext", else
 * "name (1).ext", "name (2).ext" … Returns the final path.
 */
export async function publishPartFile(realDir: string, partPath: string, name: string): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const candidate = join(realDir, n === 0 ? name : numberedName(name, n));
    await assertInside(realDir, candidate);
    try {
      // link() fails when the name exists, which rename() would silently replace.
      await link(partPath, candidate);
      await unlink(partPath);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
      // No hard links here (FAT, some network drives): reserve the name, then move over our reservation.
      const reserved = await open(candidate, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY).catch(
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'EEXIST') return undefined;
          throw e;
        },
      );
      if (!reserved) continue;
      await reserved.close();
      await rename(partPath, candidate);
      return candidate;
    }
  }
  throw new Error('No free file name left in the download folder.');
}

async function assertInside(realDir: string, path: string): Promise<void> {
  const parent = await realpath(dirname(path));
  if (parent !== realDir) throw new Error(`Refusing to write outside the download folder (${path}).`);
}
