// The room calls: host a room (with port forwarding when the settings ask for it), join one by
// its invite, and leave or stop hosting.
import { cancelledBy } from '../wire/errors';
import { RoomClient } from '../session/room-client';
import { startHosting } from '../session/hosted-session';
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
    // Each way into a room gets the slot's AbortSignal: leaving or quitting meanwhile aborts it, and
    // it closes what it opened instead of adopting it (checked last thing before adopt()).
    'room:host': async ({ name }) =>
      rooms.opened('hosting', async (signal) => {
        const { upnp, publicAddress } = await settings.load();
        const hosting = await startHosting({
          configDir,
          name,
          ...(publicAddress ? { publicAddresses: [publicAddress] } : {}),
          remember: (used) => settings.remember(used),
          ...(listenHost ? { listenHost } : {}),
          signal,
          portForwarding: upnp,
          fork: platform.forkUpnp,
        });
        const active = new ActiveRoom({ role: 'host', session: hosting.host, sink, hosting, onEnded: rooms.ended });
        // room:opened goes first; the warnings and the router's first answer follow it on the same channel.
        const view = rooms.adopt(active);
        for (const warning of hosting.warnings) sink('room:warning', warning);
        hosting.startPortMapping();
        return view;
      }),

    'room:join': async ({ invite, name }) => {
      rooms.ensureIdle();
      // No room-wide download folder: accept() passes the one chosen in settings at that moment.
      const client = RoomClient.create(invite, { name });
      return rooms.opened('joining', async (signal) => {
        // Listening before connect() keeps the history the host replays while we join.
        const active = new ActiveRoom({ role: 'guest', session: client, sink, onEnded: rooms.ended });
        try {
          await client.connect(signal);
          await settings.update({ displayName: client.me.name }).catch(() => {});
          // A leave during the save above: the room is left, not adopted, so the slot is free again.
          if (signal.aborted) throw cancelledBy(signal, 'Joining was cancelled.');
          return rooms.adopt(active);
        } catch (err) {
          await client.close();
          throw signal.aborted ? cancelledBy(signal, 'Joining was cancelled.') : err;
        }
      });
    },

    'room:leave': async () => {
      await rooms.leave();
      return null;
    },
  } satisfies Partial<CallHandlers>;
}
