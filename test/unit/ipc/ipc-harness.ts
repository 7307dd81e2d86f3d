// Stand-ins for the Electron objects the IPC layer touches: an ipcMain that records what is
// registered on it, our window's web contents and frames, a desktop platform that records what
// it was asked to do, and an event sink. Electron itself is not needed to run the handlers.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallName, EventName, Events, Result } from '../../../src-preload/contract';
import type { CallHandlers, DesktopPlatform, EventSink } from '../../../src-main/desktop/desktop-platform';
import { createDesktopCore } from '../../../src-main/desktop/desktop-core';
import { registerIpc, type IpcMainLike } from '../../../src-main/ipc/register-ipc';
import { createSenderCheck, type InvokeEventLike } from '../../../src-main/ipc/sender-check';

export const PAGE_URL = 'app://porthole/index.html';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** An ipcMain that keeps its handlers, refusing a second one per channel as Electron does. */
export class RecordingIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly handled: string[] = [];
  readonly removed: string[] = [];

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handled.push(channel);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.removed.push(channel);
    this.handlers.delete(channel);
  }

  /** Calls a channel as ipcRenderer.invoke would, from `event`'s sender. */
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<Result<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args) as Promise<Result<unknown>>;
  }
}

/** Our window: its web contents and the events its top frame sends. */
export function ourWindow() {
  const webContents = { id: 1, kind: 'our web contents' };
  const check = createSenderCheck(() => ({ webContents, pageUrl: PAGE_URL }));
  const fromPage = (url = PAGE_URL): InvokeEventLike => ({ sender: webContents, senderFrame: { url, parent: null } });
  return { webContents, check, fromPage };
}

/** Handlers that record their (parsed) arguments and answer what `answers` says, else their args. */
export function recordingHandlers(answers: Partial<Record<CallName, (...args: unknown[]) => unknown>> = {}) {
  const calls: Array<{ channel: CallName; args: unknown[] }> = [];
  const handlers = new Proxy({} as CallHandlers, {
    get:
      (_target, channel: string) =>
      async (...args: unknown[]) => {
        calls.push({ channel: channel as CallName, args });
        const answer = answers[channel as CallName];
        return answer ? answer(...args) : { echoed: args };
      },
  });
  return { handlers, calls };
}

/** Wraps real handlers so a test can see whether, and with what, each one ran. */
export function spyOn(real: CallHandlers) {
  const calls: Array<{ channel: CallName; args: unknown[] }> = [];
  const handlers = new Proxy(real, {
    get:
      (target, channel: string) =>
      (...args: unknown[]) => {
        calls.push({ channel: channel as CallName, args });
        return (target[channel as CallName] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
  });
  return { handlers, calls };
}

/** A desktop platform that records every request; pickers answer from queues the test fills. */
export function recordingPlatform() {
  const calls = {
    chooseFolder: [] as string[],
    chooseFiles: 0,
    showInFolder: [] as string[],
    openExternal: [] as string[],
    copyText: [] as string[],
  };
  const pickedFolders: Array<string | undefined> = [];
  const pickedFiles: string[][] = [];
  const platform: DesktopPlatform = {
    chooseFolder: async (defaultPath) => {
      calls.chooseFolder.push(defaultPath);
      return pickedFolders.shift();
    },
    chooseFiles: async () => {
      calls.chooseFiles++;
      return pickedFiles.shift() ?? [];
    },
    showInFolder: (path) => void calls.showInFolder.push(path),
    openExternal: async (url) => void calls.openExternal.push(url),
    copyText: (text) => void calls.copyText.push(text),
    // UPnP is off in every test's settings; starting the mapper would talk to the LAN.
    forkUpnp: () => {
      throw new Error('The UPnP child must never start in these tests.');
    },
  };
  return { platform, calls, pickedFolders, pickedFiles };
}

export interface SinkEvent {
  event: EventName;
  payload: unknown;
}

/** An event sink that keeps what was pushed and can wait for a particular event. */
export function recordingSink() {
  const events: SinkEvent[] = [];
  const waiters: Array<{ match: (e: SinkEvent) => boolean; resolve: (e: SinkEvent) => void }> = [];
  const sink: EventSink = <E extends EventName>(event: E, payload: Events[E]) => {
    const pushed = { event, payload };
    events.push(pushed);
    for (const waiter of [...waiters]) {
      if (waiter.match(pushed)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(pushed);
      }
    }
  };
  /** Resolves with the first event (already pushed or to come) that matches; fails after `ms`. */
  const next = <E extends EventName>(event: E, where: (payload: Events[E]) => boolean = () => true, ms = 10_000): Promise<Events[E]> => {
    const match = (e: SinkEvent) => e.event === event && where(e.payload as Events[E]);
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen.payload as Events[E]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No '${event}' event within ${ms} ms`)), ms);
      waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e.payload as Events[E]);
        },
      });
    });
  };
  const of = <E extends EventName>(event: E): Array<Events[E]> =>
    events.filter((e) => e.event === event).map((e) => e.payload as Events[E]);
  return { sink, events, next, of };
}

/**
 * A fresh temp folder with a config dir whose settings turn UPnP off (so hosting never talks to
 * the router) and send downloads to a folder inside it.
 */
export async function tempConfig(settings: Record<string, unknown> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'porthole-ipc-'));
  const configDir = join(root, 'config');
  const downloadDir = join(root, 'downloads');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'settings.json'), JSON.stringify({ upnp: false, downloadDir, ...settings }));
  return { root, configDir, downloadDir, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A desktop core in a fresh config dir (with `settings`), wired through registerIpc to a stand-in
 * ipcMain, calling as the app's own window; what to undo goes on `cleanups`.
 */
export async function desktopApp(cleanups: Array<() => Promise<unknown>>, settings: Record<string, unknown> = {}) {
  const config = await tempConfig(settings);
  const platform = recordingPlatform();
  const events = recordingSink();
  const core = createDesktopCore({ configDir: config.configDir, platform: platform.platform, sink: events.sink, listenHost: '127.0.0.1' });
  const ipc = new RecordingIpcMain();
  const window = ourWindow();
  registerIpc(ipc, core.handlers, window.check);
  cleanups.push(config.remove, core.shutdown);
  const call = <T = unknown>(channel: CallName, ...args: unknown[]) =>
    ipc.invoke(channel, window.fromPage(), ...args) as Promise<Result<T>>;
  return { config, platform, events, core, call };
}
