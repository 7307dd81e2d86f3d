// The transfer calls: offer files and folders as one item (by path, or picked in the system
// dialogs) to the room or to chosen people, answer, stop, retry and forget transfers, and show a
// received file in the file manager.
import { homedir } from 'node:os';
import type { OfferOutcome } from '../../src-preload/contract';
import { PortholeError } from '../wire/errors';
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
  /** Told the ids of transfers the person cleared (their staged uploads can go). */
  cleared?: ((ids: string[]) => void) | undefined;
}

export function transferCalls({ rooms, settings, platform, saved, cleared }: TransferCallsOptions) {
  /** The room's transfers, once `id` is known to be one of them. */
  const transfersWith = (id: string) => {
    const transfers = rooms.inRoom().session.transfers;
    known(transfers.list(), id);
    return transfers;
  };

  return {
    'transfer:offer-paths': ({ paths, to }) => offerPaths(rooms, paths, to),
    'transfer:choose-files': async ({ to }) => {
      recipientsIn(rooms, to);
      const paths = await platform.chooseFiles();
      return paths.length === 0 ? null : offerPaths(rooms, paths, to);
    },
    'transfer:choose-folder': async ({ to }) => {
      recipientsIn(rooms, to);
      const folder = await platform.chooseFolder(homedir(), 'send');
      return folder === undefined ? null : offerPaths(rooms, [folder], to);
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
    'transfer:retry': async (id) => {
      const transfers = rooms.inRoom().session.transfers;
      const view = transfers.list().find((t) => t.id === id);
      if (!view) throw new PortholeError('not-found', 'That transfer is no longer in this room.');
      if (!view.retryable) throw new PortholeError('not-allowed', `${view.fileName} cannot be tried again now.`);
      await transfers.retry(id);
      return null;
    },
    'transfer:clear-finished': async () => {
      const ids = rooms.inRoom().session.transfers.clearFinished();
      cleared?.(ids); // their staged uploads are not needed any more
      return ids;
    },
    'transfer:show-in-folder': async (id) => {
      const path = saved.get(id);
      if (!path) throw new PortholeError('not-found', 'That file has not been saved, so there is nothing to show.');
      platform.showInFolder(path);
      return null;
    },
  } satisfies Partial<CallHandlers>;
}

/**
 * Offers files and folders on disk as ONE item, to the room or to the members `to` names. A
 * recipient who is not in the room (any more) is refused with a sentence before anything is read.
 */
export async function offerPaths(rooms: RoomSlot, paths: string[], to: string[] | undefined): Promise<OfferOutcome> {
  const recipients = recipientsIn(rooms, to);
  const transferId = await rooms.inRoom().session.transfers.offer(paths, recipients ? { to: recipients } : {});
  return { transferId };
}

/** The member ids an offer is for, checked against who is in the room now; undefined: the whole room. */
function recipientsIn(rooms: RoomSlot, to: string[] | undefined): string[] | undefined {
  const { session } = rooms.inRoom();
  if (!to || to.length === 0) return undefined;
  const here = new Map(session.members().map((m) => [m.id, m]));
  for (const id of to) {
    if (id === session.me.id) throw new PortholeError('not-allowed', 'You cannot send files to yourself; choose someone else.');
    if (!here.has(id)) throw new PortholeError('not-found', 'Someone you chose is no longer in the room. Choose again.');
  }
  return [...new Set(to)];
}

function known(list: TransferView[], id: string): void {
  if (!list.some((t) => t.id === id)) throw new PortholeError('not-found', 'That transfer is no longer in this room.');
}
