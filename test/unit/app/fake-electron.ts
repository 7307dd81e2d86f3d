// Stand-ins for the Electron objects the shell uses (src-main/app/electron-modules.ts), each
// recording what is done to it in one ordered log, so a test can drive the shell as Electron
// would (ready, second-instance, open-url, before-quit…) and check what it did. Only Electron is
// replaced: the desktop core, the IPC handlers and the files they serve are the real ones.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ElectronModules } from '../../../src-main/app/electron-modules';
import { RecordingIpcMain } from '../ipc/ipc-harness';

/** An Electron event: preventDefault() is remembered. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url?: string) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface FakeElectronOptions {
  /** What requestSingleInstanceLock answers. */
  lock?: boolean | undefined;
  isPackaged?: boolean | undefined;
}

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** Builds a fresh set of stand-ins; `log` holds every recorded call in order. */
export function fakeElectron(options: FakeElectronOptions = {}) {
  const log: string[] = [];
  let ready = false;
  let markReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));
  const windows: FakeWindow[] = [];
  const opened: string[] = [];
  const permission = {
    request: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    check: undefined as undefined | ((contents: unknown, permission: string) => boolean),
  };
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  const privileged: unknown[] = [];
  const menus: Array<{ template: unknown[] }> = [];
  const forks: FakeChild[] = [];
  const protocolClients: unknown[][] = [];
  const messageBoxes: unknown[] = [];
  /** What the next message boxes answer (0: the first button, e.g. Quit). */
  const messageBoxAnswers: number[] = [];

  class App extends EventEmitter {
    name = 'Porthole';
    isPackaged = options.isPackaged ?? false;
    quits = 0;
    badge: number[] = [];
    requestSingleInstanceLock(): boolean {
      log.push('app.requestSingleInstanceLock');
      return options.lock ?? true;
    }
    quit(): void {
      log.push('app.quit');
      this.quits++;
    }
    whenReady(): Promise<void> {
      log.push('app.whenReady');
      return readyPromise;
    }
    isReady(): boolean {
      return ready;
    }
    getVersion(): string {
      return '0.1.0';
    }
    setAsDefaultProtocolClient(...args: unknown[]): boolean {
      log.push('app.setAsDefaultProtocolClient');
      protocolClients.push(args);
      return true;
    }
    setBadgeCount(count: number): boolean {
      this.badge.push(count);
      return true;
    }
  }
  const app = new App();

  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    loaded: string | undefined;
    minimized = false;
    restored = 0;
    focused = 0;
    shown = 0;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      log.push('new BrowserWindow');
      windows.push(this);
      // Electron announces every web contents it creates.
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
    loadURL(url: string): Promise<void> {
      log.push(`window.loadURL ${url}`);
      this.loaded = url;
      return Promise.resolve();
    }
    show(): void {
      this.shown++;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    restore(): void {
      this.minimized = false;
      this.restored++;
    }
    focus(): void {
      this.focused++;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
  }

  class FakeChild extends EventEmitter {
    pid: number | undefined;
    readonly posted: unknown[] = [];
    killed = 0;
    constructor(
      readonly modulePath: string,
      readonly args: string[],
      readonly options: Record<string, unknown>,
    ) {
      super();
    }
    postMessage(message: unknown): void {
      this.posted.push(message);
    }
    kill(): boolean {
      this.killed++;
      return true;
    }
  }

  const modules = {
    app,
    BrowserWindow: FakeWindow,
    clipboard: { writeText: (text: string) => void log.push(`clipboard.writeText ${text}`) },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      /** Answers with `messageBoxAnswers` in turn (0 = the first button), 1 when they run out; each box is logged. */
      showMessageBox: async (...args: unknown[]) => {
        const boxOptions = args.at(-1) as { message?: string };
        log.push(`dialog.showMessageBox ${boxOptions.message ?? ''}`);
        messageBoxes.push(boxOptions);
        return { response: messageBoxAnswers.shift() ?? 1, checkboxChecked: false };
      },
    },
    ipcMain: new RecordingIpcMain(),
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (menu: { template: unknown[] }) => {
        log.push('Menu.setApplicationMenu');
        menus.push(menu);
      },
    },
    nativeTheme: { shouldUseDarkColors: false },
    // Electron's net.fetch reads file: URLs; Node's fetch does not, so the file is read here.
    net: {
      fetch: async (url: string) => {
        try {
          return new Response(await readFile(fileURLToPath(url)));
        } catch {
          return new Response('gone', { status: 404 });
        }
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        log.push(`protocol.registerSchemesAsPrivileged${ready ? ' (after ready)' : ''}`);
        privileged.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response> | Response) => {
        log.push(`protocol.handle ${scheme}${ready ? '' : ' (before ready)'}`);
        protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof permission.request) => {
          log.push('session.setPermissionRequestHandler');
          permission.request = handler;
        },
        setPermissionCheckHandler: (handler: typeof permission.check) => {
          log.push('session.setPermissionCheckHandler');
          permission.check = handler;
        },
      },
    },
    shell: {
      openExternal: async (url: string) => void opened.push(url),
      showItemInFolder: (path: string) => void log.push(`shell.showItemInFolder ${path}`),
    },
    utilityProcess: {
      fork: (modulePath: string, args: string[], forkOptions: Record<string, unknown>) => {
        const child = new FakeChild(modulePath, args, forkOptions);
        forks.push(child);
        return child;
      },
    },
  };

  return {
    /** What the shell is given, typed as the real modules (only the parts it uses exist). */
    electron: modules as unknown as ElectronModules,
    app,
    ipcMain: modules.ipcMain,
    log,
    windows,
    opened,
    permission,
    protocolHandlers,
    privileged,
    menus,
    forks,
    protocolClients,
    messageBoxes,
    messageBoxAnswers,
    /** Emits ready as Electron does, and waits for what whenReady's callers run. */
    async fireReady(): Promise<void> {
      ready = true;
      log.push('ready');
      markReady();
      await readyPromise;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;
