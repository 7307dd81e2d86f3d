import { z } from 'zod';
import { FILES_FEATURE, TRANSFER_CLIENT_TYPES, TRANSFER_HOST_TYPES } from '../features/files/transfer-messages';

/**
 * Features: what a peer speaks beyond the core (hello, welcome, error, joined, left). Each is
 * `name/version`; peers list theirs in hello and welcome, and nobody sends a message of a feature
 * the other side did not list (PROTOCOL.md §4, Features). Breaking changes bump the subprotocol.
 */
export const CHAT_FEATURE = 'chat/1';
export { FILES_FEATURE };

/** Everything this build speaks, announced in every hello and welcome. */
export const OUR_FEATURES: readonly string[] = [CHAT_FEATURE, FILES_FEATURE];

/** What a peer that announces nothing (a version-1 peer) speaks. */
export const VERSION_1_FEATURES: readonly string[] = [CHAT_FEATURE, FILES_FEATURE];

/** `name/version`: a lower-case name of up to 32 characters, a version from 1 to 9999. */
export const FEATURE_NAME = /^[a-z][a-z0-9-]{0,31}\/[1-9][0-9]{0,3}$/;
export const MAX_FEATURES = 32;

/** The optional `features` field of hello and welcome; names nobody here knows are kept, and ignored. */
export const featureListSchema = z.array(z.string().regex(FEATURE_NAME)).max(MAX_FEATURES);

const FEATURE_OF_TYPE: ReadonlyMap<string, string> = new Map<string, string>([
  ['chat', CHAT_FEATURE],
  ...TRANSFER_CLIENT_TYPES.map((type) => [type, FILES_FEATURE] as const),
  ...TRANSFER_HOST_TYPES.map((type) => [type, FILES_FEATURE] as const),
]);

/** The feature a message type belongs to; undefined for the core every peer speaks. */
export function featureOf(type: string): string | undefined {
  return FEATURE_OF_TYPE.get(type);
}

/** What one connection may use: the features both sides speak (a peer that announced none is a version-1 peer). */
export function sharedFeatures(announced: readonly string[] | undefined): ReadonlySet<string> {
  const theirs = new Set(announced ?? VERSION_1_FEATURES);
  return new Set(OUR_FEATURES.filter((f) => theirs.has(f)));
}

/** Whether a message of this type may travel on a connection that shares `features`. */
export function allowed(features: ReadonlySet<string>, type: string): boolean {
  const feature = featureOf(type);
  return feature === undefined || features.has(feature);
}
