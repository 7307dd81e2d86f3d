import { z } from 'zod';
import { featureListSchema } from './features';

/** WebSocket subprotocol naming the wire-protocol version; see docs/PROTOCOL.md. */
export const PROTOCOL = 'porthole.v1';
export const SUPPORTED_PROTOCOLS: readonly string[] = [PROTOCOL];
export const ROOM_PATH = '/room';

export const LIMITS = {
  nameMaxChars: 32,
  /** The host's sentence to a member it removes (PROTOCOL.md §7). */
  removalReasonMaxChars: 200,
  textMaxChars: 4000,
  clientMessageIdMaxChars: 64,
  /** Largest text frame accepted; larger ones close the connection with 1009. Binary (file) frames have their own limit. */
  maxFrameBytes: 64 * 1024,
  historySize: 500,
  /** The history a welcome replays is bounded by bytes too: a newcomer must always be able to read it. */
  historyMaxBytes: 4 * 1024 * 1024,
  /**
   * The room size a host starts with, the host included (a setting; PROTOCOL.md §7): what a
   * 2-core laptop fans chat out to in a few milliseconds, and its uplink can still serve files to.
   */
  maxMembers: 50,
  /**
   * The room sizes a host may choose. The top is bounded by the welcome: its member list travels
   * in one text frame, which must stay under maxFrameBytes even when every name is 32
   * four-byte characters (about 170 bytes a member).
   */
  roomSize: { min: 2, max: 300 },
  /** Largest binary frame (a file chunk: 16-byte header + 256 KiB); ws's `maxPayload` on both sides. */
  maxBinaryFrameBytes: 16 + 256 * 1024,
} as const;

/** A token bucket: `capacity` frames at once, refilled at `refillPerSecond`. */
export interface Rate {
  capacity: number;
  refillPerSecond: number;
}

/** The chat rate of a host whose welcome does not say (a version-1 host): PROTOCOL.md §8. */
export const VERSION_1_CHAT_RATE: Rate = { capacity: 30, refillPerSecond: 10 };

/**
 * Messages that may carry fields named after a feature (`"typing/1": {…}`), which peers that do
 * not speak it ignore: a newer guest can add to its hello before it knows what the host speaks.
 */
export const EXTENSIBLE_TYPES: ReadonlySet<string> = new Set(['hello', 'welcome']);

/** WebSocket close codes used by Porthole (4000–4999 is the application range). */
export const CloseCode = {
  normal: 1000,
  roomClosed: 1001,
  frameTooLarge: 1009,
  /** A message made the host fail in a way it did not foresee; only that connection is closed. */
  internalError: 4010,
  /** The hello came too soon after the last ones (reconnecting in a loop): try again later. */
  tryLater: 4011,
  badHello: 4000,
  nameTaken: 4001,
  roomFull: 4002,
  tooManyErrors: 4003,
  helloTimeout: 4004,
  sessionReplaced: 4005,
  /** The host removed this member (its `error` `removed` just before says why); final for that invite. */
  removed: 4006,
  rateLimited: 4008,
  heartbeatTimeout: 4009,
} as const;

/** Close codes after which a client must not reconnect on its own. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.normal,
  CloseCode.roomClosed,
  CloseCode.badHello,
  CloseCode.nameTaken,
  CloseCode.roomFull,
  CloseCode.tooManyErrors,
  CloseCode.sessionReplaced,
  CloseCode.removed,
  CloseCode.rateLimited,
]);

// Control characters (C0, DEL, C1; chat text keeps tab and newline), bidi overrides/isolates and
// zero-width characters can disguise who said what, so names refuse them outright.
const UNSAFE_NAME_CHARS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

// In a /u pattern a surrogate range matches only halves that are not part of a pair: text that
// cannot be encoded as UTF-8 without loss (JSON would carry it as "\ud800" escapes, six bytes each).
export const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export const charCount = (s: string): number => [...s].length;

export const nameSchema = z
  .string()
  .refine((s) => !LONE_SURROGATE.test(s), 'The name is not well-formed text.')
  .transform((s) => s.normalize('NFC').trim())
  .refine((s) => s.length > 0, 'The name is empty.')
  .refine((s) => charCount(s) <= LIMITS.nameMaxChars, `The name is longer than ${LIMITS.nameMaxChars} characters.`)
  .refine((s) => !UNSAFE_NAME_CHARS.test(s), 'The name contains invisible or control characters.');

const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** A client message id (PROTOCOL.md §4): also what an error's `ref` may be. */
export const idSchema = z
  .string()
  .min(1)
  .max(LIMITS.clientMessageIdMaxChars)
  .regex(/^[A-Za-z0-9_.:-]+$/);
