// A logger per component (docs/ARCHITECTURE.md, pattern 14): `logger('nat').warn('…', { code })`.
// Lines are JSON, one per line, written by pino: level, time, component, message and the fields.
// Nothing is written until a composition root says where: the app to a small rotating file, the
// CLI to stderr with --verbose. Until then (tests, a quiet CLI) every line goes nowhere.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import pino from 'pino';
import { ROOM_LOG_CHANNEL, type RoomLogRecord } from '../wire/room-log';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Flat, primitive values only, so no message, file or object slips into a line whole. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Where lines go: anything with a write(line) (a file stream, a guarded stderr, a test's array). */
export interface LogDestination {
  write(line: string): void;
}

export interface LogSetup {
  destination: LogDestination;
  /** Lines below this level are dropped; default `info`. */
  level?: LogLevel;
}

/**
 * Field names whose values never reach a line, should anyone pass one: the room secret, resume
 * tokens, invites (they carry the secret), chat text and file contents. Callers log codes, ids
 * and counts; this is the backstop.
 */
export const NEVER_LOGGED = ['secret', 'roomSecret', 'token', 'resumeToken', 'invite', 'text', 'content', 'authorization'] as const;

let root: pino.Logger | undefined;
const children = new Map<string, pino.Logger>();

/** Points every component's lines at `setup.destination`, or (undefined) turns them off. */
export function configureLogging(setup: LogSetup | undefined): void {
  children.clear();
  unsubscribe(ROOM_LOG_CHANNEL, fromRoom);
  root = undefined;
  if (!setup) return;
  try {
    root = pino(
      {
        level: setup.level ?? 'info',
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: [...NEVER_LOGGED], censor: '[not logged]' },
      },
      setup.destination,
    );
    subscribe(ROOM_LOG_CHANNEL, fromRoom);
  } catch {
    root = undefined; // logs are for people debugging; without them Porthole works the same
  }
}

/** The logger of one component (`room`, `nat`, `ipc`, …); cheap to create, safe to keep. */
export function logger(component: string): Logger {
  return {
    debug: (message, fields) => write(component, 'debug', message, fields),
    info: (message, fields) => write(component, 'info', message, fields),
    warn: (message, fields) => write(component, 'warn', message, fields),
    error: (message, fields) => write(component, 'error', message, fields),
  };
}

/** What a log line may say about an error: its kind, code and sentence; the stack for a crash. */
export function errorFields(err: unknown, withStack = false): LogFields {
  if (!(err instanceof Error)) return { error: typeof err };
  const code = (err as { code?: unknown }).code;
  return {
    error: err.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: code } : {}),
    reason: err.message.slice(0, 300),
    ...(withStack && err.stack ? { stack: err.stack } : {}),
  };
}

function write(component: string, level: LogLevel, message: string, fields: LogFields = {}): void {
  if (!root) return;
  try {
    let child = children.get(component);
    if (!child) {
      child = root.child({ component });
      children.set(component, child);
    }
    child[level](fields, message);
  } catch {
    // A log line is never worth an exception in the caller (a closed stream, a broken pipe…).
  }
}

function fromRoom(record: unknown): void {
  const { level, message, fields } = record as RoomLogRecord;
  write('room', level, message, fields);
}
