// The window's main-side logic, free of electron: one handler per IPC call, the room in
// progress, settings, and the ordered shutdown. src-main/app wires it to Electron.
import type { AppSnapshot, OfferOutcome, RoomView } from '../../src-preload/contract';
import { createPortMapper } from '../nat/port-mapper';
import { PortholeError, toAppError } from '../room/errors';
import { RoomClient } from '../room/room-client';
import { openHostRoom } from '../session/open-host-room';
import { isFinalState, type TransferView } from '../transfer/transfer-events';
import { ActiveRoom } from './active-room';
import type { CallHandlers, DesktopPlatform, EventSink } from './desktop-platform';
import { safeExternalUrl } from './external-link';
import { SettingsService, suggestedName } from './settings-service';
import { UploadStaging } from './upload-staging';

export interface DesktopCoreOptions {
  configDir: string;
  platform: DesktopPlatform;
  sink: EventSink;
  /** Where a hosted room listens; default every interface. Tests use loopback. */
  listenHost?: string;
}

export interface DesktopCore {
  handlers: CallHandlers;
  /** Leaves or closes the room with close frames, unmaps the port, removes partial and staged files. */
  shutdown(): Promise<void>;
}

/** Builds the main-side logic of one window. */
export function createDesktopCore(options: DesktopCoreOptions): DesktopCore {
  const { platform, sink } = options;
  const settings = new SettingsService(options.configDir, (view) => sink('settings:changed', view));
  const staging = new UploadStaging();
  /** Files received in this run, so "Show in folder" works after the room has ended too. */
  const saved = new Map<string, string>();
  let room: ActiveRoom | undefined;
  /** A host or join in progress; a second one is refused, and leave() cancels it. */
  let opening: { cancel: () => void } | undefined;

  const inRoom = (): ActiveRoom => {
    if (!room) throw new PortholeError('not-connected', 'You are not in a room. Host one or join one first.');
    return room;
  };
  const ensureIdle = () => {
    if (room || opening) throw new PortholeError('busy', 'You are already in a room. Leave it before hosting or joining another.');
  };
  const onTransfer = (view: TransferView) => {
    if (view.savedPath) saved.set(view.id, view.savedPath);
    if (isFinalState(view.state)) void staging.remove(view.id);
  };
  const adopt = (active: ActiveRoom): RoomView => {
    room = active;
    active.session.transfers.on('update', onTransfer);
    return active.goLive();
  };
  const onEnded = (ended: ActiveRoom) => {
    if (room === ended) room = undefined;
    void staging.clear();
  };

  const offerPath = async (path: string, to: string | undefined): Promise<OfferOutcome> => {
    const name = path.split(/[\\/]/).pop() ?? path;
    try {
      const transferId = await inRoom().session.transfers.offer(path, to ? { to } : {});
      return { name, transferId };
    } catch (err) {
      return { name, error: toAppError(err) };
    }
  };

  const handlers: CallHandlers = {
    'app:snapshot': async (): Promise<AppSnapshot> => ({ settings: await settings.view(), room: room?.view() ?? null, suggestedName: suggestedName() }),
    'settings:update': (patch) => settings.update(patch),
    'settings:choose-download-folder': async () => {
      const chosen = await platform.chooseFolder(await settings.downloadDir());
      return chosen ? settings.setDownloadDir(chosen) : settings.view();
    },
    'settings:reset-download-folder': () => settings.setDownloadDir(undefined),

    'room:host': async ({ name }) => {
      ensureIdle();
      let cancelled = false;
      opening = { cancel: () => { cancelled = true; } };
      try {
        const { upnp, publicAddress } = await settings.load();
        const opened = await openHostRoom({
          configDir: options.configDir,
          name,
          ...(publicAddress ? { publicAddresses: [publicAddress] } : {}),
          remember: (used) => settings.remember(used),
          ...(options.listenHost ? { listenHost: options.listenHost } : {}),
        });
        if (cancelled) {
          await opened.host.close();
          throw new PortholeError('room-closed', 'Hosting was cancelled.');
        }
        const mapper = upnp
          ? createPortMapper({ internalPort: opened.host.port, owner: opened.identity.fingerprint, ...(platform.forkUpnp ? { fork: platform.forkUpnp } : {}) })
          : undefined;
        const active = new ActiveRoom({ role: 'host', session: opened.host, sink, invite: opened.invite, mapper, onEnded });
        const view = adopt(active);
        for (const warning of opened.warnings) sink('room:warning', warning);
        void mapper?.start();
        return view;
      } finally {
        opening = undefined;
      }
    },

    'room:join': async ({ invite, name }) => {
      ensureIdle();
      // No room-wide download folder: accept() passes the one chosen in settings at that moment.
      const client = RoomClient.create(invite, { name });
      let cancelled = false;
      opening = { cancel: () => { cancelled = true; void client.close(); } };
      // Listening before connect() keeps the history the host replays while we join.
      const active = new ActiveRoom({ role: 'guest', session: client, sink, onEnded });
      try {
        await client.connect();
        if (cancelled) throw new PortholeError('room-closed', 'Joining was cancelled.');
        await settings.update({ displayName: client.me.name }).catch(() => {});
        return adopt(active);
      } catch (err) {
        void client.close();
        if (cancelled) throw new PortholeError('room-closed', 'Joining was cancelled.');
        throw err;
      } finally {
        opening = undefined;
      }
    },

    'room:leave': async () => {
      opening?.cancel();
      await room?.close();
      return null;
    },

    'chat:send': async (text) => ({ id: inRoom().session.send(text) }),

    'transfer:offer-paths': async ({ paths, to }) => {
      inRoom();
      return Promise.all(paths.map((path) => offerPath(path, to)));
    },
    'transfer:choose-files': async ({ to }) => {
      inRoom();
      const paths = await platform.chooseFiles();
      return Promise.all(paths.map((path) => offerPath(path, to)));
    },

    'upload:begin': async ({ name, size, to }) => {
      inRoom();
      return { uploadId: await staging.begin(name, size, to) };
    },
    'upload:chunk': async ({ uploadId, offset, bytes }) => {
      await staging.chunk(uploadId, offset, bytes);
      return null;
    },
    'upload:finish': async ({ uploadId }) => {
      const { path, to } = await staging.finish(uploadId);
      const outcome = await offerPath(path, to);
      if (outcome.transferId) staging.offered(uploadId, outcome.transferId);
      else await staging.remove(uploadId);
      return outcome;
    },
    'upload:abort': async ({ uploadId }) => {
      await staging.abort(uploadId);
      return null;
    },

    'transfer:accept': async (id) => {
      const transfers = inRoom().session.transfers;
      known(transfers.list(), id);
      await transfers.accept(id, await settings.downloadDir());
      return null;
    },
    'transfer:decline': async (id) => {
      const transfers = inRoom().session.transfers;
      known(transfers.list(), id);
      transfers.decline(id);
      return null;
    },
    'transfer:cancel': async (id) => {
      const transfers = inRoom().session.transfers;
      known(transfers.list(), id);
      transfers.cancel(id);
      return null;
    },
    'transfer:show-in-folder': async (id) => {
      const path = saved.get(id);
      if (!path) throw new PortholeError('not-found', 'That file has not been saved, so there is nothing to show.');
      platform.showInFolder(path);
      return null;
    },

    'clipboard:write': async (text) => {
      platform.copyText(text);
      return null;
    },
    'link:open': async (url) => {
      const safe = safeExternalUrl(url);
      if (!safe) throw new PortholeError('not-allowed', 'Only web links (http and https) can be opened.');
      await platform.openExternal(safe);
      return null;
    },
  };

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      opening?.cancel();
      await room?.close();
      await staging.clear();
    })();
    return stopping;
  };
  return { handlers, shutdown };
}

function known(list: TransferView[], id: string): void {
  if (!list.some((t) => t.id === id)) throw new PortholeError('not-found', 'That transfer is no longer in this room.');
}
