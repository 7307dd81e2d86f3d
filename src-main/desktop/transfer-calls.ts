// The transfer calls: offer files (by path, or picked in the system dialog), answer and stop
// transfers, and show a received file in the file manager.
import type { OfferOutcome } from '../../src-preload/contract';
import { PortholeError, toAppError } from '../wire/errors';
import type { TransferView } from '../features/files/transfer-events';
import type { CallHandlers, DesktopPlatform } from './desktop-platform';
import type { RoomSlot } from './room-slot';
import type { SettingsService } from './settings-service';

export interface TransferCallsOptions {
  rooms: RoomSlot;
  settings: SettingsService;
  platform: DesktopPlatform;
  /** Files received in this run, by transfer id, so "Show in folder" works after the room has ended too. */
  saved: ReadonlyMap<string, string>;
}

export function transferCalls({ rooms, settings, platform, saved }: TransferCallsOptions) {
  /** The room's transfers, once `id` is known to be one of them. */
  const transfersWith = (id: string) => {
    const transfers = rooms.inRoom().session.transfers;
    known(transfers.list(), id);
    return transfers;
  };

  return {
    'transfer:offer-paths': async ({ paths, to }) => {
      rooms.inRoom();
      return Promise.all(paths.map((path) => offerPath(rooms, path, to)));
    },
    'transfer:choose-files': async ({ to }) => {
      rooms.inRoom();
      const paths = await platform.chooseFiles();
      return Promise.all(paths.map((path) => offerPath(rooms, path, to)));
    },
    'transfer:accept': async (id) => {
      const transfers = transfersWith(id);
      await transfers.accept(id, await settings.downloadDir());
      return null;
    },
    'transfer:decline': async (id) => {
      transfersWith(id).decline(id);
      return null;
    },
    'transfer:cancel': async (id) => {
      transfersWith(id).cancel(id);
      return null;
    },
    'transfer:show-in-folder': async (id) => {
      const path = saved.get(id);
      if (!path) throw new PortholeError('not-found', 'That file has not been saved, so there is nothing to show.');
      platform.showInFolder(path);
      return null;
    },
  } satisfies Partial<CallHandlers>;
}

/** Offers one file on disk to the room (or one member); a file that cannot be offered gets its error. */
export async function offerPath(rooms: RoomSlot, path: string, to: string | undefined): Promise<OfferOutcome> {
  const name = path.split(/[\\/]/).pop() ?? path;
  try {
    const transferId = await rooms.inRoom().session.transfers.offer(path, to ? { to } : {});
    return { name, transferId };
  } catch (err) {
    return { name, error: toAppError(err) };
  }
}

function known(list: TransferView[], id: string): void {
  if (!list.some((t) => t.id === id)) throw new PortholeError('not-found', 'That transfer is no longer in this room.');
}
