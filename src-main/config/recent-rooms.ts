// Rooms this machine was in, so that leaving, a closed room or a restart keeps the conversation
// readable and a room can be rejoined (or, by its host, reopened) with one click. An index file
// (recent-rooms.json) lists them with each one's secret protected (recent-rooms-secret.ts); each
// room's recent lines are a file of its own (recent-rooms/KEY.json). Both 0600, written
// atomically, checked by zod on the way in, and bounded: the newest rooms, lines and bytes only.
import { createHash, randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PortholeError } from '../wire/errors';
import { nameSchema } from '../wire/protocol';
import { JsonStore } from './json-store';
import type { SecretProtector } from './recent-rooms-secret';

export const RECENT_ROOM_LIMITS = { rooms: 20, lines: 500, bytes: 1024 * 1024 } as const;

const keySchema = z.string().regex(/^[a-f0-9]{32}$/);
const hexHash = (text: string) => createHash('sha256').update(text).digest('hex');

const entrySchema = z.object({
  key: keySchema,
  role: z.enum(['host', 'guest']),
  /** Who hosts it, as last seen (the host's display name). */
  label: nameSchema,
  /** The name this machine used in it. */
  name: nameSchema,
  fingerprint: z.string().min(1).max(200),
  /** sha256 of the current secret: finds the entry again when the same room is joined or hosted. */
  secretHash: z.string().regex(/^[a-f0-9]{64}$/),
  /** The host's port, so a reopened room keeps its invite. */
  port: z.number().int().min(1).max(65535).optional(),
  lastUsed: z.number().int().nonnegative(),
  /** The invite (guest) or room secret (host), protected; absent when it could not be kept safely. */
  secret: z.object({ kind: z.enum(['os', 'file']), data: z.string().min(1).max(16_384) }).optional(),
});
export type RecentRoomEntry = z.infer<typeof entrySchema>;

// A damaged entry is dropped, not the whole list.
const indexSchema = z.object({
  rooms: z
    .array(z.unknown())
    .catch([])
    .default([])
    .transform((rooms) => rooms.flatMap((r) => (entrySchema.safeParse(r).success ? [entrySchema.parse(r)] : []))),
});

/** A recent room as the start screen lists it: never its secret. */
export interface RecentRoomSummary {
  key: string;
  role: 'host' | 'guest';
  label: string;
  name: string;
  lastUsed: number;
  /** Host: the port it listened on. */
  port?: number;
  /** Whether its secret was kept, so it can be rejoined (guest) or reopened (host) with one click. */
  canRejoin: boolean;
}

export interface RememberedRoom {
  role: 'host' | 'guest';
  label: string;
  name: string;
  fingerprint: string;
  /** The room secret (host) or the whole invite (guest). */
  secret: string;
  /** What identifies the room: the room secret, also for a guest (the invite's secret part). */
  roomSecret: string;
  port?: number | undefined;
}

interface Limits {
  rooms: number;
  lines: number;
  bytes: number;
}

