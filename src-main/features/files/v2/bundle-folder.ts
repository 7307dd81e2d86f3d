import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { publishPartFile } from '../download-folder';
import { safeFileName } from '../safe-file-name';

/**
 * Where a received bundle lands (PROTOCOL.md §11): one new folder in the download folder, the
 * bundle's safe relative paths (safe-relative-path.ts) below it. Nothing existing is ever
 * overwritten, and every level is checked to really lie inside the bundle's folder, so a
 * symbolic link someone planted there cannot lead a write elsewhere.
 */

/** The most "name (n)" folders tried before giving up. */
const MAX_NUMBERED = 10_000;

/**
 * Creates the bundle's folder in `realDir` (a real path: symlinks resolved): safeFileName(name),
 * else "name (1)", "name (2)" … Never reuses an existing folder (mkdir is exclusive and not
 * recursive). Returns the folder's real path.
 */
export async function createBundleRoot(realDir: string, name: string): Promise<string> {
  const base = safeFileName(name);
  for (let n = 0; n < MAX_NUMBERED; n++) {
    // Not numberedName: a folder "Photos.2024" reads better as "Photos.2024 (1)" than "Photos (1).2024".
    const path = join(realDir, n === 0 ? base : `${base} (${n})`);
    try {
      await mkdir(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    const real = await realpath(path);
    if (dirname(real) !== realDir) throw outside(path);
    return real;
  }
  throw new Error(`No free folder name for "${base}" is left in the download folder.`);
}

/**
 * Makes the folder `components` below `root` (the real path createBundleRoot returned), one
 * level at a time. A level that already exists is used only when it is a real folder directly
 * inside the level above; a symbolic link, or anything resolving elsewhere, is refused.
 */
export async function placeFolder(root: string, components: string[]): Promise<void> {
  await enterFolders(root, components);
}

/**
 * Moves the finished data file `dataPath` to `components` below `root`, without overwriting
 * anything: a taken name gets a numbered one ("a (1).jpg"). The parent folders are made (and
 * checked) as by placeFolder. `dataPath` must be on the same file system. Returns the final path.
 */
export async function placeFile(root: string, components: string[], dataPath: string): Promise<string> {
  if (components.length === 0) throw new Error('A received file needs a name.');
  const name = checkedComponent(components[components.length - 1]!);
  const parent = await enterFolders(root, components.slice(0, -1));
  // publishPartFile links (or reserves, then renames) and checks the parent's real path again.
  return publishPartFile(parent, dataPath, name);
}

/** Makes and checks each level; returns the real path of the last. */
async function enterFolders(root: string, components: string[]): Promise<string> {
  // All checked before the first mkdir, so a bad list leaves nothing behind.
  for (const component of components) checkedComponent(component);
  let parent = root;
  for (const component of components) {
    const path = join(parent, component);
    try {
      await mkdir(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) throw outside(path);
    if (!stats.isDirectory()) throw new Error(`Cannot make the folder ${path}: a file of that name is in the way.`);
    const real = await realpath(path);
    if (dirname(real) !== parent) throw outside(path);
    parent = real;
  }
  return parent;
}

/** Components come from safeLayout; this only stops a caller's mistake from climbing out. */
function checkedComponent(component: string): string {
  if (component === '' || component === '.' || component === '..' || /[/\\\0]/.test(component)) {
    throw new Error(`"${component}" is not a safe name inside a received folder.`);
  }
  return component;
}

const outside = (path: string) => new Error(`Refusing to write outside the received folder (${path} leads elsewhere).`);
