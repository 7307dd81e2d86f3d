// The upload calls: a dropped file with no path on disk arrives in pieces, is staged, and is then
// offered like a file on disk.
import type { CallHandlers } from './desktop-platform';
import type { RoomSlot } from './room-slot';
import { offerPath } from './transfer-calls';
import type { UploadStaging } from './upload-staging';

export function uploadCalls({ rooms, staging }: { rooms: RoomSlot; staging: UploadStaging }) {
  return {
    'upload:begin': async ({ name, size, to }) => {
      rooms.inRoom();
      return { uploadId: await staging.begin(name, size, to) };
    },
    'upload:chunk': async ({ uploadId, offset, bytes }) => {
      await staging.chunk(uploadId, offset, bytes);
      return null;
    },
    'upload:finish': async ({ uploadId }) => {
      const { path, to } = await staging.finish(uploadId);
      const outcome = await offerPath(rooms, path, to);
      if (outcome.transferId) staging.offered(uploadId, outcome.transferId);
      else await staging.remove(uploadId);
      return outcome;
    },
    'upload:abort': async ({ uploadId }) => {
      await staging.abort(uploadId);
      return null;
    },
  } satisfies Partial<CallHandlers>;
}
