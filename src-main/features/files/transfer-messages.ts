import { z } from 'zod';

/**
 * File-transfer control messages (text frames). Kept apart from room/protocol.ts, which adds
 * them to its unions; this file depends on nothing else so that import has no cycle.
 */

/** The feature name peers announce in hello/welcome when they speak these messages (PROTOCOL.md §4, Features). */
export const FILES_FEATURE = 'files/1';

/** Why a transfer ended for someone; the same words on every side. */
export const endReasonSchema = z.enum([
  'declined',
  'cancelled',
  'sender-left',
  'recipient-left',
  'host-left',
  'connection-lost',
  'stalled',
  'no-answer',
  'no-recipients',
  'disk-full',
  'write-failed',
  'read-failed',
  'hash-mismatch',
  'bad-data',
  'too-many-transfers',
]);
export type EndReason = z.infer<typeof endReasonSchema>;

/** A host-assigned number (a transfer, an offer, a stream): 1 to 2³²−1. */
export const wireNumber = z.number().int().min(1).max(0xffff_ffff);
const transferId = wireNumber;
export const memberId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
/** A client message id (PROTOCOL.md §4, field rules). */
export const ref = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
export const byteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** The offered name is untrusted and only shown after sanitising; this just bounds it. */
export const offeredName = z.string().min(1).max(1024);

// ---- member → host ----------------------------------------------------------------

export const fileOfferSchema = z.strictObject({
  type: z.literal('file-offer'),
  ref,
  name: offeredName,
  size: byteCount,
  to: memberId.optional(),
});
export const fileAnswerSchema = z.strictObject({ type: z.literal('file-answer'), transfer: transferId, accept: z.boolean() });
export const fileAckSchema = z.strictObject({ type: z.literal('file-ack'), transfer: transferId, bytes: byteCount });
export const fileEndSchema = z.strictObject({ type: z.literal('file-end'), transfer: transferId, sha256 });
export const fileSavedSchema = z.strictObject({ type: z.literal('file-saved'), transfer: transferId });
export const fileCancelSchema = z.strictObject({ type: z.literal('file-cancel'), transfer: transferId, reason: endReasonSchema });

export const TRANSFER_CLIENT_SCHEMAS = [
  fileOfferSchema,
  fileAnswerSchema,
  fileAckSchema,
  fileEndSchema,
  fileSavedSchema,
  fileCancelSchema,
] as const;
export const TRANSFER_CLIENT_TYPES = ['file-offer', 'file-answer', 'file-ack', 'file-end', 'file-saved', 'file-cancel'] as const;
export type TransferClientMessage = z.infer<(typeof TRANSFER_CLIENT_SCHEMAS)[number]>;

// ---- host → member ----------------------------------------------------------------

/** To the sender (with its `ref`) and to each recipient: a new transfer and who it is for. */
export const fileOfferedSchema = z.strictObject({
  type: z.literal('file-offered'),
  transfer: transferId,
  ref: ref.optional(),
  from: memberId,
  name: offeredName,
  size: byteCount,
  to: z.array(memberId).max(1000),
});
export const fileRefusedSchema = z.strictObject({ type: z.literal('file-refused'), ref, reason: endReasonSchema });
export const fileAnsweredSchema = z.strictObject({
  type: z.literal('file-answered'),
  transfer: transferId,
  member: memberId,
  accept: z.boolean(),
});
/** To the sender: it may send bytes up to `upTo`. The first one is the start signal. */
export const fileCreditSchema = z.strictObject({ type: z.literal('file-credit'), transfer: transferId, upTo: byteCount });
export const fileProgressSchema = z.strictObject({
  type: z.literal('file-progress'),
  transfer: transferId,
  member: memberId,
  bytes: byteCount,
});
export const fileDoneSchema = z.strictObject({ type: z.literal('file-done'), transfer: transferId, member: memberId });
/** Without `member`: the transfer is over for you. With it (to the sender): that recipient is out. */
export const fileCancelledSchema = z.strictObject({
  type: z.literal('file-cancelled'),
  transfer: transferId,
  member: memberId.optional(),
  reason: endReasonSchema,
});

export const TRANSFER_HOST_SCHEMAS = [
  fileOfferedSchema,
  fileRefusedSchema,
  fileAnsweredSchema,
  fileCreditSchema,
  fileProgressSchema,
  fileEndSchema,
  fileDoneSchema,
  fileCancelledSchema,
] as const;
export const TRANSFER_HOST_TYPES = [
  'file-offered',
  'file-refused',
  'file-answered',
  'file-credit',
  'file-progress',
  'file-end',
  'file-done',
  'file-cancelled',
] as const;
export type TransferHostMessage = z.infer<(typeof TRANSFER_HOST_SCHEMAS)[number]>;
