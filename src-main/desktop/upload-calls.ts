// The upload calls: dropped files with no path on disk arrive in pieces and are staged (kept
// aside, not offered yet); `upload:offer` then offers the staged files and any files on disk as
// one item, like files on disk.
import { PortholeError } from '../wire/errors';
import type { CallHandlers } from './desktop-platform';
import type { RoomSlot } from './room-slot';
import { offerPaths } from './transfer-calls';
import type { UploadStaging } from './upload-staging';

/** Finished uploads kept aside at once, waiting to be offered; more are refused (a window that never offers them cannot fill the disk's index). */
export const MAX_WAITING_UPLOADS = 1000;

export function uploadCalls({ rooms, staging }: { rooms: RoomSlot; staging: UploadStaging }) {
  /** Finished uploads not offered yet: upload id → staged path. */
  const waiting = new Map<string, string>();

  const drop = async (uploadId: string) => {
    waiting.delete(uploadId);
    await staging.abort(uploadId);
    await staging.remove(uploadId);
  };

  return {
    'upload:begin': async ({ name, size }) => {
      rooms.inRoom();
      if (waiting.size >= MAX_WAITING_UPLOADS)
        throw new PortholeError('busy', 'Too many files are waiting to be sent; send or drop them first.');
      return { uploadId: await staging.begin(name, size) };
    },
    'upload:chunk': async ({ uploadId, offset, bytes }) => {
      await staging.chunk(uploadId, offset, bytes);
      return null;
    },
    'upload:finish': async ({ uploadId }) => {
      const { path } = await staging.finish(uploadId);
      waiting.set(uploadId, path);
      return null;
    },
    'upload:abort': async ({ uploadId }) => {
      await drop(uploadId);
      return null;
    },
    'upload:offer': async ({ uploadIds, paths, to }) => {
      const staged = uploadIds.map((uploadId) => {
        const path = waiting.get(uploadId);
        if (path === undefined) throw new PortholeError('not-found', 'A dropped file is no longer waiting to be sent; drop it again.');
        return path;
      });
      try {
        const outcome = await offerPaths(rooms, [...staged, ...paths], to);
        // The staged copies go once the transfer is over (desktop-core: staging.remove(transfer id)).
        for (const uploadId of uploadIds) {
          waiting.delete(uploadId);
          staging.offered(uploadId, outcome.transferId);
        }
        return outcome;
      } catch (err) {
        await Promise.all(uploadIds.map(drop));
        throw err;
      }
    },
  } satisfies Partial<CallHandlers>;
}
