import { createInterface, type Interface } from 'node:readline';
import { logSessionStatus } from '../log/session-status-log';
import { toAppError } from '../wire/errors';
import type { RoomSession } from '../session/room-session';
import type { CliOutput } from './cli-output';
import { HELP_TEXT } from './help-text';
import { printable } from './printable';
import type { PromptTerminal } from './prompt-terminal';
import { quitWouldCost } from './quit-guard';
import { runTransferCommand } from './transfer-commands';
import { runHostCommand } from './host-room-commands';
import type { HostedSession } from '../session/hosted-session';

export interface LoopIo {
  input: NodeJS.ReadableStream;
  /** Aborted on SIGINT/SIGTERM/SIGHUP or a broken stdout; made when the CLI starts, so an early one is not lost. */
  shutdown: AbortSignal;
  /**
   * A person at a terminal: lines are edited after a prompt that output never breaks, your own
   * chat line shows once, /quit asks again while hosting or transferring, Ctrl-D leaves. Without
   * it (a pipe, a file, --json) lines are read as they come and /quit leaves at once.
   */
  terminal?: PromptTerminal | undefined;
}

export interface LoopEnd {
  /**
   * Leaves the room with close frames; `session.close()` when left out. A hosted session passes
   * its own close, which closes the room and then removes the port mapping.
   */
  close?: () => Promise<void>;
  /** The host's session: /remove, /allow and /revoke work with it. */
  hosting?: HostedSession;
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
    const { terminal } = io;
    const lines: Interface = terminal ? terminal.read() : createInterface({ input: io.input, terminal: false });
    let done = false;
    /** The first /quit said what leaving would cost; the next line decides. */
    let quitAsked = false;
    const finish = async (code: number) => {
      if (done) return;
      done = true;
      if (terminal) terminal.close();
      else lines.close();
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
    // Ctrl-D at the prompt: the person is done, as with Ctrl-C. (A pipe that ends leaves the room open, as before.)
    if (terminal) lines.on('close', () => void finish(0));
    lines.on('line', (raw) => {
      const text = raw.replace(/\r$/, '');
      if (text.trim() === '') return;
      const confirming = quitAsked;
      quitAsked = false;
      if (text.startsWith('/')) return command(text.trim(), confirming);
      // Shown once: the room's copy (with the time and your name) replaces what the terminal showed as you typed.
      terminal?.eraseEnteredLine();
      try {
        session.send(text);
      } catch (err) {
        output.error(toAppError(err));
      }
    });
    const command = (text: string, confirming: boolean) => {
      const [name] = text.split(/\s+/);
      if (runTransferCommand(session, output, text)) return;
      if (end.hosting && runHostCommand(end.hosting, output, text)) return;
      if (name === '/quit' || name === '/exit') {
        // Only a person can answer: a script's /quit leaves at once, as it always did.
        const cost = terminal && !confirming ? quitWouldCost(session) : undefined;
        if (!cost) return void finish(0);
        quitAsked = true;
        output.note(cost);
      } else if (name === '/who')
        output.note(
          `In the room: ${session
            .members()
            .map((m) => printable(m.name))
            .join(', ')}`,
        );
      else if (name === '/help') output.note(HELP_TEXT);
      else output.error({ code: 'invalid-message', message: `Unknown command ${name}. Type /help for the list.` });
    };
  });
}
