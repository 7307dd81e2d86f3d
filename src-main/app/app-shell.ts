// The Electron shell, put together: single instance, deep links, then one onReady that sets up
// each part (security, menu, core, window, shutdown). main.ts calls it with the real electron
// module; the unit tests call it with stand-ins that record every call.
import type { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createDesktopCore, type DesktopCore } from '../desktop/desktop-core';
import { registerIpc } from '../ipc/register-ipc';
import { createSenderCheck } from '../ipc/sender-check';
import { openLogFile, type LogFile } from '../log/log-file';
import { configureLogging, logger } from '../log/logger';
import { logProcessFailures } from '../log/process-failures';
import { PAGE_URL, registerAppScheme, serveRenderer } from './app-protocol';
import { setupMenu } from './app-menu';
import { setupShutdown, SHUTDOWN_LIMIT_MS } from './app-shutdown';
import { createQuitGuard } from './quit-guard';
import { linkInArgv, registerLinkHandler, type LaunchFacts } from './deep-links';
import type { ElectronModules } from './electron-modules';
import { electronPlatform } from './electron-platform';
import { createMainWindow } from './main-window';
import { setupWindowGuards } from './window-guards';

export interface ShellOptions extends LaunchFacts {
  /** dist/: the built main, preload and renderer bundles. */
  distDir: string;
  configDir: string;
  platform: NodeJS.Platform;
  /** Write the log file in the config folder and log process failures (the app; not tests). */
  logToFile: boolean;
  shutdownLimitMs?: number;
}

export interface Shell {
  /** False when another instance holds the lock: this one handed over its arguments and quits. */
  primary: boolean;
  /** Resolves once onReady has run. */
  ready: Promise<void>;
  window(): BrowserWindow | undefined;
  core(): DesktopCore | undefined;
}

const log = logger('app');

/** Starts the app's main process on these Electron objects. */
export function startShell(electron: ElectronModules, options: ShellOptions): Shell {
  const { app } = electron;
  let window: BrowserWindow | undefined;
  let core: DesktopCore | undefined;
  let logFile: LogFile | undefined;
  /** A link that came before the core was there to take it. */
  let earlyLink: string | undefined;

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, ready: Promise.resolve(), window: () => undefined, core: () => undefined };
  }

  /** Logs go to logs/porthole.log in the config folder (rotated at 1 MB, three older files kept). */
  function setupLogs(): void {
    logFile = openLogFile(options.configDir);
    configureLogging({ destination: logFile.destination, level: 'info' });
    // In Electron's main process neither changes what happens next: the error dialog, or a warning.
    logProcessFailures(log, { listenForRejections: true });
    log.info('started', { version: app.getVersion(), electron: process.versions.electron, platform: options.platform });
  }

  /** Brings the window forward (restored if minimized). */
  function showWindow(): void {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  }

  /** A porthole:// link: to the core, which checks it is an invite and fills the Join form. */
  function openLink(link: string): void {
    if (core) core.openInvite(link);
    else earlyLink = link;
    showWindow();
  }

  function setupLinks(): void {
    if (!registerLinkHandler(electron, options)) log.warn('porthole:// links could not be registered with the system');
    // macOS hands links over as open-url, also the one that launched the app: listened to before ready.
    app.on('open-url', (event, url) => {
      event.preventDefault();
      openLink(url);
    });
    // Windows and Linux start a second instance with the link; it hands its arguments over and quits.
    app.on('second-instance', (_event, argv) => {
      const link = linkInArgv(argv);
      if (link) openLink(link);
      else showWindow();
    });
    const launchLink = linkInArgv(options.argv);
    if (launchLink) earlyLink = launchLink;
  }

  function setupSecurity(): void {
    setupWindowGuards(electron);
    serveRenderer(electron, join(options.distDir, 'renderer'));
  }

  function setupCore(): void {
    core = createDesktopCore({
      configDir: options.configDir,
      platform: electronPlatform(electron, () => window),
      sink: (event, payload) => {
        if (window && !window.isDestroyed()) window.webContents.send(event, payload);
      },
    });
    const isOurs = createSenderCheck(() =>
      window && !window.isDestroyed() ? { webContents: window.webContents, pageUrl: PAGE_URL } : undefined,
    );
    registerIpc(electron.ipcMain, core.handlers, isOurs);
    if (earlyLink !== undefined) core.openInvite(earlyLink);
    earlyLink = undefined;
  }

  function setupWindow(): void {
    const dist = options.distDir;
    window = createMainWindow(electron, join(dist, 'preload', 'preload.cjs'), join(dist, 'renderer', 'icon.png'));
    window.on('closed', () => (window = undefined));
    window.webContents.on('render-process-gone', (_event, details) => {
      log.error('the window’s renderer process went away', { reason: details.reason, exitCode: details.exitCode });
    });
  }

  function onReady(): void {
    setupSecurity();
    setupMenu(electron, options.platform);
    setupCore();
    setupWindow();
    const guard = createQuitGuard(
      electron,
      () => core?.quitQuestion(),
      () => window,
    );
    if (window) guard.watch(window);
    setupShutdown(
      electron,
      { confirm: () => guard.confirm(), stop: () => core?.shutdown(), finally: () => logFile?.close() },
      options.shutdownLimitMs ?? SHUTDOWN_LIMIT_MS,
    );
  }

  if (options.logToFile) setupLogs();
  registerAppScheme(electron);
  setupLinks();
  const ready = app.whenReady().then(onReady);
  return { primary: true, ready, window: () => window, core: () => core };
}
