import { z } from 'zod';
import { PortholeError } from '../../../wire/errors';
import { MAX_MANIFEST_BYTES, MAX_OFFER_FILES } from './files2-messages';

/**
 * A bundle's manifest (PROTOCOL.md §11): the first bytes of a bundle offer's data, UTF-8 JSON
 * listing its files in data order and the folders to create even when empty. Paths are as the
 * sender wrote them: '/'-separated and relative, untrusted on the receiving side until
 * safe-relative-path.ts has made them safe.
 */

export interface ManifestFile {
  /** '/'-separated relative path as the sender wrote it. */
  path: string;
  size: number;
}

export interface Manifest {
  files: ManifestFile[];
  folders: string[];
}

/** Most folders one manifest may list. */
export const MAX_MANIFEST_FOLDERS = 100_000;
/** A manifest path's longest UTF-8 form. */
export const MAX_PATH_BYTES = 4096;
/** A path component's longest UTF-8 form (what common file systems allow). */
export const MAX_COMPONENT_BYTES = 255;

/** The manifest as the sender sends it: `{"files":[{"path":…,"size":…},…],"folders":[…]}`. */
export function encodeManifest(m: Manifest): Buffer {
  const files = m.files.map((f) => ({ path: f.path, size: f.size }));
  return Buffer.from(JSON.stringify({ files, folders: m.folders }), 'utf8');
}

const pathSchema = z.string().refine(fitsPathLimits, {
  message: `a path must be 1–${MAX_PATH_BYTES} bytes and each of its parts at most ${MAX_COMPONENT_BYTES} bytes`,
});
const manifestSchema = z.strictObject({
  files: z
    .array(z.strictObject({ path: pathSchema, size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }))
    .min(1)
    .max(MAX_OFFER_FILES),
  folders: z.array(pathSchema).max(MAX_MANIFEST_FOLDERS),
});

/**
 * Reads a manifest a peer sent and checks it against the offer it came with: well-formed UTF-8
 * JSON of the right shape, within §11's limits, listing exactly `expect.files` files whose sizes
 * add up to `expect.bytes`. Throws PortholeError('invalid-message') with a sentence saying what
 * is wrong (ErrorCode has no 'bad-data'; the recipient ends its part with the reason `bad-data`).
 * The paths are not made safe here (safeLayout does that).
 */
export function decodeManifest(bytes: Buffer, expect: { files: number; bytes: number }): Manifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw bad(`it is larger than ${MAX_MANIFEST_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad('it is not UTF-8 JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(issue ? `${issue.path.join('.') || 'the list'}: ${issue.message}` : 'it has the wrong shape');
  }
  const { files, folders } = parsed.data;
  if (files.length !== expect.files) {
    throw bad(`it lists ${files.length} files where the offer said ${expect.files}`);
  }
  let total = 0;
  for (const file of files) {
    total += file.size;
    // Stop before the sum could pass Number.MAX_SAFE_INTEGER and lose precision.
    if (total > expect.bytes) break;
  }
  if (total !== expect.bytes) throw bad(`its file sizes do not add up to the offer's ${expect.bytes} bytes`);
  return { files, folders };
}

/**
 * §11's lengths. Empty components ("a//b", "/etc") are let through on purpose: §11 has the
 * receiver drop them and refuse absolute paths when it makes paths safe, which keeps the rest of
 * a sloppy sender's bundle instead of refusing all of it.
 */
function fitsPathLimits(path: string): boolean {
  const bytes = Buffer.byteLength(path);
  if (bytes < 1 || bytes > MAX_PATH_BYTES) return false;
  return path.split('/').every((part) => Buffer.byteLength(part) <= MAX_COMPONENT_BYTES);
}

function bad(why: string): PortholeError {
  return new PortholeError('invalid-message', `The sender's list of files could not be used (${why}), so this offer cannot be saved.`);
}
