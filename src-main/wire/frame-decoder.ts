import type { AppError } from './errors';
import { FEATURE_NAME } from './features';
import type { Vocabulary } from './message-registry';
import { EXTENSIBLE_TYPES, LIMITS } from './protocol';

export type Decoded<T> = { ok: true; message: T } | Refused;

/**
 * A frame that did not decode. `type` is set when the frame named a type the reader knows (the
 * message broke its rules); `unknownType` when it named, as a string, one the reader does not
 * know; `ref` when the message's own name (a chat's `id`, an offer's `ref`) is itself valid, so
 * that the answer can carry it. None of them is ever a value the peer could make unsafe to repeat.
 */
export type Refused = { ok: false; error: AppError; type?: string; ref?: string; unknownType?: true };

/** The client message id rule (PROTOCOL.md §4): what a `ref` may be. */
const SAFE_REF = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Longest sentence an error from the decoder carries; it goes back to the peer and into logs. */
export const MAX_ERROR_SENTENCE = 200;

/** A type name the peer sent that is safe to repeat back to it. */
const SAFE_TYPE = /^[a-z][a-z0-9-]{0,31}$/;
/** A path element (a field name) safe to repeat: our schemas' keys look like this. */
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;
const MAX_PATH_ELEMENTS = 6;
/** A schema's own refine() sentence: plain printable ASCII, short. Anything else is not ours to repeat. */
const SAFE_SENTENCE = /^[\x20-\x7E]{1,160}$/;

/**
 * Checks one incoming WebSocket frame against a schema: the single place where untrusted
 * bytes become typed messages. Never throws, and never repeats the peer's own values in an
 * error: those sentences travel back to the peer, into warnings and logs, and a value such as
 * a type nested 5,000 levels deep cannot even be serialised.
 */
export function decodeTextFrame<T extends { type: string } = { type: string }>(
  vocabulary: Vocabulary,
  data: Buffer | ArrayBuffer | Buffer[],
  isBinary: boolean,
): Decoded<T> {
  try {
    return decode(vocabulary, data, isBinary) as Decoded<T>;
  } catch {
    // Last resort: a bug here must cost one message, not the process.
    return fail('invalid-message', 'A message could not be read.');
  }
}

function decode(vocabulary: Vocabulary, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Decoded<{ type: string }> {
  const { schema, types: knownTypes, refFields, fieldErrors } = vocabulary;
  if (isBinary) {
    return fail('binary-not-expected', 'A binary frame arrived where only text messages are allowed.');
  }
  // A Buffer is used as it is: copying up to a chunk's size only to reject it would be waste.
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  // ws admits frames up to the file-chunk size; text keeps its own, smaller limit.
  if (bytes.length > LIMITS.maxFrameBytes) {
    return fail('frame-too-large', `A text frame was larger than ${LIMITS.maxFrameBytes} bytes.`);
  }
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('bad-json', 'A message was not valid JSON.');
  }
  const type =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.hasOwn(raw, 'type')
      ? (raw as { type: unknown }).type
      : undefined;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    const named = typeof type === 'string' && SAFE_TYPE.test(type) ? ` "${type}"` : '';
    const refused = fail('unknown-type', `Unknown message type${named}.`);
    // A string is a type some other version may speak; anything else is no message at all.
    return typeof type === 'string' ? { ...refused, unknownType: true } : refused;
  }
  const object = raw as Record<string, unknown>;
  if (EXTENSIBLE_TYPES.has(type)) dropFeatureFields(object);
  const parsed = schema.safeParse(object);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as Issue | undefined;
    const path = issue ? safePath(issue.path) : undefined;
    const where = path ? ` (field "${path}")` : '';
    const field0 = issue?.path[0];
    const code = field0 === 'name' ? 'name-invalid' : (typeof field0 === 'string' && fieldErrors[type]?.[field0]) || 'invalid-message';
    const refused = { ...fail(code, cap(`The ${type} message was rejected${where}: ${describe(issue)}`)), type };
    const field = Object.hasOwn(refFields, type) ? refFields[type] : undefined;
    const ref = field !== undefined && Object.hasOwn(object, field) ? object[field] : undefined;
    return typeof ref === 'string' && SAFE_REF.test(ref) ? { ...refused, ref } : refused;
  }
  return { ok: true, message: parsed.data };
}

/** Fields named after a feature (`"typing/1"`) are for peers that speak it; the schemas never see them. */
function dropFeatureFields(object: Record<string, unknown>): void {
  for (const key of Object.keys(object)) if (FEATURE_NAME.test(key)) delete object[key];
}

/** The parts of a zod issue read here; everything else in it may hold the peer's values. */
interface Issue {
  code: string;
  path: PropertyKey[];
  message?: unknown;
  origin?: unknown;
  maximum?: unknown;
  minimum?: unknown;
}

/** "resume.token" or "history.3.text" when every element is a short field name or an index; else nothing. */
function safePath(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0 || path.length > MAX_PATH_ELEMENTS) return undefined;
  const parts: string[] = [];
  for (const element of path) {
    if (typeof element === 'number' && Number.isSafeInteger(element) && element >= 0) parts.push(String(element));
    else if (typeof element === 'string' && SAFE_KEY.test(element)) parts.push(element);
    else return undefined;
  }
  return parts.join('.');
}

/** Our own sentence for an issue, from its code; zod's default messages can quote the input. */
function describe(issue: Issue | undefined): string {
  switch (issue?.code) {
    case 'invalid_type':
      return 'it has the wrong type.';
    case 'too_big':
      return `it is too ${issue.origin === 'string' ? 'long' : issue.origin === 'array' ? 'long a list' : 'large'}${bound('at most', issue.maximum)}.`;
    case 'too_small':
      return `it is too ${issue.origin === 'string' ? 'short' : issue.origin === 'array' ? 'short a list' : 'small'}${bound('at least', issue.minimum)}.`;
    case 'invalid_format':
      return 'it does not have the expected format.';
    case 'not_multiple_of':
      return 'it is not a whole multiple of the expected step.';
    case 'unrecognized_keys':
      return 'it has fields the protocol does not allow.';
    case 'invalid_union':
      return 'it matches none of the allowed shapes.';
    case 'invalid_key':
      return 'it has a key that is not allowed.';
    case 'invalid_element':
      return 'it has an element that is not allowed.';
    case 'invalid_value':
      return 'it is not one of the allowed values.';
    case 'custom':
      // refine() sentences are written in our schemas ("The name is empty."); repeat only those that look it.
      return typeof issue.message === 'string' && SAFE_SENTENCE.test(issue.message) ? issue.message : 'it breaks a rule of the protocol.';
    default:
      return 'it is not valid.';
  }
}

function bound(words: string, value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) ? ` (${words} ${value})` : '';
}

function cap(sentence: string): string {
  return sentence.length <= MAX_ERROR_SENTENCE ? sentence : `${sentence.slice(0, MAX_ERROR_SENTENCE - 1)}…`;
}

function fail(code: AppError['code'], message: string): Refused {
  return { ok: false, error: { code, message } };
}
