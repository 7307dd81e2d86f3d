/** Exit code of a CLI whose stdout broke (its reader went away): an error, like any other. */
export const OUTPUT_BROKEN_EXIT_CODE = 1;

/** The CLI's stdout and stderr, written through guards that never throw or crash. */
export interface OutputStreams {
  out(text: string): void;
  err(text: string): void;
  /** True once stdout failed; nothing is written there any more. */
  readonly broken: boolean;
}

/**
 * Guards stdout and stderr. When stdout fails (EPIPE once the program reading it went away, or
 * any other write error), later writes there are dropped and `onBroken` runs once, so the CLI
 * can leave the room as on /quit. A failing stderr is only for people, so it is ignored.
 */
export function guardOutput(
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  onBroken: (error: NodeJS.ErrnoException) => void,
): OutputStreams {
  let broken = false;
  let stderrBroken = false;
  // Listeners stay for good: a stream that errs again must still not throw an 'error' event.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (broken) return;
    broken = true;
    onBroken(error);
  });
  stderr.on('error', () => (stderrBroken = true));
  return {
    out: (text) => void (broken || stdout.write(text)),
    err: (text) => void (stderrBroken || stderr.write(text)),
    get broken() {
      return broken;
    },
  };
}
