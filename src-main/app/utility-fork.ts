// Starts the UPnP child with Electron's utilityProcess: child_process.fork of the app binary
// is off (the RunAsNode fuse), and a utility process is sandboxed from the main process.
import type { ForkFn } from '../nat/port-mapper';
import type { ElectronModules } from './electron-modules';

/** A ForkFn over `utilityProcess.fork`, for the port mapper. */
export function utilityFork({ utilityProcess }: Pick<ElectronModules, 'utilityProcess'>): ForkFn {
  return (modulePath) => {
    const child = utilityProcess.fork(modulePath, [], { serviceName: 'Porthole port mapping', stdio: 'ignore' });
    let exited = false;
    const exitListeners: Array<(code: number | null) => void> = [];
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code);
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      // The helper ignores SIGTERM (so a terminal's Ctrl-C cannot stop it before it unmaps);
      // a hung one must go at once, not after utilityProcess's 2 s grace.
      kill: () => {
        if (child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
            return;
          } catch {
            // Already gone: nothing to do.
          }
        }
        child.kill();
      },
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exitListeners.push(listener),
    };
  };
}
