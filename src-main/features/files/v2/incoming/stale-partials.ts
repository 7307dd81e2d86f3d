import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { STORE_NAME } from './kept-state';
import { PARTIAL_FOLDER, readKeptState } from './partial-store';

/** Kept data older than this is removed (PROTOCOL.md §11: after 7 days at the latest). */
export const KEPT_DATA_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A store folder without a readable state.json younger than this is left alone: a running
 * Porthole may have just made it and be writing its state.
 */
const UNFINISHED_GRACE_MS = 10 * 60 * 1000;

/**
 * Removes kept data that can no longer be resumed, at start: store folders whose state.json is
 * older than `maxAgeMs`, and broken ones (no state.json, unreadable, not what it should be, or
 * a link or file where a folder should be). Touches only entries named like a store inside the
 * download folder's `.porthole-partial`; never follows a symbolic link (a link there is removed
 * as a link). Returns how many it removed.
 */
export async function cleanStalePartials(downloadDir: string, maxAgeMs = KEPT_DATA_MAX_AGE_MS): Promise<number> {
  const root = join(downloadDir, PARTIAL_FOLDER);
  const rootStats = await lstat(root).catch(() => undefined);
  if (!rootStats?.isDirectory()) return 0;
  const now = Date.now();
  let removed = 0;
  for (const name of await readdir(root).catch(() => [])) {
    if (!STORE_NAME.test(name)) continue;
    const path = join(root, name);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats) continue;
    if (stats.isDirectory()) {
      const state = await readKeptState(path);
      const usable = state !== undefined && name === state.key;
      const stale = usable ? now - state.updatedAt > maxAgeMs : now - stats.mtimeMs > UNFINISHED_GRACE_MS;
      if (!stale) continue;
    }
    // rm removes a link itself, never what it points to.
    const gone = await rm(path, { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (gone) removed++;
  }
  return removed;
}
