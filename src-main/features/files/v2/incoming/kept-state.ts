import { z } from 'zod';
import { MAX_MANIFEST_BYTES, MAX_OFFER_FILES } from '../files2-messages';

/**
 * What a recipient remembers about an offer it accepted, beside the data it kept
 * (`.porthole-partial/<key>/state.json`): enough to accept again from where it stopped after a
 * restart, and to tell a stale or foreign folder from a usable one. Read back through zod: the
 * file is on disk where anything may have changed it.
 */

/** A store folder's name: the offer's key (22 base64url characters). */
export const STORE_NAME = /^[A-Za-z0-9_-]{22}$/;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const byteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const keptStateSchema = z.strictObject({
  version: z.literal(1),
  key: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  /** The offer as it was made: a later offer with the same key must match it to resume. */
  name: z.string().min(1).max(1024),
  files: z.number().int().min(1).max(MAX_OFFER_FILES),
  bytes: byteCount,
  manifest: z.number().int().min(0).max(MAX_MANIFEST_BYTES),
  /** The person said yes: an offer of this key may resume without asking again. */
  accepted: z.literal(true),
  /** When this was last written (ms since the epoch): kept data older than 7 days is removed. */
  updatedAt: z.number().int().nonnegative(),
  /** A bundle: the SHA-256 of manifest.json, present once the manifest was verified and kept. */
  manifestSha256: sha256Hex.optional(),
  /** SHA-256 of files 1, 2, … verified so far (files are verified in order, so this is a prefix). */
  verified: z.array(sha256Hex).max(MAX_OFFER_FILES),
  /** The data offset up to which everything is verified: where the first unverified file begins. */
  verifiedUpTo: byteCount,
});
export type KeptState = z.infer<typeof keptStateSchema>;

/** The largest state.json read back (100,000 hashes and a little more). */
export const MAX_STATE_BYTES = 8 * 1024 * 1024;

/** The offer fields kept data must match to be resumed. */
export interface OfferShape {
  key: string;
  name: string;
  files: number;
  bytes: number;
  manifest: number;
}

/** Whether kept data was made for this offer (same key, name, counts and sizes). */
export const keptFor = (state: KeptState, offer: OfferShape): boolean =>
  state.key === offer.key &&
  state.name === offer.name &&
  state.files === offer.files &&
  state.bytes === offer.bytes &&
  state.manifest === offer.manifest &&
  state.verified.length <= offer.files &&
  (offer.manifest > 0 || state.manifestSha256 === undefined);
