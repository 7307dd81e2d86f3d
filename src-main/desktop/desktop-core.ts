import { appCalls } from './app-calls';
import { chatCalls } from './chat-calls';
import { featureWindowCalls } from './feature-windows';
import type { CallHandlers, DesktopPlatform, EventSink } from './desktop-platform';
import { InviteInbox } from './invite-inbox';
import { roomCalls } from './room-calls';
import { RecentRoomsService, recentRoomsCalls } from './recent-rooms-calls';
import { RoomSlot } from './room-slot';
import { SettingsService } from './settings-service';
import { settingsCalls } from './settings-calls';
import { transferCalls } from './transfer-calls';
import { uploadCalls } from './upload-calls';
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
  /**
   * Cancels a host or join on its way (through the slot's AbortSignal, down to its socket), leaves
   * or closes the room with close frames, unmaps the port, removes partial and staged files.
   */
  shutdown(): Promise<void>;
  /**
   * A porthole:// link opened from outside: when it is an invite, the Join form shows it
   * (`app:open-invite`, or the next snapshot's `openInvite`); anything else is ignored and logged.
   */
  openInvite(link: string): boolean;
  /**
   * What quitting now would stop, as the question to ask first ("Stop hosting and quit?" with what
   * is lost), or undefined when nothing would be (no room hosted, no transfer running).
   */
  quitQuestion(): QuitQuestion | undefined;
}

/** The confirmation quitting needs: a question and what it would end. */
export interface QuitQuestion {
  message: string;
  detail: string;
}

/** Builds the main-side logic of one window. */
export function createDesktopCore(options: DesktopCoreOptions): DesktopCore {
  const { configDir, platform, sink, listenHost } = options;
  const settings = new SettingsService(configDir, (view) => sink('settings:changed', view));
  const staging = new UploadStaging();
  const recent = new RecentRoomsService(configDir, platform);
  /** Files received in this run, so "Show in folder" works after the room has ended too. */
  const saved = new Map<string, string>();
  const rooms = new RoomSlot({
    adopted: (room) =>
      room.session.transfers.on('update', (view) => {
        if (view.savedPath) saved.set(view.id, view.savedPath);
        if (view.was) staging.renamed(view.was, view.id);
      }),
    ended: (room) => {
      void staging.clear();
      void recent.ended(room);
    },
    openFailed: (error) => sink('room:open-failed', { error }),
  });

  const invites = new InviteInbox(sink);
  const app = appCalls({ settings, rooms, platform });

  // One module per feature; a call missing from all of them does not compile.
  const handlers: CallHandlers = {
    ...app,
    // The snapshot also hands over an invite a link opened before the window listened.
    'app:snapshot': async () => {
      const openInvite = invites.take();
      return { ...(await app['app:snapshot']()), ...(openInvite ? { openInvite } : {}) };
    },
    ...settingsCalls({ settings, platform }),
    ...roomCalls({ configDir, platform, sink, settings, rooms, listenHost, recent }),
    ...recentRoomsCalls({ recent }),
    ...chatCalls({ rooms }),
    ...featureWindowCalls({ sides: () => rooms.inRoom().session.sides }),
    ...transferCalls({ rooms, settings, platform, saved, cleared: (ids) => ids.forEach((id) => void staging.remove(id)) }),
    ...uploadCalls({ rooms, staging }),
  };

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      await rooms.shutDown();
      await recent.flush(); // the last lines of the room just left
      await staging.clear();
    })();
    return stopping;
  };
  const quitQuestion = (): QuitQuestion | undefined => {
    const view = rooms.view();
    if (!view) return undefined;
    // Moving files only: an offer nobody answered yet loses nothing.
    const running = view.transfers.filter((t) => t.state === 'sending' || t.state === 'receiving').length;
    const files = running === 1 ? 'A file transfer is still running; it stops.' : `${running} file transfers are still running; they stop.`;
    if (view.role === 'host') {
      const others = view.members.length - 1;
      const people =
        others === 1 ? 'The one person in it is disconnected.' : others > 1 ? `The ${others} people in it are disconnected.` : '';
      return {
        message: 'Stop hosting and quit?',
        detail: [`Quitting closes the room for everyone.`, people, running > 0 ? files : ''].filter(Boolean).join(' '),
      };
    }
    if (running === 0) return undefined;
    return { message: 'Quit while files are moving?', detail: files };
  };
  return { handlers, shutdown, openInvite: (link) => invites.open(link), quitQuestion };
}
