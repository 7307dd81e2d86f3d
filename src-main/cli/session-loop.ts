import { createInterface } from 'node:readline';
import { logSessionStatus } from '../log/session-status-log';
import { toAppError } from '../wire/errors';
import type { RoomSession } from '../session/room-session';
import type { CliOutput } from './cli-output';
import { runTransferCommand } from './transfer-commands';

export interface LoopIo {
  input: NodeJS.ReadableStream;
  /** Aborted on SIGINT/SIGTERM/SIGHUP or a broken stdout; made when the CLI starts, so an early one is not lost. */
  shutdown: AbortSignal;
}

export interface LoopEnd {
  /**
   * Leaves the room with close frames; `session.close()` when left out. A hosted session passes
   * its own close, which closes the room and then removes the port mapping.
   */
  close?: () => Promise<void>;
}

/**
 * Reads lines as chat messages and commands until /quit or `io.shutdown`, then closes (see
 * LoopEnd). Resolves with the exit code.
 */
export function runSessionLoop(
  session: RoomSession & NodeJS.EventEmitter,
  output: CliOutput,
  io: LoopIo,
  end: LoopEnd = {},
): Promise<number> {
  const close = end.close ?? (() => session.close());
  return new Promise((resolve) => {
    const lines = createInterface({ input: io.input, terminal: false });
    let done = false;
    const finish = async (code: number) => {
      if (done) return;
      done = true;
      lines.close();
      io.shutdown.removeEventListener('abort', onSignal);
      // A failure to close is a warning, and nothing rejects unhandled.
      await close().catch((err: unknown) => output.warning(toAppError(err)));
      resolve(code);
    };
    const onSignal = () => void finish(0);
    if (io.shutdown.aborted) return void finish(0);
    io.shutdown.addEventListener('abort', onSignal, { once: true });
    logSessionStatus(session, session.me.host ? 'host' : 'guest');
    session.on('status', (status: { state: string; error?: { code: string } }) => {
      // The room ended under us: a closed room is a normal end, anything else a failure.
      if (status.state === 'closed' && !done) void finish(!status.error || status.error.code === 'room-closed' ? 0 : 1);
    });
    lines.on('line', (raw) => {
      const text = raw.replace(/\r$/, '');
      if (text.trim() === '') return;
      if (text.startsWith('/')) return command(text.trim());
      try {
        session.send(text);
      } catch (err) {
        output.error(toAppError(err));
      }
    });
    const command = (text: string) => {
      const [name] = text.split(/\s+/);
      if (runTransferCommand(session, output, text)) return;
      if (name === '/quit' || name === '/exit') void finish(0);
      else if (name === '/who')
        output.note(
          `In the room: ${session
            .members()
            .map((m) => m.name)
            .join(', ')}`,
        );
      else if (name === '/help')
        output.note(
          'Commands: /who lists who is here, /send <path> offers a file, /accept <id> [folder], /decline <id>, /cancel <id>, /files lists transfers, /quit leaves. Anything else is sent as a message.',
        );
      else output.error({ code: 'invalid-message', message: `Unknown command ${name}. Type /help for the list.` });
    };
  });
}
