import { fork, spawn, type ChildProcess } from 'node:child_process';

type Reply = { reply: string; data?: Record<string, unknown>; error?: string };

/** A benchmark process: started with tsx, driven by request/response messages over IPC. */
export class BenchChild {
  /** Every bench process still running, so a failed or interrupted run can end them all. */
  private static readonly live = new Set<BenchChild>();
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, { resolve: (data: Record<string, unknown>) => void; reject: (err: Error) => void }>();
  readonly exited: Promise<void>;

  /** `netns`: run the process inside that network namespace (`ip netns exec`), still driven over IPC. */
  constructor(script: string, args: string[], options: { netns?: string } = {}) {
    const execArgv = [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ];
    const path = new URL(script, import.meta.url).pathname;
    const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
    this.child = options.netns
      ? spawn('ip', ['netns', 'exec', options.netns, process.execPath, ...execArgv, path, ...args], { stdio })
      : fork(path, args, { execArgv, stdio });
    BenchChild.live.add(this);
    this.child.on('message', (m: Reply) => {
      const waiter = this.waiting.get(m.reply);
      this.waiting.delete(m.reply);
      if (m.error !== undefined) waiter?.reject(new Error(`${script} ${m.reply}: ${m.error}`));
      else waiter?.resolve(m.data ?? {});
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', () => {
        BenchChild.live.delete(this);
        for (const w of this.waiting.values()) w.reject(new Error(`${script} ended before answering`));
        this.waiting.clear();
        resolve();
      }),
    );
  }

  /** Sends a command and resolves with the child's answer to it (rejects with the child's error, or when it dies). */
  ask<T = Record<string, unknown>>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    if (!BenchChild.live.has(this)) return Promise.reject(new Error(`bench process ended before ${cmd}`));
    return new Promise((resolve, reject) => {
      this.waiting.set(cmd, { resolve: (data) => resolve(data as T), reject });
      this.child.send({ cmd, ...args });
    });
  }

  async stop(): Promise<void> {
    if (BenchChild.live.has(this)) this.child.send({ cmd: 'quit' });
    await this.exited;
  }

  /** Ends it now (a failed or interrupted run): SIGTERM lets it tidy up (see serveCommands), SIGKILL a second later. */
  async kill(): Promise<void> {
    if (!BenchChild.live.has(this)) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills every bench process still running. */
  static async killAll(): Promise<void> {
    await Promise.all([...BenchChild.live].map((c) => c.kill()));
  }
}

let cpuMark = process.cpuUsage();

/** Starts counting this process's CPU time from now (just before a transfer starts). */
export function markCpu(): void {
  cpuMark = process.cpuUsage();
}

/** CPU seconds (user + system, every thread of this process) since markCpu(). */
export function cpuSinceMark(): number {
  const used = process.cpuUsage(cpuMark);
  return (used.user + used.system) / 1e6;
}

/** Wall-clock milliseconds comparable between processes on this machine. */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/**
 * In a bench process: answers each command with the handler's result (or its error). Every
 * process also answers `cpuMark` and `cpu` (CPU seconds since the mark); `onQuit` runs before it exits.
 */
export function serveCommands(
  handlers: Record<string, (args: Record<string, unknown>) => Promise<object> | object>,
  onQuit?: () => Promise<void> | void,
): void {
  const builtIn: typeof handlers = {
    cpuMark: () => {
      markCpu();
      return {};
    },
    cpu: () => ({ cpuS: cpuSinceMark() }),
  };
  let quitting: Promise<void> | undefined;
  const quit = () => {
    quitting ??= Promise.resolve(onQuit?.()).finally(() => process.exit(0));
    return quitting;
  };
  // Told to stop (Ctrl-C reaches the whole process group; the runner sends SIGTERM), or the run
  // ended without saying quit (killed, crashed): tidy up and go.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void quit());
  process.on('disconnect', () => void quit());
  process.on('message', async (m: { cmd: string } & Record<string, unknown>) => {
    if (m.cmd === 'quit') return quit();
    try {
      const handler = handlers[m.cmd] ?? builtIn[m.cmd];
      if (!handler) throw new Error('no such command');
      process.send!({ reply: m.cmd, data: await handler(m) });
    } catch (err) {
      process.send!({ reply: m.cmd, error: err instanceof Error ? err.message : String(err) });
    }
  });
}

/** Peak resident memory of this process so far, in MB. */
export const peakRssMb = (): number => Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
