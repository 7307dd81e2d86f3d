// Quitting: one ordered shutdown, at most SHUTDOWN_LIMIT_MS long, then the app quits anyway.
import { logger } from '../log/logger';
import type { ElectronModules } from './electron-modules';

/** Quitting waits at most this long for close frames and the router; then it quits anyway. */
export const SHUTDOWN_LIMIT_MS = 6000;

const log = logger('app');

export interface ShutdownSteps {
  /** Asked before anything stops; false keeps the app running (the person chose Cancel). */
  confirm?(): Promise<boolean>;
  /** The core's ordered shutdown (room, port mapping, partial files). */
  stop(): Promise<void> | undefined;
  /** Runs after stop or the limit, just before quitting (the log file's last lines). */
  finally?(): Promise<void> | void;
}

/**
 * Holds the first quit until the shutdown has run (or the limit passed), then quits for real;
 * and quits when the window is closed, since the room lives in this process.
 */
export function setupShutdown({ app }: Pick<ElectronModules, 'app'>, steps: ShutdownSteps, limitMs = SHUTDOWN_LIMIT_MS): void {
  let stopped = false;
  let stopping = false;
  let confirming = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping || confirming) return;
    if (steps.confirm) {
      confirming = true;
      void steps
        .confirm()
        .catch(() => false)
        .then((yes) => {
          confirming = false;
          if (!yes) return log.info('quitting was cancelled');
          stop();
        });
      return;
    }
    stop();
  });
  const stop = () => {
    stopping = true;
    log.info('quitting');
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((done) => {
      timer = setTimeout(() => {
        log.warn('shutdown took too long; quitting anyway', { limitMs });
        done();
      }, limitMs);
    });
    void Promise.race([Promise.resolve(steps.stop()).catch(() => {}), limit])
      .finally(() => clearTimeout(timer))
      .then(() => steps.finally?.())
      .catch(() => {})
      .finally(() => {
        stopped = true;
        app.quit();
      });
  };
  // The room lives in this process; with no window there is no way to see it, so quit.
  app.on('window-all-closed', () => app.quit());
}
