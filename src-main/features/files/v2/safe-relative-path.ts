import { numberedName, safeFileName } from '../safe-file-name';
import type { Manifest } from './manifest';

/**
 * Makes a bundle's untrusted relative paths (PROTOCOL.md §11) safe to create below the bundle's
 * folder: no way up or out, no absolute paths or drive letters, every component through
 * safeFileName's rules (no control, bidi or zero-width characters, no device names, bounded
 * length), and no two entries landing on one name on a case-insensitive file system.
 */

/**
 * The safe components of one offered path, or undefined when the path is absolute (`/x`, `\x`,
 * `\\server\share`), starts with a drive letter (`C:`), or has no usable component left. `\` is
 * a separator too; empty, `.` and `..` components are dropped (so `a/../b` is `a/b`: nothing ever
 * climbs), as are components that would sanitise to nothing (only dots, spaces, invisibles).
 */
export function safeRelativePath(offered: string): string[] | undefined {
  if (isAbsolute(offered)) return undefined;
  const parts = usableParts(offered);
  return parts.length > 0 ? parts : undefined;
}

/** Every path of a manifest made safe, ready for bundle-folder.ts. */
export interface SafeLayout {
  /** In manifest order (files[i] is manifest.files[i]), each at a distinct name. */
  files: Array<{ components: string[]; size: number }>;
  /**
   * The folders to create: the leaves of the folder tree (placeFolder makes every level above a
   * leaf), covering the manifest's folders and every file's parent folders.
   */
  folders: string[][];
}

/**
 * Makes every path of a manifest safe and distinct. Names are compared as a case-insensitive
 * file system would (NFKC, lower case), so the layout is the same on every receiver:
 * - folders that compare equal are one folder (the first spelling wins), as they would be when
 *   created on macOS or Windows;
 * - a file whose name is taken (by an earlier file, or by a folder anywhere in the manifest: a
 *   folder that is needed always keeps its name) gets a numbered name, "a (1).jpg";
 * - a file whose path cannot be made safe (absolute, drive letter, nothing usable) is kept at the
 *   bundle's top under its whole path as one sanitised name ("/etc/passwd" → "_etc_passwd"),
 *   never dropped;
 * - a folder that is absolute is kept the same way; one with nothing usable ("", ".", "/") is
 *   the bundle's folder itself and needs nothing.
 */
export function safeLayout(manifest: Manifest): SafeLayout {
  const root = newFolder('');
  // Every folder goes in before any file, so a file never takes a name a folder needs.
  const fileParts = manifest.files.map((file) => safeRelativePath(file.path) ?? [safeFileName(file.path)]);
  for (const folder of manifest.folders) {
    const parts = usableParts(folder);
    if (parts.length > 0) enterFolder(root, isAbsolute(folder) ? [safeFileName(folder)] : parts);
  }
  for (const parts of fileParts) enterFolder(root, parts.slice(0, -1));

  const files = manifest.files.map((file, i) => {
    const parts = fileParts[i]!;
    const { node, names } = enterFolder(root, parts.slice(0, -1));
    return { components: [...names, claimFileName(node, parts[parts.length - 1]!)], size: file.size };
  });
  return { files, folders: leafFolders(root) };
}

interface FolderNode {
  name: string;
  /** What is in it, by comparison key: folders (FolderNode) and files (their chosen name). */
  entries: Map<string, FolderNode | string>;
  /** The next number worth trying for a taken file name, by the name's key (no quadratic search). */
  nextNumber: Map<string, number>;
}

const newFolder = (name: string): FolderNode => ({ name, entries: new Map(), nextNumber: new Map() });

/** How a case-insensitive, normalising file system would see a name. */
const keyOf = (name: string) => name.normalize('NFKC').toLowerCase();

/** Walks (and makes) the folders of `parts` below `root`; returns the last one and the names taken. */
function enterFolder(root: FolderNode, parts: string[]): { node: FolderNode; names: string[] } {
  let node = root;
  const names: string[] = [];
  for (const part of parts) {
    const key = keyOf(part);
    let next = node.entries.get(key);
    // Folders are all placed before files, so a name held here is never a file's.
    if (typeof next !== 'object') {
      next = newFolder(part);
      node.entries.set(key, next);
    }
    names.push(next.name);
    node = next;
  }
  return { node, names };
}

function claimFileName(folder: FolderNode, name: string): string {
  const key = keyOf(name);
  if (!folder.entries.has(key)) {
    folder.entries.set(key, name);
    return name;
  }
  for (let n = folder.nextNumber.get(key) ?? 1; ; n++) {
    const candidate = numberedName(name, n);
    const candidateKey = keyOf(candidate);
    if (folder.entries.has(candidateKey)) continue;
    folder.entries.set(candidateKey, candidate);
    folder.nextNumber.set(key, n + 1);
    return candidate;
  }
}

/** The folders with no folder inside, as component lists, in the order they were met. */
function leafFolders(root: FolderNode): string[][] {
  const leaves: string[][] = [];
  const stack: Array<{ node: FolderNode; path: string[] }> = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const children = [...node.entries.values()].filter((e): e is FolderNode => typeof e === 'object');
    if (children.length === 0 && path.length > 0) leaves.push(path);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, path: [...path, children[i]!.name] });
  }
  return leaves;
}

/** `/x`, `\x`, `\\server\share` and drive letters (`C:`, `C:x`). */
const isAbsolute = (path: string) => /^[/\\]/.test(path) || /^[A-Za-z]:/.test(path);

function usableParts(path: string): string[] {
  return path
    .split(/[/\\]/)
    .filter((part) => part !== '' && part !== '.' && part !== '..' && !sanitisesToNothing(part))
    .map(safeFileName);
}

/**
 * Whether safeFileName finds nothing to keep in `part` (only dots, spaces and invisible
 * characters): it would return its fallback "file" for it. Asked of safeFileName itself, with a
 * marker appended, so the two never disagree about which characters go.
 */
const sanitisesToNothing = (part: string) => safeFileName(`${part}x`) === 'x';