export const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

// ---- client → host ----------------------------------------------------------------

export const helloSchema = z.strictObject({
  type: z.literal('hello'),
  name: nameSchema,
  resume: z.strictObject({ token: tokenSchema, lastSeq: seqSchema }).optional(),
  /** Absent: a version-1 guest, which speaks chat/1 and files/1. */
  features: featureListSchema.optional(),
});

// ---- host → client ----------------------------------------------------------------

export const memberSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  name: nameSchema,
  host: z.boolean(),
});
export type Member = z.infer<typeof memberSchema>;

/** The fields every numbered room event has (PROTOCOL.md §5); a feature's events spread them in. */
export const eventBase = { seq: seqSchema, ts: z.number().int().nonnegative() };

export const joinedEventSchema = z.strictObject({ type: z.literal('joined'), ...eventBase, member: memberSchema });
export const leftEventSchema = z.strictObject({
  type: z.literal('left'),
  ...eventBase,
  member: memberSchema,
  reason: z.enum(['left', 'timeout', 'disconnected', 'removed']),
});

/** The numbered events of the room itself; features add their own (chat lines). */
export const CORE_EVENT_SCHEMAS = [joinedEventSchema, leftEventSchema] as const;
export type JoinedEvent = z.infer<typeof joinedEventSchema>;
export type LeftEvent = z.infer<typeof leftEventSchema>;
/** Any numbered room event, as the room sees it: its own, or a feature's (checked by that feature's schema). */
export interface NumberedEvent {
  type: string;
  seq: number;
  ts: number;
}
export type LeaveReason = z.infer<typeof leftEventSchema>['reason'];

const heartbeatMs = z
  .number()
  .int()
  .positive()
  .max(10 * 60_000);

/** Bounded, since a guest paces itself by it: at least one frame, at most a million a second. */
export const rateSchema = z.strictObject({
  capacity: z.number().int().min(1).max(1_000_000),
  refillPerSecond: z.number().positive().max(1_000_000),
});

const welcomeShape = {
  type: z.literal('welcome'),
  protocol: z.string(),
  /** Changes every time the host starts a room: sequence numbers only compare within one. */
  room: tokenSchema,
  you: memberSchema,
  resumeToken: tokenSchema,
  members: z.array(memberSchema).max(1000),
  history: z.array(z.unknown()).max(10_000),
  historyGap: z.boolean(),
  lastSeq: seqSchema,
  // Bounded: a guest arms a timer from these, and Node fires timers over 2^31 ms at once.
  heartbeat: z.strictObject({ intervalMs: heartbeatMs, timeoutMs: heartbeatMs }),
  limits: z.strictObject({ nameMaxChars: z.number().int(), textMaxChars: z.number().int(), maxFrameBytes: z.number().int() }),
  /** What the host speaks; absent from a version-1 host (chat/1 and files/1), and sent only to guests that announced theirs. */
  features: featureListSchema.optional(),
  /** The chat bucket the guest must stay under; absent: VERSION_1_CHAT_RATE. */
  rate: rateSchema.optional(),
};

/** The welcome, whose history holds the numbered events of the room and of its features. */
export function welcomeSchemaFor(events: z.ZodType<NumberedEvent>) {
  return z.strictObject({ ...welcomeShape, history: z.array(events).max(10_000) });
}
export type Welcome = Omit<z.infer<ReturnType<typeof welcomeSchemaFor>>, 'history'> & { history: NumberedEvent[] };

export const errorFrameSchema = z.strictObject({
  type: z.literal('error'),
  code: z.string().max(64),
  message: z.string().max(1000),
  ref: idSchema.optional(),
});
