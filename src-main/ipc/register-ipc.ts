// Wires the desktop core's handlers to an ipcMain-like object: Electron's in the app, a test
// transport's in the end-to-end tests. Every call is checked for its sender and validated before
// its handler runs, and always answers a Result: errors never cross IPC as exceptions.
import { CALL_NAMES, type CallName, type Result } from '../../src-preload/contract';
import type { CallHandlers } from '../desktop/desktop-platform';
import { errorFields, logger } from '../log/logger';
import { toAppError } from '../wire/errors';
import { CALL_SCHEMAS } from './call-schemas';
import type { InvokeEventLike, SenderCheck } from './sender-check';

const log = logger('ipc');

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Registers one handler per call; returns the function that removes them all. */
export function registerIpc(ipc: IpcMainLike, handlers: CallHandlers, isOurs: SenderCheck): () => void {
  for (const channel of CALL_NAMES) {
    ipc.handle(channel, (event, ...args) => answer(channel, handlers, isOurs, event, args));
  }
  return () => CALL_NAMES.forEach((channel) => ipc.removeHandler(channel));
}

async function answer(
  channel: CallName,
  handlers: CallHandlers,
  isOurs: SenderCheck,
  event: InvokeEventLike,
  args: unknown[],
): Promise<Result<unknown>> {
  if (!senderIsOurs(isOurs, event)) return refused();
  try {
    const parsed = CALL_SCHEMAS[channel].safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
      log.warn('refused a malformed call', { channel, at: issue?.path.join('.'), issue: issue?.code });
      return {
        ok: false,
        error: {
          code: 'invalid-request',
          message: `The window sent a request Porthole cannot use: ${issue?.message ?? 'invalid'}${where}. Restart Porthole if this keeps happening.`,
        },
      };
    }
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, data: await handler(...(parsed.data as unknown[])) };
  } catch (err) {
    const error = toAppError(err);
    // A refusal with its own code is the person's business (a name taken, a file gone); 'internal' is a bug.
    if (error.code === 'internal') log.error('a call failed unexpectedly', { channel, ...errorFields(err, true) });
    return { ok: false, error };
  }
}

/** A sender check that throws (Electron throws when a disposed frame is read) refuses too. */
function senderIsOurs(isOurs: SenderCheck, event: InvokeEventLike): boolean {
  try {
    return isOurs(event);
  } catch (err) {
    log.warn('refused an IPC sender: the check failed', errorFields(err));
    return false;
  }
}

const refused = (): Result<never> => ({
  ok: false,
  error: { code: 'not-allowed', message: 'This request did not come from the Porthole window, so it was refused.' },
});
