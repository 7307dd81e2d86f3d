// How the parent starts the UPnP child: plain child_process.fork headless; the Electron app
// injects its own ForkFn built on utilityProcess.fork.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorFields, logger } from '../log/logger';

const log = logger('nat');

/** The minimal handle the port mapper needs on its child process. */
export interface MapperProcess {
  readonly pid?: number | undefined;
  send(message: unknown): void;
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
}

/** Starts the child running the given module and returns a handle to it. */
export type ForkFn = (modulePath: string) => MapperProcess;

/**
 * Path of the child entry module next to this file (.ts under tsx; .js once bundled, where the
 * app's build puts upnp-child.js beside main.js). Built with join(), not `new URL(…,
 * import.meta.url)`, which Vite would turn into an inlined asset.
 */
export const upnpChildModulePath = join(
  dirname(fileURLToPath(import.meta.url)),
  `upnp-child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
);

/**
 * Forks the child with Node's child_process, loading tsx when the module is TypeScript.
 *
 * On POSIX the child leads its own process group: a terminal's Ctrl-C or a signal to the host's
 * group must not end it before the host's ordered shutdown has removed the mapping, not even in
 * the first second, while tsx loads and child-signals.ts cannot ignore anything yet (that file
 * covers a service manager that signals every process of the service). It still ends with the
 * host: it exits when the IPC channel closes (the host exited or was killed), and the mapper
 * kills it with SIGKILL when it stops. Windows has no process groups to leave, and `detached`
 * would open a console window there.
 */
export const forkWithNode: ForkFn = (modulePath) => {
  const child = fork(modulePath, [], {
    execArgv: modulePath.endsWith('.ts') ? ['--import', 'tsx'] : [],
    serialization: 'json',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    detached: process.platform !== 'win32',
  });
  let exited = false;
  const exitListeners: Array<(code: number | null) => void> = [];
  const onGone = (code: number | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code);
  };
  child.on('exit', (code) => onGone(code));
  // A failed spawn emits 'error' without 'exit'; treat it as the child being gone.
  child.on('error', (err) => {
    log.warn('the port-mapping helper failed to start or broke', errorFields(err));
    child.kill('SIGKILL');
    onGone(null);
  });
  return {
    pid: child.pid,
    send(message) {
      if (!child.connected) return;
      child.send(message as object, (err) => {
        if (!err) return;
        log.warn('could not reach the port-mapping helper; stopping it', errorFields(err));
        child.kill('SIGKILL');
      });
    },
    kill() {
      child.kill('SIGKILL');
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
  };
};
