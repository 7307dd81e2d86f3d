import { z } from 'zod';
import type { FeatureSpec } from '../../wire/feature-spec';
import { memberSchema } from '../../wire/protocol';

/** The feature name peers announce when they show who is typing (PROTOCOL.md §10). */
export const TYPING_FEATURE = 'typing/1';

/** How long a "typing" holds without being said again; a member's app repeats it sooner while typing goes on. */
export const TYPING_HOLD_MS = 6_000;
/** A member's app says "typing" at most this often while typing goes on. */
export const TYPING_REPEAT_MS = 3_000;

/** Member → host: I am typing (or stopped: sent, cleared, left the box). */
export const typingSetSchema = z.strictObject({ type: z.literal('typing'), active: z.boolean() });

/** Host → the other members: who is (or stopped) typing. */
export const typingEventSchema = z.strictObject({
  type: z.literal('typing'),
  member: memberSchema.shape.id,
  active: z.boolean(),
});

export type TypingSet = z.infer<typeof typingSetSchema>;
export type TypingNotice = z.infer<typeof typingEventSchema>;

export const TYPING_SPEC: FeatureSpec = {
  name: TYPING_FEATURE,
  toHost: [typingSetSchema],
  toMember: [typingEventSchema],
};
