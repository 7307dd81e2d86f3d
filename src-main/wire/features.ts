import { z } from 'zod';

/**
 * Features: what a peer speaks beyond the core (hello, welcome, error, joined, left). Each is
 * `name/version`; peers list theirs in hello and welcome, and nobody sends a message of a feature
 * the other side did not list (PROTOCOL.md §4, Features). Breaking changes bump the subprotocol.
 * The features themselves live in src-main/features/ and describe their messages with a
 * FeatureSpec (feature-spec.ts); only their names as version 1 knew them are written here.
 */

/** What a peer that announces nothing (a version-1 peer) speaks. */
export const VERSION_1_FEATURES: readonly string[] = ['chat/1', 'files/1'];

/** `name/version`: a lower-case name of up to 32 characters, a version from 1 to 9999. */
export const FEATURE_NAME = /^[a-z][a-z0-9-]{0,31}\/[1-9][0-9]{0,3}$/;
export const MAX_FEATURES = 32;

/** The optional `features` field of hello and welcome; names nobody here knows are kept, and ignored. */
export const featureListSchema = z.array(z.string().regex(FEATURE_NAME)).max(MAX_FEATURES);

/** What one connection may use: the features both sides speak (a peer that announced none is a version-1 peer). */
export function sharedFeatures(ours: readonly string[], announced: readonly string[] | undefined): ReadonlySet<string> {
  const theirs = new Set(announced ?? VERSION_1_FEATURES);
  return new Set(ours.filter((f) => theirs.has(f)));
}
