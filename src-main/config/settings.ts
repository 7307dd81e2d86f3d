import { join } from 'node:path';
import { z } from 'zod';
import { nameSchema } from '../wire/protocol';
import { JsonStore } from './json-store';
import { ROOM_SIZE } from '../room/room-size';

/** What a person chose and Porthole remembers between runs. */
export const settingsSchema = z.object({
  displayName: nameSchema.optional().catch(undefined),
  /** The port the host listens on; remembered so that invites stay valid across restarts. */
  port: z.number().int().min(0).max(65535).optional().catch(undefined),
  upnp: z.boolean().default(true).catch(true),
  downloadDir: z.string().min(1).optional().catch(undefined),
  /** An address forwarded by hand (HOST[:PORT]), added to every invite. */
  publicAddress: z.string().min(1).max(300).optional().catch(undefined),
  /** A relay the host joins (`relay://HOST:PORT/?id=…`), the person's own choice; none by default. */
  relay: z.string().min(1).max(1000).optional().catch(undefined),
  /**
   * How many people a room hosted here lets in, the host included. Absent (or damaged): the
   * current default, so a later Porthole with a new default applies it to whoever never chose.
   */
  maxPeople: z.number().int().min(ROOM_SIZE.min).max(ROOM_SIZE.max).optional().catch(undefined),
});
export type Settings = z.infer<typeof settingsSchema>;

/** The room secret is kept apart from settings, readable only by its owner. */
export const roomSecretSchema = z.object({
  secret: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional()
    .catch(undefined),
});

export const settingsStore = (dir: string) => new JsonStore(join(dir, 'settings.json'), settingsSchema, 0o644);
export const roomSecretStore = (dir: string) => new JsonStore(join(dir, 'room-secret.json'), roomSecretSchema, 0o600);

/**
 * Keeps choices for the next start of either role (the name a guest joined with, the host's name
 * and port), leaving the other settings as they are.
 */
export async function rememberChoices(dir: string, choices: Partial<Settings>): Promise<void> {
  const store = settingsStore(dir);
  await store.save({ ...(await store.load()).value, ...choices });
}
