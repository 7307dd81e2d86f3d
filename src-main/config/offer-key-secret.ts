import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** 32 random bytes, kept in the config folder, that files/2 offer keys are derived with. */
const FILE = 'offer-key.secret';
const BYTES = 32;

/**
 * This installation's secret for naming offers (PROTOCOL.md §11, `key`): the same unchanged
 * files offered again after a restart get the same key, so recipients resume what they kept,
 * while the key says nothing about the paths to anyone else. Created once (`0600`, exclusive, so
 * two processes starting together agree on one); a damaged file is replaced.
 */
export async function offerKeySecret(configDir: string): Promise<Buffer> {
  const path = join(configDir, FILE);
  const existing = await readFile(path).catch(() => undefined);
  if (existing?.length === BYTES) return existing;
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(BYTES);
  const flags = existing ? constants.O_WRONLY | constants.O_TRUNC : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  const handle = await open(path, flags, 0o600).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') return undefined; // another process made it just now: use theirs
    throw err;
  });
  if (!handle) return offerKeySecret(configDir);
  try {
    await handle.writeFile(secret);
  } finally {
    await handle.close();
  }
  return secret;
}
