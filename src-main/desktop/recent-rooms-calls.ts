// Recent rooms in the window: each room the window is in is remembered with its secret protected
// (safeStorage through the platform) and its lines kept as they come, so the start screen lists
// it, shows what was said, rejoins or reopens it with one click (room:join / room:host with
// `recent`), and forgets it.
import { z } from 'zod';
import { chatEventSchema } from '../features/chat/chat-messages';
import { joinedEventSchema, leftEventSchema } from '../wire/protocol';
import { parseInvite } from '../link/invite';
import { PortholeError } from '../wire/errors';
import { RecentRooms, type RecentRoomEntry } from '../config/recent-rooms';
import { osProtector } from '../config/recent-rooms-secret';
import type { RoomEvent } from '../session/room-session';
import type { ActiveRoom } from './active-room';
import type { CallHandlers, DesktopPlatform } from './desktop-platform';

const roomEventSchema = z.union([chatEventSchema, joinedEventSchema, leftEventSchema]) as unknown as z.ZodType<RoomEvent>;

/** How long new lines wait before they are written (a burst of lines is one write). */
const SAVE_DELAY_MS = 300;

const sameEvent = (a: RoomEvent, b: RoomEvent) => a.seq === b.seq && a.ts === b.ts && a.type === b.type;

/** One room being recorded: its key, its lines, and a pending write. */
interface Recording {
  key: Promise<string>;
  events: RoomEvent[];
  timer: NodeJS.Timeout | undefined;
  saving: Promise<void>;
}

export class RecentRoomsService {
  readonly store: RecentRooms<RoomEvent>;
  private readonly recordings = new Map<ActiveRoom, Recording>();
  /** Last writes of rooms that ended, for flush(). */
  private readonly finalSaves = new Set<Promise<void>>();

  constructor(configDir: string, platform: Pick<DesktopPlatform, 'secretStorage'>) {
    // No keychain (safeStorage unavailable): rooms are kept and readable, but no invite is.
    this.store = new RecentRooms(configDir, roomEventSchema, () => osProtector(platform.secretStorage));
  }

  /** A room to rejoin or reopen by its key: its entry and secret, checked to be of that role. */
  async open(key: string, role: 'host' | 'guest'): Promise<{ room: RecentRoomEntry; secret: string }> {
    const opened = await this.store.open(key);
    if (opened.room.role !== role) {
      throw new PortholeError(
        'invalid-request',
        role === 'host' ? 'That room was hosted by someone else.' : 'That room is your own: host it.',
      );
    }
    return opened;
  }

  /** Starts recording a room the window just entered, under its stable identity. */
  track(active: ActiveRoom, room: { invite: string; roomSecret?: string; port?: number | undefined; name: string }): void {
    const { session } = active;
    const invite = parseInvite(room.invite);
    const host = session.members().find((m) => m.host);
    const key = this.store
      .remember({
        role: active.role,
        label: host?.name ?? session.me.name,
        name: session.me.name,
        fingerprint: invite.fingerprint,
        secret: active.role === 'host' ? invite.secret : room.invite,
        roomSecret: invite.secret,
        port: room.port,
      })
      .catch(() => '');
    const recording: Recording = { key, events: [], timer: undefined, saving: Promise.resolve() };
    this.recordings.set(active, recording);
    // What was said here before (an earlier visit) comes first; the room's replay is not kept twice.
    void key.then(async (k) => {
      if (!k) return;
      const earlier = await this.store.history(k).catch(() => []);
      recording.events = [...earlier, ...recording.events.filter((e) => !earlier.some((old) => sameEvent(old, e)))];
      this.scheduleSave(recording);
    });
    const seen = [...active.view().events];
    for (const event of seen) this.add(recording, event);
    session.on('room-event', (event) => this.add(recording, event));
  }

  /** The host revoked its invite: the recent room keeps its history and gets the new secret. */
  async secretChanged(active: ActiveRoom, secret: string): Promise<void> {
    const key = await this.recordings.get(active)?.key;
    if (key) await this.store.changeSecret(key, secret);
  }

  /** The room ended: its last lines are written now. */
  async ended(active: ActiveRoom): Promise<void> {
    const recording = this.recordings.get(active);
    if (!recording) return;
    this.recordings.delete(active);
    clearTimeout(recording.timer);
    const saved = this.save(recording);
    this.finalSaves.add(saved);
    await saved.finally(() => this.finalSaves.delete(saved));
  }

  /** Writes whatever is pending (quitting). */
  async flush(): Promise<void> {
    await Promise.all([...this.recordings.keys()].map((active) => this.ended(active)));
    await Promise.all([...this.finalSaves]);
  }

  private add(recording: Recording, event: RoomEvent): void {
    if (recording.events.some((e) => sameEvent(e, event))) return;
    recording.events.push(event);
    this.scheduleSave(recording);
  }

  private scheduleSave(recording: Recording): void {
    if (recording.timer) return;
    recording.timer = setTimeout(() => {
      recording.timer = undefined;
      void this.save(recording);
    }, SAVE_DELAY_MS);
  }

  private save(recording: Recording): Promise<void> {
    recording.saving = recording.saving.then(async () => {
      const key = await recording.key;
      // Bounded in memory too: the store keeps only the newest lines anyway.
      if (recording.events.length > 2000) recording.events = recording.events.slice(-1000);
      if (key) await this.store.saveHistory(key, recording.events).catch(() => {});
    });
    return recording.saving;
  }
}

/** The start screen's recent rooms: the list, one room's lines, forgetting one. */
export function recentRoomsCalls({ recent }: { recent: RecentRoomsService }) {
  return {
    'rooms:recent': async () => recent.store.list(),
    'rooms:history': async (key) => recent.store.history(key),
    'rooms:forget': async (key) => {
      await recent.store.forget(key);
      return null;
    },
  } satisfies Partial<CallHandlers>;
}
