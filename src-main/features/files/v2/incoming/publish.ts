import { publishPartFile } from '../../download-folder';
import { safeFileName } from '../../safe-file-name';
import { createBundleRoot, placeFile, placeFolder } from '../bundle-folder';
import type { Manifest } from '../manifest';
import { safeLayout } from '../safe-relative-path';
import type { PartialStore } from './partial-store';

/**
 * Moves every verified file of an offer from its kept data into the download folder `realDir`
 * (a real path, the one holding the store): one file under its safe name, never overwriting
 * ("name (1).ext"); a bundle under one new folder named after the offer, with the manifest's
 * paths made safe below it and its empty folders made too. Returns the file's or the folder's
 * path. The data files are moved, not copied: the store is on the same file system.
 */
export async function publishKept(realDir: string, store: PartialStore, name: string, manifest: Manifest | undefined): Promise<string> {
  if (!manifest) {
    await ensureData(store, 1);
    return publishPartFile(realDir, store.dataPath(1), safeFileName(name));
  }
  const layout = safeLayout(manifest);
  const root = await createBundleRoot(realDir, name);
  for (const folder of layout.folders) await placeFolder(root, folder);
  for (const [i, file] of layout.files.entries()) {
    if (file.size === 0) await ensureData(store, i + 1);
    await placeFile(root, file.components, store.dataPath(i + 1));
  }
  return root;
}

/** An empty file took no bytes of the data, so nothing made its data file yet. */
async function ensureData(store: PartialStore, index: number): Promise<void> {
  if ((await store.dataSize(index)) > 0) return;
  await (await store.openData(index, 0)).close();
}
