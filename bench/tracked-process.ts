import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { atCleanup, stoppedBySignal } from './bench-scratch';

// Programs the bench starts besides its own Node processes (sshd, scp, python): each is killed
// when the run ends early, and its output is kept to explain a failure.

export interface Tracked {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once it has ended. */
  exited: Promise<number | string>;
  /** Ends it (SIGTERM, then SIGKILL after a second) and waits for that. */
  stop: () => Promise<void>;
}

const running = new Set<Tracked>();

/** Stops every program started here that still runs (a row that took too long). */
export async function stopAllTracked(): Promise<void> {
  await Promise.all([...running].map((t) => t.stop()));
}

/** Starts `command`; its stdin is closed, its output collected. */
export function startTracked(command: string, args: string[]): Tracked {
  if (stoppedBySignal()) throw new Error('the bench is stopping');
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (e) => resolve(e.message));
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(timer);
    }
  };
  const tracked: Tracked = { child, stdout: () => out, stderr: () => err, exited, stop };
  const drop = atCleanup(stop);
  running.add(tracked);
  void exited.then(() => {
    drop();
    running.delete(tracked);
  });
  return tracked;
}

/** Runs `command` to its end; rejects with its error output when it fails. */
export async function runTracked(command: string, args: string[]): Promise<string> {
  const run = startTracked(command, args);
  const code = await run.exited;
  if (code !== 0) throw new Error(`${command} failed (${code}): ${run.stderr().trim() || run.stdout().trim()}`);
  return run.stdout();
}

/** Resolves with the first line `command` prints (e.g. a port it listens on). */
export async function firstLine(run: Tracked): Promise<string> {
  while (!run.stdout().includes('\n')) {
    const ended = await Promise.race([once(run.child.stdout!, 'data').then(() => false), run.exited.then(() => true)]);
    if (ended && !run.stdout().includes('\n')) throw new Error(`it ended without a word: ${run.stderr().trim()}`);
  }
  return run.stdout().split('\n')[0]!;
}
