import type { z } from 'zod';
import type { AppError } from './errors';
import { LIMITS } from './protocol';

export type Decoded<T> = { ok: true; message: T } | { ok: false; error: AppError };

/**
 * Checks one incoming WebSocket frame against a schema: the single place where untrusted
 * bytes become typed messages. Never throws.
 */
export function decodeTextFrame<S extends z.ZodType>(
  schema: S,
  knownTypes: ReadonlySet<string>,
  data: Buffer | ArrayBuffer | Buffer[],
  isBinary: boolean,
): Decoded<z.infer<S>> {
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
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? (raw as { type: unknown }).type : undefined;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    return fail('unknown-type', `Unknown message type ${JSON.stringify(type ?? null).slice(0, 40)}.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (field "${issue.path.join('.')}")` : '';
    const code = issueCode(type, issue?.path[0]);
    return fail(code, `The ${type} message was rejected${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { ok: true, message: parsed.data };
}

function issueCode(type: string, field: PropertyKey | undefined): AppError['code'] {
  if (field === 'name') return 'name-invalid';
  if (type === 'chat' && field === 'text') return 'text-invalid';
  return 'invalid-message';
}

function fail(code: AppError['code'], message: string): { ok: false; error: AppError } {
  return { ok: false, error: { code, message } };
}
