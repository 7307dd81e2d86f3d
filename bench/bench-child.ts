import { fork, spawn, type ChildProcess } from 'node:child_process';

/** A benchmark process: started with tsx, driven by request/response messages over IPC. */
export class BenchChild {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (data: Record<string, unknown>) => void>();
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
    this.child.on('message', (m: { reply: string; data: Record<string, unknown> }) => {
      this.waiting.get(m.reply)?.(m.data);
      this.waiting.delete(m.reply);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
  }

  /** Sends a command and resolves with the child's answer to it. */
  ask<T = Record<string, unknown>>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`bench process ended before answering ${cmd}`));
      this.child.once('exit', onExit);
      this.waiting.set(cmd, (data) => {
        this.child.off('exit', onExit);
        resolve(data as T);
      });
      this.child.send({ cmd, ...args });
    });
  }

  async stop(): Promise<void> {
    this.child.send({ cmd: 'quit' });
    await this.exited;
  }
}

/** In a bench process: answers each command with the handler's result. */
export function serveCommands(handlers: Record<string, (args: Record<string, unknown>) => Promise<object> | object>): void {
  process.on('message', async (m: { cmd: string } & Record<string, unknown>) => {
    if (m.cmd === 'quit') return process.exit(0);
    const data = await handlers[m.cmd]!(m);
    process.send!({ reply: m.cmd, data });
  });
}

/** Peak resident memory of this process so far, in MB. */
export const peakRssMb = (): number => Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
