// The window's app-wide calls: the snapshot it draws from, the clipboard, and opening links.
import type { AppSnapshot } from '../../src-preload/contract';
import { PortholeError } from '../wire/errors';
import type { CallHandlers, DesktopPlatform } from './desktop-platform';
import { safeExternalUrl } from './external-link';
import type { RoomSlot } from './room-slot';
import { suggestedName, type SettingsService } from './settings-service';

export function appCalls({ settings, rooms, platform }: { settings: SettingsService; rooms: RoomSlot; platform: DesktopPlatform }) {
  return {
    'app:snapshot': async (): Promise<AppSnapshot> => {
      const view = await settings.view();
      // Read together, in one turn: the room, or the host or join on its way to one.
      const opening = rooms.opening();
      return { settings: view, room: rooms.view(), ...(opening ? { opening } : {}), suggestedName: suggestedName() };
    },
    'clipboard:write': async (text) => {
      platform.copyText(text);
      return null;
    },
    'app:set-badge': async (count) => {
      platform.setBadgeCount?.(count);
      return null;
    },
    'link:open': async (url) => {
      const safe = safeExternalUrl(url);
      if (!safe) throw new PortholeError('not-allowed', 'Only web links (http and https) can be opened.');
      await platform.openExternal(safe);
      return null;
    },
  } satisfies Partial<CallHandlers>;
}
