import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PortholeError } from '../../../wire/errors';
import { numberedName } from '../safe-file-name';
import { MAX_MANIFEST_BYTES, MAX_OFFER_FILES } from './files2-messages';
import { encodeManifest, MAX_COMPONENT_BYTES, MAX_MANIFEST_FOLDERS, MAX_PATH_BYTES, type Manifest, type ManifestFile } from './manifest';

/**
 * The sending side of a bundle (PROTOCOL.md §11): what the person named (files and folders)
 * turned into one offer's manifest and the files to read for it, in data order.
 */

/** A file to send: where to read it, and its size and modification time when scanned (to notice changes). */
export interface BundleSource {
  absPath: string;
  size: number;
  mtimeMs: number;
}

export interface ScannedBundle {
  /** The offer's name: the one folder's or file's name, else "<first name> and N more". */
  name: string;
  manifest: Manifest;
  /** sources[i] is read for manifest.files[i]. */
  sources: BundleSource[];
  /** Symbolic links met inside the named folders: never followed, not sent. */
  skippedLinks: number;
  /** Exactly one regular file was named: it is sent as itself (manifest 0), not as a bundle. */
  single: boolean;
}

/** Files whose lstat runs at once, so a folder of thousands neither crawls nor floods the thread pool. */
const STAT_BATCH = 64;

/**
 * Scans the named paths. A named path is followed if it is a link (the person chose it); inside
 * folders, symbolic links are never followed (skipped and counted) and other non-regular files
 * (FIFOs, sockets, devices) are skipped. Entries are listed in code-unit order of their names,
 * so the same unchanged files give the same manifest again. Folders with nothing to send inside
 * are listed in `folders` so they arrive too. Throws PortholeError('file-unreadable') with a
 * sentence naming the path when a path is missing or cannot be read, and when the bundle breaks
 * §11's limits.
 */
export async function scanBundle(paths: string[]): Promise<ScannedBundle> {
  if (paths.length === 0) throw new PortholeError('file-unreadable', 'Name at least one file or folder to send.');
  const named: Array<{ path: string; real: string; stats: Stats }> = [];
  for (const path of paths) named.push(await statNamed(path));

  const first = named[0]!;
  if (named.length === 1 && first.stats.isFile()) {
    const name = topName(first.path);
    return {
      name,
      manifest: { files: [{ path: name, size: first.stats.size }], folders: [] },
      sources: [{ absPath: first.real, size: first.stats.size, mtimeMs: first.stats.mtimeMs }],
      skippedLinks: 0,
      single: true,
    };
  }

  const scan = new Scan();
  const taken = new Set<string>();
  const names: string[] = [];
  for (const { path, real, stats } of named) {
    const name = uniqueName(topName(path), taken, stats.isDirectory());
    names.push(name);
    // One folder named: the bundle is that folder, its paths relative to it (the recipient saves
    // them under a folder of the offer's name). Several paths: each under its own name.
    if (stats.isDirectory()) await scan.folder(real, named.length === 1 ? '' : name, path);
    else scan.file(real, name, stats);
  }
  if (scan.files.length === 0) {
    throw new PortholeError('file-unreadable', `There is no file to send in ${quoted(paths)} (empty folders alone cannot be sent).`);
  }
  const manifest = { files: scan.files, folders: scan.folders };
  if (encodeManifest(manifest).length > MAX_MANIFEST_BYTES) {
    throw new PortholeError('file-unreadable', 'The list of these files is too long to send; send a zip of them instead.');
  }
  return {
    name: named.length === 1 ? names[0]! : `${names[0]} and ${named.length - 1} more`,
    manifest,
    sources: scan.sources,
    skippedLinks: scan.skippedLinks,
    single: false,
  };
}

/** The walk's findings, in data order. */
class Scan {
  readonly files: ManifestFile[] = [];
  readonly folders: string[] = [];
  readonly sources: BundleSource[] = [];
  skippedLinks = 0;

