import { z } from 'zod';
import { PortholeError } from '../../wire/errors';
import type { FeatureSpec } from '../../wire/feature-spec';
import { LIMITS, LONE_SURROGATE, charCount, eventBase, idSchema, memberSchema } from '../../wire/protocol';

/** The feature name peers announce when they speak chat (PROTOCOL.md §4, §5). */
export const CHAT_FEATURE = 'chat/1';

// Control characters (C0 but tab and newline, DEL, C1) and bidi overrides/isolates can disguise
// who said what.
const UNSAFE_TEXT_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

export const textSchema = z
  .string()
  .refine((s) => !LONE_SURROGATE.test(s), 'The message is not well-formed text.')
  .refine((s) => s.trim().length > 0, 'The message is empty.')
  .refine((s) => charCount(s) <= LIMITS.textMaxChars, `The message is longer than ${LIMITS.textMaxChars} characters.`)
  .refine((s) => !UNSAFE_TEXT_CHARS.test(s), 'The message contains control or direction-override characters.');

/** A chat message as typed, checked; throws PortholeError('text-invalid') with the rule it broke. */
export function checkedText(text: string): string {
  const parsed = textSchema.safeParse(text);
  if (!parsed.success) throw new PortholeError('text-invalid', parsed.error.issues[0]?.message ?? 'Invalid message.');
  return parsed.data;
}

/** Member → host: a line to post. */
export const chatSendSchema = z.strictObject({
  type: z.literal('chat'),
  id: idSchema,
  text: textSchema,
});

/** Host → members: a posted line, numbered with the room's other events. */
export const chatEventSchema = z.strictObject({
  type: z.literal('chat'),
  ...eventBase,
  from: memberSchema,
  id: idSchema,
  text: textSchema,
});

export type ChatSend = z.infer<typeof chatSendSchema>;
export type ChatEvent = z.infer<typeof chatEventSchema>;

export const CHAT_SPEC: FeatureSpec = {
  name: CHAT_FEATURE,
  toHost: [chatSendSchema],
  toMember: [],
  events: [chatEventSchema],
  refFields: { chat: 'id' },
  fieldErrors: { chat: { text: 'text-invalid' } },
};
