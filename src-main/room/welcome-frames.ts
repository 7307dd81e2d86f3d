import { LIMITS, type NumberedEvent, type Welcome } from '../wire/protocol';

/** Room left in a welcome frame for JSON punctuation and the frame decoder's own margin. */
const WELCOME_BUDGET = LIMITS.maxFrameBytes - 1024;

/**
 * Splits a welcome whose history would not fit in one text frame: the welcome keeps the oldest
 * events that fit, and the rest follow as ordinary event frames (guests treat every event up to
 * the welcome's `lastSeq` as history). No frame a guest receives is then larger than
 * LIMITS.maxFrameBytes, however long the messages in the history are.
 */
export function welcomeFrames(welcome: Welcome): { welcome: Welcome; after: NumberedEvent[] } {
  let size = Buffer.byteLength(JSON.stringify({ ...welcome, history: [] }));
  let fits = 0;
  for (const event of welcome.history) {
    size += Buffer.byteLength(JSON.stringify(event)) + 1;
    if (size > WELCOME_BUDGET) break;
    fits++;
  }
  return { welcome: { ...welcome, history: welcome.history.slice(0, fits) }, after: welcome.history.slice(fits) };
}
