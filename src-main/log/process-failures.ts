// Exceptions nobody caught and rejections nobody handled, logged without changing what the
// process does next.
import { errorFields, type Logger } from './logger';

export interface ProcessFailureOptions {
  /**
   * Also listen to 'unhandledRejection'. Only where a listener changes nothing: in Electron's main
   * process a rejection only warns and the app goes on. In plain Node a listener would stop the
   * crash that an unhandled rejection causes today, so the CLI leaves this off; Node then raises
   * the rejection as an uncaught exception, which the monitor sees.
   */
  listenForRejections: boolean;
}

/** Logs each uncaught exception (and, if asked, unhandled rejection) as an error line with its stack. */
export function logProcessFailures(log: Logger, options: ProcessFailureOptions, target: NodeJS.Process = process): void {
  // The monitor runs before Node's own handling (print and exit, or Electron's dialog), which stays as it was.
  target.on('uncaughtExceptionMonitor', (err, origin) => {
    log.error(origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception', errorFields(err, true));
  });
  if (options.listenForRejections) {
    target.on('unhandledRejection', (reason) => log.error('unhandled rejection', errorFields(reason, true)));
  }
}
