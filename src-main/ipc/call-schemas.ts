// The shape of every IPC call's argument, checked in main before any handler runs: the window
// is treated as untrusted input, like a peer. Rules that need a sentence of their own (a name's
// characters, say) are checked again by the handler with the room's schemas. Keyed by the
// contract's call names: a call without a schema here, or with one of the wrong shape, does not
// compile.
import { z } from 'zod';
import type { CallArgs, CallName } from '../../src-preload/contract';
import { PORT_RANGE, UPLOAD_CHUNK_BYTES } from '../../src-preload/domain-values';
import { LIMITS } from '../wire/protocol';
import { FEATURE_CALL_SCHEMAS } from '../desktop/feature-windows';

const text = (max: number) => z.string().max(max);
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const memberId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
/** Who an offer is for (PROTOCOL §11: 1–64 distinct members); absent: the whole room. */
const recipients = z
  .array(memberId)
  .min(1)
  .max(64)
  .refine((ids) => new Set(ids).size === ids.length, 'A member is named twice.')
  .optional();
/** Paths of files and folders on disk, one offer's worth. */
const paths = z.array(text(4096).min(1)).max(1000);
const name = text(LIMITS.nameMaxChars * 4);
const none = z.tuple([]);
/** A recent room's key (src-main/config/recent-rooms.ts). */
const recentKey = z.string().regex(/^[a-f0-9]{32}$/);

/** A tuple schema per call: what the call's arguments must look like. */
export const CALL_SCHEMAS: { [C in CallName]: z.ZodType<CallArgs<C>> } = {
  'app:snapshot': none,
  'settings:update': z.tuple([
    z.strictObject({
      displayName: name.optional(),
      port: z.number().int().min(PORT_RANGE.min).max(PORT_RANGE.max).nullable().optional(),
      upnp: z.boolean().optional(),
      publicAddress: z.string().max(300).optional(),
      relay: z.string().max(1000).optional(),
      // Any whole number gets through: the settings refuse one out of range with a sentence for the field.
      maxPeople: z.number().int().optional(),
    }),
  ]),
  'settings:choose-download-folder': none,
  'settings:reset-download-folder': none,
  'room:host': z.tuple([z.strictObject({ name, recent: recentKey.optional() })]),
  'room:join': z.tuple([z.strictObject({ invite: text(4096), name, recent: recentKey.optional() })]),
  'room:leave': none,
  'room:remove': z.tuple([z.strictObject({ member: memberId, reason: text(LIMITS.removalReasonMaxChars * 4).optional() })]),
  'room:revoke-invite': none,
  'room:allow': z.tuple([name.min(1)]),
  'rooms:recent': none,
  'rooms:history': z.tuple([recentKey]),
  'rooms:forget': z.tuple([recentKey]),
  'chat:send': z.tuple([text(LIMITS.textMaxChars * 4)]),
  'transfer:offer-paths': z.tuple([z.strictObject({ paths: paths.min(1), to: recipients })]),
  'transfer:choose-files': z.tuple([z.strictObject({ to: recipients })]),
  'transfer:choose-folder': z.tuple([z.strictObject({ to: recipients })]),
  'upload:begin': z.tuple([z.strictObject({ name: text(1024).min(1), size: z.number().int().nonnegative() })]),
  'upload:chunk': z.tuple([
    z.strictObject({
      uploadId: id,
      offset: z.number().int().nonnegative(),
      bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= UPLOAD_CHUNK_BYTES, 'The piece is too large.'),
    }),
  ]),
  'upload:finish': z.tuple([z.strictObject({ uploadId: id })]),
  'upload:abort': z.tuple([z.strictObject({ uploadId: id })]),
  'upload:offer': z.tuple([
    z
      .strictObject({ uploadIds: z.array(id).max(1000), paths, to: recipients })
      .refine((r) => r.uploadIds.length + r.paths.length > 0, 'There is nothing to offer.')
      .refine((r) => r.uploadIds.length + r.paths.length <= 1000, 'That is more than 1,000 files and folders at once.'),
  ]),
  'transfer:accept': z.tuple([id]),
  'transfer:decline': z.tuple([id]),
  'transfer:cancel': z.tuple([id]),
  'transfer:retry': z.tuple([id]),
  'transfer:clear-finished': none,
  'transfer:show-in-folder': z.tuple([id]),
  'clipboard:write': z.tuple([text(16_384)]),
  'link:open': z.tuple([text(2048)]),
  'app:set-badge': z.tuple([z.number().int().min(0).max(9999)]),
  // The features' own calls (typing:set…), declared with their schemas in each feature's folder.
  ...FEATURE_CALL_SCHEMAS,
};
