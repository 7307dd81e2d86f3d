// The room calls: host a room (with port forwarding when the settings ask for it), join one by
// its invite, and leave or stop hosting.
import { createPortMapper } from '../nat/port-mapper';
import { PortholeError } from '../room/errors';
import { RoomClient } from '../room/room-client';
import { openHostRoom } from '../session/open-host-room';
import { ActiveRoom } from './active-room';
import type { CallHandlers, DesktopPlatform, EventSink } from './desktop-platform';
import type { RoomSlot } from './room-slot';
import type { SettingsService } from './settings-service';

export interface RoomCallsOptions {
  configDir: string;
  platform: DesktopPlatform;
  sink: EventSink;
  settings: SettingsService;
  rooms: RoomSlot;
  /** Where a hosted room listens; default every interface. Tests use loopback. */
  listenHost?: string | undefined;
}

export function roomCalls({ configDir, platform, sink, settings, rooms, listenHost }: RoomCallsOptions) {
  return {
    'room:host': async ({ name }) => {
      let cancelled = false;
      return rooms.opened(
        () => {
          cancelled = true;
        },
        async () => {
          const { upnp, publicAddress } = await settings.load();
          const opened = await openHostRoom({
            configDir,
            name,
            ...(publicAddress ? { publicAddresses: [publicAddress] } : {}),
            remember: (used) => settings.remember(used),
            ...(listenHost ? { listenHost } : {}),
          });
          if (cancelled) {
            await opened.host.close();
            throw new PortholeError('room-closed', 'Hosting was cancelled.');
          }
          const mapper = upnp
            ? createPortMapper({
                internalPort: opened.host.port,
                owner: opened.identity.fingerprint,
                ...(platform.forkUpnp ? { fork: platform.forkUpnp } : {}),
              })
            : undefined;
          const active = new ActiveRoom({ role: 'host', session: opened.host, sink, invite: opened.invite, mapper, onEnded: rooms.ended });
          const view = rooms.adopt(active);
          for (const warning of opened.warnings) sink('room:warning', warning);
          void mapper?.start();
          return view;
        },
      );
    },

    'room:join': async ({ invite, name }) => {
      rooms.ensureIdle();
      // No room-wide download folder: accept() passes the one chosen in settings at that moment.
      const client = RoomClient.create(invite, { name });
      let cancelled = false;
      const cancel = () => {
        cancelled = true;
        void client.close();
      };
      return rooms.opened(cancel, async () => {
        // Listening before connect() keeps the history the host replays while we join.
        const active = new ActiveRoom({ role: 'guest', session: client, sink, onEnded: rooms.ended });
        try {
          await client.connect();
          if (cancelled) throw new PortholeError('room-closed', 'Joining was cancelled.');
          await settings.update({ displayName: client.me.name }).catch(() => {});
          return rooms.adopt(active);
        } catch (err) {
          void client.close();
          if (cancelled) throw new PortholeError('room-closed', 'Joining was cancelled.');
          throw err;
        }
      });
    },

    'room:leave': async () => {
      await rooms.leave();
      return null;
    },
  } satisfies Partial<CallHandlers>;
}