export class RecentRooms<E extends { seq: number; ts: number; type: string }> {
  private readonly index: JsonStore<typeof indexSchema>;
  private readonly historySchema: z.ZodType<{ events: E[] }>;
  /** Writes one at a time, in the order asked, so a read-modify-write never loses another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    eventSchema: z.ZodType<E>,
    /**
     * How secrets are kept, asked at each use (a keychain may become available only once the app
     * is ready); undefined keeps none (rooms are listed and readable, not rejoinable).
     */
    private readonly protection: () => SecretProtector | undefined,
    private readonly limits: Limits = RECENT_ROOM_LIMITS,
  ) {
    this.index = new JsonStore(join(dir, 'recent-rooms.json'), indexSchema, 0o600);
    // A damaged line is dropped, not the whole history.
    this.historySchema = z.object({
      events: z
        .array(z.unknown())
        .catch([])
        .default([])
        .transform((events) => events.flatMap((e) => (eventSchema.safeParse(e).success ? [eventSchema.parse(e)] : []))),
    }) as unknown as z.ZodType<{ events: E[] }>;
  }

  /** The rooms, most recently used first. */
  async list(): Promise<RecentRoomSummary[]> {
    const rooms = await this.entries();
    const os = this.protection()?.kind === 'os';
    return rooms.map(({ key, role, label, name, lastUsed, port, secret }) => ({
      key,
      role,
      label,
      name,
      lastUsed,
      ...(port ? { port } : {}),
      canRejoin: secret !== undefined && (secret.kind === 'file' || os),
    }));
  }

  /** Notes that this machine is in a room now (new, or the same one again); returns its key. */
  remember(room: RememberedRoom, now = Date.now()): Promise<string> {
    return this.write(async () => {
      const rooms = await this.entries();
      const secretHash = hexHash(room.roomSecret);
      const protector = this.protection();
      const same = rooms.find((r) => r.role === room.role && r.fingerprint === room.fingerprint && r.secretHash === secretHash);
      const key = same?.key ?? hexHash(`${room.role}\n${room.fingerprint}\n${secretHash}\n${randomBytes(8).toString('hex')}`).slice(0, 32);
      const entry: RecentRoomEntry = {
        key,
        role: room.role,
        label: room.label,
        name: room.name,
        fingerprint: room.fingerprint,
        secretHash,
        ...(room.port ? { port: room.port } : {}),
        lastUsed: now,
        ...(protector ? { secret: { kind: protector.kind, data: protector.protect(room.secret) } } : {}),
      };
      const next = [entry, ...rooms.filter((r) => r.key !== key)];
      await this.saveIndex(next);
      return key;
    });
  }

  /** The host revoked its invite: the same room (same key and history) with its new secret. */
  changeSecret(key: string, roomSecret: string, secret = roomSecret): Promise<void> {
    return this.write(async () => {
      const rooms = await this.entries();
      const entry = rooms.find((r) => r.key === key);
      if (!entry) return;
      entry.secretHash = hexHash(roomSecret);
      const protector = this.protection();
      if (protector) entry.secret = { kind: protector.kind, data: protector.protect(secret) };
      else delete entry.secret;
      await this.saveIndex(rooms);
    });
  }

  /** A room and its secret, for a rejoin or a reopen. PortholeError('not-found') when it cannot be had. */
  async open(key: string): Promise<{ room: RecentRoomEntry; secret: string }> {
    const room = (await this.entries()).find((r) => r.key === key);
    if (!room) throw new PortholeError('not-found', 'That room is no longer in the recent rooms.');
    const kept = room.secret;
    const protector = this.protection();
    if (!kept || (kept.kind === 'os' && protector?.kind !== 'os')) {
      throw new PortholeError('not-found', 'The invite of that room was not kept on this machine. Ask for the invite again.');
    }
    try {
      return { room, secret: kept.kind === 'file' ? kept.data : protector!.reveal(kept.data) };
    } catch {
      throw new PortholeError('not-found', 'The invite of that room could not be read back on this machine. Ask for the invite again.');
    }
  }

  /** Its kept lines, oldest first; empty when none. */
  async history(key: string): Promise<E[]> {
    keySchema.parse(key);
    const { value } = await this.historyStore(key).load();
    return value.events;
  }

  /** Keeps a room's newest lines: at most `lines` of them, and at most `bytes` as a file. */
  saveHistory(key: string, events: readonly E[]): Promise<void> {
    return this.write(async () => {
      if (!(await this.entries()).some((r) => r.key === key)) return; // forgotten meanwhile
      await this.historyStore(key).save({ events: bounded(events, this.limits) });
    });
  }

  /** Removes a room and its lines. */
  forget(key: string): Promise<void> {
    keySchema.parse(key);
    return this.write(async () => {
      await this.saveIndex((await this.entries()).filter((r) => r.key !== key));
      await rm(this.historyPath(key), { force: true });
    });
  }

  private async entries(): Promise<RecentRoomEntry[]> {
    return (await this.index.load()).value.rooms.sort((a, b) => b.lastUsed - a.lastUsed);
  }

  /** Saves the newest `rooms`, and deletes the lines of any room that no longer fits. */
  private async saveIndex(rooms: RecentRoomEntry[]): Promise<void> {
    const kept = rooms.slice(0, this.limits.rooms);
    await this.index.save({ rooms: kept });
    const keys = new Set(kept.map((r) => r.key));
    const files = await readdir(join(this.dir, 'recent-rooms')).catch(() => [] as string[]);
    for (const file of files) {
      const key = file.replace(/\.json$/, '');
      if (keySchema.safeParse(key).success && !keys.has(key)) await rm(join(this.dir, 'recent-rooms', file), { force: true });
    }
  }

  private historyPath(key: string): string {
    return join(this.dir, 'recent-rooms', `${key}.json`);
  }

  private historyStore(key: string) {
    return new JsonStore(this.historyPath(key), this.historySchema, 0o600);
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    const done = this.queue.then(work);
    this.queue = done.catch(() => {});
    return done;
  }
}

/** The newest lines that fit both limits (bytes as the file is written, indented). */
export function bounded<E>(events: readonly E[], limits: { lines: number; bytes: number }): E[] {
  let kept = events.slice(-limits.lines);
  const fileBytes = (list: readonly E[]) => Buffer.byteLength(`${JSON.stringify({ events: list }, null, 2)}\n`);
  while (kept.length > 0 && fileBytes(kept) > limits.bytes) kept = kept.slice(Math.max(1, Math.floor(kept.length / 10)));
  return kept;
}
