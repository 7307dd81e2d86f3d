import type { AppError } from './errors';
import { CloseCode, LIMITS } from './protocol';

/** What a close from the host after the welcome means for the person. */
export function closeError(code: number, reason: string): AppError {
  if (code === CloseCode.roomClosed) return { code: 'room-closed', message: 'The host closed the room.' };
  if (code === CloseCode.sessionReplaced)
    return { code: 'session-replaced', message: 'You joined this room again from somewhere else, so this connection was closed.' };
  if (code === CloseCode.removed) return removedError(undefined);
  if (code === CloseCode.rateLimited) return { code: 'rate-limited', message: 'The host disconnected you for sending too fast.' };
  if (code === CloseCode.tooManyErrors)
    return { code: 'too-many-errors', message: 'The host disconnected you after too many invalid messages.' };
  return { code: 'room-closed', message: `The host ended the connection${reason ? `: ${reason.slice(0, 120)}` : '.'}` };
}

const cleanText = (text: string, max: number) => [...text.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim()].slice(0, max).join('');

/**
 * The sentence a host sends (as `error` `removed`, before close 4006) to a member it removes, with
 * the host's reason when it gave one (control and invisible characters dropped, cut to
 * LIMITS.removalReasonMaxChars).
 */
export function removalSentence(reason: string | undefined): string {
  const said = cleanText(reason ?? '', LIMITS.removalReasonMaxChars);
  return `The host removed you from the room${said ? `: “${said}”.` : '.'} The same invite will not let you back in unless the host allows it.`;
}

/** What being removed means for a guest: the host's sentence (untrusted, so cleaned and cut), or a plain one. */
export function removedError(hostSentence: string | undefined): AppError {
  const said = cleanText(hostSentence ?? '', 400);
  return { code: 'removed', message: said || removalSentence(undefined) };
}

const WARNING_CODES = new Set<string>([
  'rate-limited',
  'text-invalid',
  'invalid-message',
  'bad-json',
  'unknown-type',
  'binary-not-expected',
  'already-joined',
  'hello-first',
  'too-many-transfers',
]);

/** An error frame's code from the host, narrowed to the codes a guest knows. */
export function asWarningCode(code: string): AppError['code'] {
  return WARNING_CODES.has(code) ? (code as AppError['code']) : 'bad-host-message';
}
