import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Everything a bench run writes goes under one folder in the temp folder, and everything it
// starts is registered here, so the run leaves nothing behind however it ends: normally, after a
// failure, or on Ctrl-C (the terminal signals the whole process group; we also kill what is left).

type Cleanup = () => Promise<void> | void;
const cleanups = new Set<Cleanup>();
let root: string | undefined;
let cleaning: Promise<void> | undefined;
let signalled = false;

/** Whether the run is being stopped by a signal (what fails after that is only the stopping). */
export const stoppedBySignal = (): boolean => signalled;

/** The run's own folder in the temp folder (made on first use). */
export async function scratchRoot(): Promise<string> {
  root ??= await mkdtemp(join(tmpdir(), 'porthole-bench-'));
  return root;
}

/** A new empty folder inside the run's folder. */
export async function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(join(await scratchRoot(), `${prefix}-`));
}

/** Work to do when the run ends in any way (stop a daemon, kill processes); returns a function that drops it again. */
export function atCleanup(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered cleanup (newest first), then removes the run's folder. Safe to call twice. */
export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of [...cleanups].reverse()) {
      cleanups.delete(fn);
      await Promise.resolve()
        .then(fn)
        .catch((err: Error) => console.error(`bench cleanup: ${err.message}`));
    }
    if (root) await rm(root, { recursive: true, force: true });
  })();
  return cleaning;
}

/** On Ctrl-C, SIGTERM or SIGHUP: clean up and exit with the signal's status; on exit, remove the folder at least. */
export function cleanUpOnSignals(): void {
  const codes = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
  for (const [signal, code] of Object.entries(codes)) {
    process.once(signal, () => {
      signalled = true;
      console.error(`\n${signal}: stopping the bench and removing its files…`);
      void cleanUp().finally(() => process.exit(128 + code));
    });
  }
  process.once('exit', () => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
}
