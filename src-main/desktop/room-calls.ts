// The room calls: host a room (with port forwarding when the settings ask for it), join one by
// its invite, and leave or stop hosting.
import { cancelledBy } from '../wire/errors';
import { RoomClient } from '../session/room-client';
import { offerKeySecret } from '../config/offer-key-secret';
import { startHosting } from '../session/hosted-session';
import { ActiveRoom } from './active-room';
import type { CallHandlers, DesktopPlatform, EventSink } from './desktop-platform';
import type { RoomSlot } from './room-slot';
import type { SettingsService } from './settings-service';
import type { RecentRoomsService } from './recent-rooms-calls';
import { PortholeError } from '../wire/errors';
import { ROOM_SIZE } from '../room/room-size';

export interface RoomCallsOptions {
  configDir: string;
  platform: DesktopPlatform;
  sink: EventSink;
  settings: SettingsService;
  rooms: RoomSlot;
  /** Where a hosted room listens; default every interface. Tests use loopback. */
  listenHost?: string | undefined;
  /** Remembers each room entered, and gives back a recent one's secret for a rejoin or reopen. */
  recent: RecentRoomsService;
}

export function roomCalls({ configDir, platform, sink, settings, rooms, listenHost, recent }: RoomCallsOptions) {
  /** The hosted session of the window's room; refused for a guest. */
  const hostedRoom = () => {
    const active = rooms.inRoom();
    if (!active.hosting) throw new PortholeError('not-allowed', 'Only the host can do that.');
    return { active, hosting: active.hosting };
  };
  return {
    // Each way into a room gets the slot's AbortSignal: leaving or quitting meanwhile aborts it, and
    // it closes what it opened instead of adopting it (checked last thing before adopt()).
    'room:host': async ({ name, recent: key }) =>
      rooms.opened('hosting', async (signal) => {
        const { upnp, publicAddress, relay } = await settings.load();
        // Reopening a recent room: its own secret and port, so the invite sent then works again.
        const reopen = key ? await recent.open(key, 'host') : undefined;
        const hosting = await startHosting({
          configDir,
          name,
          ...(reopen ? { secret: reopen.secret, port: reopen.room.port } : {}),
          ...(publicAddress ? { publicAddresses: [publicAddress] } : {}),
          remember: (used) => settings.remember(used),
          ...(listenHost ? { listenHost } : {}),
          signal,
          portForwarding: upnp,
          relay,
          fork: platform.forkUpnp,
        });
        // The Room size follows the settings while the room is open: lowering it removes nobody.
        const { host } = hosting;
        const unwatch = settings.watch(({ maxPeople }) => host.setMaxMembers(maxPeople ?? ROOM_SIZE.default));
        host.on('status', (status) => status.state === 'closed' && unwatch());
        const active = new ActiveRoom({ role: 'host', session: host, sink, hosting, onEnded: rooms.ended });
        // room:opened goes first; the warnings and the router's first answer follow it on the same channel.
        const view = rooms.adopt(active);
        recent.track(active, { invite: hosting.invite.current.invite, port: hosting.host.port, name: hosting.host.me.name });
        for (const warning of hosting.warnings) sink('room:warning', warning);
        hosting.startPortMapping();
        return view;
      }),

    'room:join': async ({ invite: typed, name, recent: key }) => {
      rooms.ensureIdle();
      const invite = key ? (await recent.open(key, 'guest')).secret : typed;
      // accept() passes the download folder chosen in settings at that moment; the one chosen now is
      // where kept data of interrupted transfers is looked for, and the key secret is the same every
      // start, so transfers resume after a restart (PROTOCOL.md §11).
      const client = RoomClient.create(invite, {
        name,
        transfers: { downloadDir: await settings.downloadDir(), keySecret: await offerKeySecret(configDir) },
      });
      return rooms.opened('joining', async (signal) => {
        // Listening before connect() keeps the history the host replays while we join.
        const active = new ActiveRoom({ role: 'guest', session: client, sink, onEnded: rooms.ended });
        try {
          await client.connect(signal);
          await settings.update({ displayName: client.me.name }).catch(() => {});
          // A leave during the save above: the room is left, not adopted, so the slot is free again.
          if (signal.aborted) throw cancelledBy(signal, 'Joining was cancelled.');
          const view = rooms.adopt(active);
          recent.track(active, { invite, name: client.me.name });
          return view;
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

    'room:remove': async ({ member, reason }) => {
      hostedRoom().hosting.host.remove(member, reason);
      return null;
    },

    'room:allow': async (name) => {
      hostedRoom().hosting.host.allow(name);
      return null;
    },

    'room:revoke-invite': async () => {
      const { active, hosting } = hostedRoom();
      const secret = await hosting.revokeInvite(); // pushes room:invite with the new invite too
      await recent.secretChanged(active, secret);
      return hosting.invite.current;
    },
  } satisfies Partial<CallHandlers>;
}
