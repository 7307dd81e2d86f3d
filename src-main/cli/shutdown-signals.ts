import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';

/** Signals that end the CLI like /quit: Ctrl-C, `kill` or a service manager, a closed terminal. */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How the CLI learns it should leave: a signal, or its own reason (e.g. a broken stdout). */
export interface ShutdownTrigger {
  /** Aborted once, by the first shutdown signal or by abort(). */
  readonly signal: AbortSignal;
  /** True once a SIGHUP came: the terminal closed, so output it could not show is no failure. */
  readonly hungUp: boolean;
  abort(): void;
}

/**
 * Listens for the shutdown signals for the rest of the process's life. The first one (or
 * abort()) starts the ordered shutdown; later ones only call `onRepeat`. The listeners stay, so
 * Node's default action for a second signal (dying at once) never cuts the room's goodbye or
 * the unmapping short: a Ctrl-C pressed twice, or a service manager's SIGTERM to every process,
 * still ends with the port closed on the router. The shutdown's steps have their own timeouts.
 */
export function listenForShutdown(onRepeat: (signal: NodeJS.Signals) => void): ShutdownTrigger {
  const controller = new AbortController();
  let hungUp = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (signal === 'SIGHUP') hungUp = true;
      if (controller.signal.aborted) onRepeat(signal);
      else controller.abort();
    });
  }
  return {
    signal: controller.signal,
    get hungUp() {
      return hungUp;
    },
    abort: () => controller.abort(),
  };
}

/**
 * Call right before process.exit(). Exiting, Node restores the terminal's settings, and Node 20
 * aborts (SIGABRT, a core dump, exit status 134) when the terminal has closed meanwhile
 * (tcsetattr fails with EIO; nodejs/node#51519). It skips a closed descriptor, so the standard
 * streams whose terminal went away are closed first.
 */
export function releaseClosedTerminal(hungUp: boolean): void {
  [process.stdin, process.stdout, process.stderr].forEach((stream, fd) => {
    // A terminal when the CLI started, and no longer one — or a SIGHUP said it is going away: the
    // hang-up may reach the descriptor only after this check, and Node would then abort at exit.
    if (!(stream as { isTTY?: boolean }).isTTY || (isatty(fd) && !hungUp)) return;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to restore either.
    }
  });
}
