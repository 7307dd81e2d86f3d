// The app's log: logs/porthole.log in the config folder, rotated by size so it stays small
// (porthole.log, then porthole.log.1 … .3 for the older lines). Plain Node: the app opens it,
// and it works the same from a test.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createStream } from 'rotating-file-stream';
import type { LogDestination } from './logger';

export const LOG_FILE_NAME = 'porthole.log';

export interface LogFileLimits {
  /** Size at which the file is rotated, in rotating-file-stream's syntax ('1M', '300K'). */
  size: string;
  /** Older files kept beside the current one. */
  keep: number;
}

export const DEFAULT_LOG_FILE_LIMITS: LogFileLimits = { size: '1M', keep: 3 };

/** Closing waits at most this long for buffered lines to be written. */
const CLOSE_LIMIT_MS = 1000;

export interface LogFile {
  destination: LogDestination;
  path: string;
  /** Writes what is buffered and closes the file; later lines are dropped. */
  close(): Promise<void>;
}

/** The folder of the app's log files, inside the config folder. */
export const logFolder = (configDir: string) => join(configDir, 'logs');

/** Opens the rotating log file; a file that cannot be written only means no log, never an error. */
export function openLogFile(configDir: string, limits: LogFileLimits = DEFAULT_LOG_FILE_LIMITS): LogFile {
  const folder = logFolder(configDir);
  let usable = true;
  let stream: ReturnType<typeof createStream> | undefined;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // `rotate` is logrotate's scheme: porthole.log.1 is the newest older file.
    stream = createStream(LOG_FILE_NAME, {
      path: folder,
      size: limits.size,
      rotate: limits.keep,
      mode: 0o600,
    });
    // Once the stream fails it is closed for good (rotating-file-stream's rule): stop writing.
    stream.on('error', () => (usable = false));
    stream.on('warning', () => {});
  } catch {
    usable = false;
  }
  return {
    path: join(folder, LOG_FILE_NAME),
    destination: {
      write(line) {
        if (usable && stream) stream.write(line);
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!stream || !usable || stream.writableEnded) return resolve();
        usable = false;
        stream.once('error', () => resolve());
        stream.end(() => resolve());
        // A disk that hangs must not hold up quitting.
        setTimeout(resolve, CLOSE_LIMIT_MS).unref();
      }),
  };
}
