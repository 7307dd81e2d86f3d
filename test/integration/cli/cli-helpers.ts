// Helpers for the CLI tests of this folder: real `porthole` processes (JSON through CliProcess, or
// plain text as a person reads it) and a look at every file a config folder holds.
import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CliProcess } from '../../fixtures/cli-process';
import { loopbackInvite } from '../../fixtures/loopback-invite';

const BIN = new URL('../../../bin/porthole.js', import.meta.url).pathname;

/** Every CliProcess a test started, killed after it. */
export const started: CliProcess[] = [];

export async function cli(args: string[], configDir?: string): Promise<CliProcess> {
  const p = await CliProcess.start(args, configDir);
  started.push(p);
  return p;
}

/** A host on loopback: its process, its ready line and its invite pointed at 127.0.0.1. */
export async function hostReady(args: string[], configDir?: string) {
  const host = await cli(['host', '--json', '--no-upnp', ...args], configDir);
  const ready = await host.waitFor((e) => e.event === 'ready');
  return { host, ready, invite: loopbackInvite(ready.invite as string) };
}

/** A plain-text `porthole` (no --json): what a person sees on stdout and stderr, and how it ended. */
export class PlainCli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child;

  constructor(args: string[], configDir: string) {
    this.child = spawn(process.execPath, [BIN, '--config-dir', configDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until stdout or stderr (as chosen) matches. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !pattern.test(this[stream]); ) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} on ${stream}; stdout ${this.stdout}; stderr ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Runs a short command (`porthole rooms …`) to its end. */
export async function runPlain(args: string[], configDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = new PlainCli(args, configDir);
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Runs `porthole … --json` to its end and parses each stdout line. */
export async function runJson(args: string[], configDir: string): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  const { code, stdout } = await runPlain([...args, '--json'], configDir);
  return {
    code,
    lines: stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  };
}

/** Every file under `dir` (relative path), with its mode and text. */
export async function filesIn(dir: string): Promise<Array<{ path: string; mode: number; text: string }>> {
  const found: Array<{ path: string; mode: number; text: string }> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    found.push({ path: full.slice(dir.length + 1), mode: (await stat(full)).mode & 0o777, text: await readFile(full, 'utf8') });
  }
  return found;
}
