// The room imports nothing else of the app (docs/ARCHITECTURE.md, pattern 11), not even the
// logger: it publishes its log lines on a Node diagnostics channel, and src-main/log/ writes
// what arrives there under the component `room`. With nobody subscribed (tests, a quiet CLI),
// a line costs one check and goes nowhere.
import { channel } from 'node:diagnostics_channel';

/** The channel src-main/log/ subscribes to. */
export const ROOM_LOG_CHANNEL = 'porthole:room-log';

export type RoomLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Flat, primitive values only, so no message, name list or file slips into a line whole. */
export type RoomLogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** One line the room wants written. */
export interface RoomLogRecord {
  level: RoomLogLevel;
  message: string;
  fields: RoomLogFields;
}

const lines = channel(ROOM_LOG_CHANNEL);

function publish(level: RoomLogLevel, message: string, fields: RoomLogFields = {}): void {
  if (!lines.hasSubscribers) return;
  try {
    lines.publish({ level, message, fields } satisfies RoomLogRecord);
  } catch {
    // A log line is never worth an exception in the room.
  }
}

/** The room's logger; the same four levels as every component's. */
export const roomLog = {
  debug: (message: string, fields?: RoomLogFields) => publish('debug', message, fields),
  info: (message: string, fields?: RoomLogFields) => publish('info', message, fields),
  warn: (message: string, fields?: RoomLogFields) => publish('warn', message, fields),
  error: (message: string, fields?: RoomLogFields) => publish('error', message, fields),
};
