import { z } from 'zod';
import { byteCount, endReasonSchema, memberId, offeredName, ref, wireNumber } from '../transfer-messages';

/**
 * `files/2` on the wire (PROTOCOL.md §11): offers of one file or a bundle (many files and
 * folders, listed in a manifest that travels as the first bytes of the data), each recipient
 * served by a stream of its own or sharing one (fan-out), resumable from any offset.
 */
export const FILES2_FEATURE = 'files/2';

/** Why an offer or a recipient's part in it ended: files/1's words and a few more. */
export const share2EndReasonSchema = z.union([
  endReasonSchema,
  z.enum([
    /** Every recipient it was for has it (or its open time passed with someone having it). */
    'complete',
    /** The sender's file changed (size or modification time) while it was offered. */
    'file-changed',
    /** Data saved earlier for a resume no longer matched and could not be used. */
    'resume-failed',
  ]),
]);
export type Files2EndReason = z.infer<typeof share2EndReasonSchema>;

const offerId = wireNumber;
const streamId = wireNumber;
/** The sender's name for an offer across reconnects and restarts: 22 base64url characters (128 bits). */
const offerKey = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** Most files one offer may carry (the manifest lists each). */
export const MAX_OFFER_FILES = 100_000;
/** Largest manifest: its bytes are the first of the stream. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Most members one offer may name. */
export const MAX_NAMED_RECIPIENTS = 64;

const recipients = z.array(memberId).min(1).max(MAX_NAMED_RECIPIENTS);

// ---- member → host ----------------------------------------------------------------

/**
 * An offer. `manifest` 0: one file, `name` its name and `bytes` its size. Otherwise a bundle:
 * the first `manifest` bytes of the data are its manifest (manifest.ts), `files` files of
 * `bytes` bytes in all follow.
 */
export const files2OfferSchema = z
  .strictObject({
    type: z.literal('files-offer'),
    ref,
    key: offerKey,
    name: offeredName,
    files: z.number().int().min(1).max(MAX_OFFER_FILES),
    bytes: byteCount,
    manifest: z.number().int().min(0).max(MAX_MANIFEST_BYTES),
    to: recipients.optional(),
  })
  .refine((o) => o.manifest > 0 || o.files === 1, { message: 'A single file (manifest 0) is one file.' })
  .refine((o) => o.bytes + o.manifest <= Number.MAX_SAFE_INTEGER, { message: 'The offer is too large.' });
/** Yes: send me the data from `from` (0, or where a resume continues). */
export const files2AcceptSchema = z.strictObject({ type: z.literal('files-accept'), offer: offerId, from: byteCount });
export const files2DeclineSchema = z.strictObject({ type: z.literal('files-decline'), offer: offerId });
/** Bytes of the stream's data on the recipient's disk: the offset it has safely written up to. */
export const files2AckSchema = z.strictObject({ type: z.literal('files-ack'), stream: streamId, bytes: byteCount });
/** Every file verified and in place. */
export const files2SavedSchema = z.strictObject({ type: z.literal('files-saved'), offer: offerId });
/** The sender withdraws the offer; a recipient stops receiving it (it may accept again while it is open). */
export const files2CancelSchema = z.strictObject({ type: z.literal('files-cancel'), offer: offerId, reason: share2EndReasonSchema });

export const FILES2_CLIENT_SCHEMAS = [
  files2OfferSchema,
  files2AcceptSchema,
  files2DeclineSchema,
  files2AckSchema,
  files2SavedSchema,
  files2CancelSchema,
] as const;
export type Files2ClientMessage =
  | z.infer<typeof files2OfferSchema>
  | z.infer<typeof files2AcceptSchema>
  | z.infer<typeof files2DeclineSchema>
  | z.infer<typeof files2AckSchema>
  | z.infer<typeof files2SavedSchema>
  | z.infer<typeof files2CancelSchema>;
export type Files2Offer = z.infer<typeof files2OfferSchema>;

// ---- host → member ----------------------------------------------------------------

/** An open offer: to the sender (with its `ref`), to each recipient, and again to anyone who joins or comes back while it is open. */
export const files2OfferedSchema = z.strictObject({
  type: z.literal('files-offered'),
  offer: offerId,
  ref: ref.optional(),
  key: offerKey,
  from: memberId,
  name: offeredName,
  files: z.number().int().min(1).max(MAX_OFFER_FILES),
  bytes: byteCount,
  manifest: z.number().int().min(0).max(MAX_MANIFEST_BYTES),
  /** The members it is for; absent: everyone in the room who speaks files/2, now or later. */
  to: recipients.optional(),
  /**
   * Only in the sender's copy: members it is for who speak files/1 but not files/2 (they cannot
   * receive it; a sender may offer them the file by files/1).
   */
  legacy: z.array(memberId).max(1000).optional(),
  /** When the host took it (ms since the epoch). */
  at: z.number().int().nonnegative(),
});
/** `legacy`: as in files-offered; with `no-recipients`, the only members it could have been for speak files/1 alone. */
export const files2RefusedSchema = z.strictObject({
  type: z.literal('files-refused'),
  ref,
  reason: share2EndReasonSchema,
  legacy: z.array(memberId).max(1000).optional(),
});
/** To the sender: one recipient's state changed (progress at most 4 times a second). */
export const files2RecipientSchema = z.strictObject({
  type: z.literal('files-recipient'),
  offer: offerId,
  member: memberId,
  state: z.enum(['waiting', 'receiving', 'paused', 'done', 'declined', 'failed']),
  /** Bytes of the data it has acked. */
  bytes: byteCount,
  reason: share2EndReasonSchema.optional(),
});
/**
 * To the sender: send the data from `from` as stream `stream`. To a recipient: your data comes
 * as stream `stream`, starting at `from` (what it accepted from).
 */
export const files2StreamSchema = z.strictObject({ type: z.literal('files-stream'), offer: offerId, stream: streamId, from: byteCount });
/** To the sender: the stream may go up to this offset. */
export const files2CreditSchema = z.strictObject({ type: z.literal('files-credit'), stream: streamId, upTo: byteCount });
/** To the sender: stop the stream (nobody reads it any more). */
export const files2StopSchema = z.strictObject({ type: z.literal('files-stop'), stream: streamId });
/** The offer is over for you (a recipient), or closed (the sender), with why. */
export const files2EndedSchema = z.strictObject({ type: z.literal('files-ended'), offer: offerId, reason: share2EndReasonSchema });

export const FILES2_HOST_SCHEMAS = [
  files2OfferedSchema,
  files2RefusedSchema,
  files2RecipientSchema,
  files2StreamSchema,
  files2CreditSchema,
  files2StopSchema,
  files2EndedSchema,
] as const;
export type Files2HostMessage =
  | z.infer<typeof files2OfferedSchema>
  | z.infer<typeof files2RefusedSchema>
  | z.infer<typeof files2RecipientSchema>
  | z.infer<typeof files2StreamSchema>
  | z.infer<typeof files2CreditSchema>
  | z.infer<typeof files2StopSchema>
  | z.infer<typeof files2EndedSchema>;
export type Files2Offered = z.infer<typeof files2OfferedSchema>;
export type RecipientWireState = z.infer<typeof files2RecipientSchema>['state'];
