import type { z } from 'zod';
import type { ErrorCode } from './errors';

/** A message's schema: a strict zod object whose `type` is a literal. */
export type MessageSchema = z.ZodObject;

/**
 * What a feature adds to the wire (PROTOCOL.md §4, Features): its name, the messages each side
 * sends, and how the room treats them. The wire layer assembles every feature's schemas into the
 * vocabularies the decoders check frames against; the room never names a feature's message.
 */
export interface FeatureSpec {
  /** `name/version`, announced in hello and welcome: `chat/1`, `files/1`, `typing/1`. */
  readonly name: string;
  /** Messages a member sends to the host. */
  readonly toHost: readonly MessageSchema[];
  /** Messages the host sends to a member, not numbered. */
  readonly toMember: readonly MessageSchema[];
  /** Numbered room events of this feature: kept in the history and replayed in the welcome. */
  readonly events?: readonly MessageSchema[];
  /** Per message type, the field that names a message, for the `ref` of an error answering it (PROTOCOL.md §6). */
  readonly refFields?: Readonly<Record<string, string>>;
  /** Per message type and field, the error code a broken value of it gets (default `invalid-message`). */
  readonly fieldErrors?: Readonly<Record<string, Readonly<Record<string, ErrorCode>>>>;
  /**
   * Which of a member's rate buckets its messages draw from: `chat` (the room's chat rate, the
   * default) or `bulk` (a larger bucket for frequent control such as file acks).
   */
  readonly bucket?: 'chat' | 'bulk';
  /**
   * The binary frames that belong to this feature, by their first byte (the frame's kind); a kind
   * belongs to at most one feature.
   */
  readonly binaryKinds?: readonly number[];
}
