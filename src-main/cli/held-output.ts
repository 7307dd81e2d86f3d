import type { CliOutput } from './cli-output';

/** What may print before `ready`: the way there (connecting), and the error that ends it. */
const NOT_HELD = new Set<keyof CliOutput>(['ready', 'error', 'connecting']);

/**
 * `ready` first, for every command: what the room reports while it opens (a guest's history,
 * members and status, a host's warnings) waits, in order, and follows `ready`. Errors and the
 * connecting progress are not held: they are the way to `ready`, or the end of it.
 */
export function holdUntilReady(output: CliOutput): CliOutput {
  let held: Array<() => void> | undefined = [];
  const wrapped = {} as Record<keyof CliOutput, (...args: never[]) => void>;
  for (const key of Object.keys(output) as Array<keyof CliOutput>) {
    const show = output[key] as (...args: unknown[]) => void;
    wrapped[key] = (...args: unknown[]) => {
      if (held && !NOT_HELD.has(key)) return void held.push(() => show(...args));
      show(...args);
      if (key !== 'ready' || !held) return;
      const waiting = held;
      held = undefined;
      for (const call of waiting) call();
    };
  }
  return wrapped as unknown as CliOutput;
}
