// A real `porthole` process in a real pseudo-terminal, seen as a person would see it: util-linux
// `script` gives the CLI a terminal (stdin and stdout are TTYs, raw mode works), what the CLI
// writes is rendered by xterm.js's headless terminal (escape sequences, cursor moves, erasing),
// and keys typed go in through the terminal's input like a keyboard's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';

const BIN = new URL('../../../bin/porthole.js', import.meta.url).pathname;
const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** Keys as a terminal sends them. */
export const KEY = { enter: '\r', ctrlC: '\x03', ctrlD: '\x04' } as const;

export class TerminalCli {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the CLI wrote, escape sequences included. */
  raw = '';
  private readonly screenTerminal: InstanceType<typeof xterm.Terminal>;
  private readonly child: ChildProcess;
  private parsing: Promise<void> = Promise.resolve();

  private constructor(
    args: string[],
    readonly configDir: string,
    readonly columns: number,
  ) {
    this.screenTerminal = new xterm.Terminal({ cols: columns, rows: 40, allowProposedApi: true, scrollback: 1000 });
    const command = `stty cols ${columns} rows 40 && exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, PORTHOLE_CONFIG_DIR: configDir, TERM: 'xterm-256color', SHELL: '/bin/sh' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString('utf8');
      const written = new Promise<void>((resolve) => this.screenTerminal.write(chunk, resolve));
      this.parsing = this.parsing.then(() => written);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `porthole ARGS` in a terminal COLUMNS wide, with the given config folder or a fresh one. */
  static async start(args: string[], options: { configDir?: string; columns?: number } = {}): Promise<TerminalCli> {
    const configDir = options.configDir ?? (await mkdtemp(join(tmpdir(), 'porthole-tty-')));
    return new TerminalCli(args, configDir, options.columns ?? 100);
  }

  /** Keys, as typed (KEY.enter to end a line). */
  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** The screen and its scrollback as lines of text, a line the terminal wrapped joined to the one before. */
  async lines(): Promise<string[]> {
    await this.parsing;
    const buffer = this.screenTerminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i)!;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /** The lines once `predicate` holds for them. */
  async waitFor(predicate: (lines: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = await this.lines();
      if (predicate(lines)) return lines;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${what}:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for a line containing `text`. */
  waitForText(text: string, timeoutMs?: number): Promise<string[]> {
    return this.waitFor((lines) => lines.some((l) => l.includes(text)), JSON.stringify(text), timeoutMs);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