  file(absPath: string, path: string, stats: Stats): void {
    if (this.files.length >= MAX_OFFER_FILES) {
      throw new PortholeError('file-unreadable', 'That is more than 100,000 files; send a zip of it instead.');
    }
    checkPath(path, absPath);
    this.files.push({ path, size: stats.size });
    this.sources.push({ absPath, size: stats.size, mtimeMs: stats.mtimeMs });
  }

  /** Walks a folder; `path` is its manifest path, `shown` what to name in an error. */
  async folder(absPath: string, path: string, shown: string): Promise<void> {
    if (path !== '') checkPath(path, absPath);
    let entries: string[];
    try {
      entries = await readdir(absPath);
    } catch (err) {
      throw unreadable(shown, err);
    }
    entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const before = this.files.length + this.folders.length;
    for (let i = 0; i < entries.length; i += STAT_BATCH) {
      const batch = entries.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(batch.map((entry) => this.entryStats(join(absPath, entry))));
      for (const [j, entry] of batch.entries()) {
        const entryStats = stats[j];
        const entryPath = path === '' ? entry : `${path}/${entry}`;
        if (!entryStats) continue;
        if (entryStats.isSymbolicLink()) this.skippedLinks++;
        else if (entryStats.isDirectory()) await this.folder(join(absPath, entry), entryPath, join(shown, entry));
        else if (entryStats.isFile()) this.file(join(absPath, entry), entryPath, entryStats);
        // FIFOs, sockets and devices are not files to send.
      }
    }
    // Nothing below it will be in the manifest: list it, so it is created even so.
    if (this.files.length + this.folders.length === before && path !== '') {
      if (this.folders.length >= MAX_MANIFEST_FOLDERS) {
        throw new PortholeError('file-unreadable', 'That is more than 100,000 folders; send a zip of it instead.');
      }
      this.folders.push(path);
    }
  }

  /** lstat, never following a link; undefined when the entry went away meanwhile. */
  private async entryStats(absPath: string): Promise<Stats | undefined> {
    try {
      return await lstat(absPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unreadable(absPath, err);
    }
  }
}

/** A path the person named: followed if a link, and a file or a folder. */
async function statNamed(path: string): Promise<{ path: string; real: string; stats: Stats }> {
  const absolute = resolve(path);
  try {
    const real = await realpath(absolute);
    const stats = await stat(real);
    if (!stats.isFile() && !stats.isDirectory()) {
      throw new PortholeError('file-unreadable', `"${path}" is neither a file nor a folder, so it cannot be sent.`);
    }
    return { path: absolute, real, stats };
  } catch (err) {
    if (err instanceof PortholeError) throw err;
    throw unreadable(path, err);
  }
}

/** Its name as the person sees it (a link's own name, not its target's). */
const topName = (absolute: string) => basename(absolute) || 'files';

/** The named paths' top names must differ (also to a case-insensitive receiver): "photo (1).jpg". */
function uniqueName(name: string, taken: Set<string>, folder: boolean): string {
  const key = (n: string) => n.normalize('NFKC').toLowerCase();
  let candidate = name;
  for (let n = 1; taken.has(key(candidate)); n++) candidate = folder ? `${name} (${n})` : numberedName(name, n);
  taken.add(key(candidate));
  return candidate;
}

function checkPath(path: string, absPath: string): void {
  const tooLong = Buffer.byteLength(path) > MAX_PATH_BYTES || path.split('/').some((c) => Buffer.byteLength(c) > MAX_COMPONENT_BYTES);
  if (tooLong) throw new PortholeError('file-unreadable', `"${absPath}" lies too deep to send; send a zip of its folder instead.`);
}

/** Why a path could not be read, in words, by its error code. */
const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'it does not exist',
  EACCES: 'Porthole is not allowed to read it',
  EPERM: 'Porthole is not allowed to read it',
  ENAMETOOLONG: 'its path is too long; send a zip of its folder instead',
};

function unreadable(path: string, err: unknown): PortholeError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = (code && REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  return new PortholeError('file-unreadable', `Cannot send "${path}": ${why}.`);
}

const quoted = (paths: string[]) => paths.map((p) => `"${p}"`).join(', ');
