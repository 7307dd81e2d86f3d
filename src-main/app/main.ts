// The Electron main process: one onReady that sets up each feature, one ordered shutdown on quit.
import { app, type BrowserWindow, ipcMain } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigDir } from '../config/config-dir';
import { createDesktopCore, type DesktopCore } from '../desktop/desktop-core';
import { registerIpc } from '../ipc/register-ipc';
import { createSenderCheck } from '../ipc/sender-check';
import { openLogFile, type LogFile } from '../log/log-file';
import { configureLogging, logger } from '../log/logger';
import { logProcessFailures } from '../log/process-failures';
import { PAGE_URL, registerAppScheme, serveRenderer } from './app-protocol';
import { electronPlatform } from './electron-platform';
import { createMainWindow } from './main-window';
import { setupWindowGuards } from './window-guards';

/** Quitting waits at most this long for close frames and the router; then it quits anyway. */
const SHUTDOWN_LIMIT_MS = 6000;

const here = dirname(fileURLToPath(import.meta.url)); // dist/main
const distDir = join(here, '..');
let window: BrowserWindow | undefined;
let core: DesktopCore | undefined;
let logFile: LogFile | undefined;
const log = logger('app');

/** Logs go to logs/porthole.log in the config folder (rotated at 1 MB, three older files kept). */
function setupLogs(): void {
  logFile = openLogFile(defaultConfigDir());
  configureLogging({ destination: logFile.destination, level: 'info' });
  // In Electron's main process neither changes what happens next: the error dialog, or a warning.
  logProcessFailures(log, { listenForRejections: true });
  log.info('started', { version: app.getVersion(), electron: process.versions.electron, platform: process.platform });
}

function setupSecurity(): void {
  setupWindowGuards();
  serveRenderer(join(distDir, 'renderer'));
}

function setupCore(): void {
  core = createDesktopCore({
    configDir: defaultConfigDir(),
    platform: electronPlatform(() => window),
    sink: (event, payload) => {
      if (window && !window.isDestroyed()) window.webContents.send(event, payload);
    },
  });
  const isOurs = createSenderCheck(() =>
    window && !window.isDestroyed() ? { webContents: window.webContents, pageUrl: PAGE_URL } : undefined,
  );
  registerIpc(ipcMain, core.handlers, isOurs);
}

function setupWindow(): void {
  window = createMainWindow(join(distDir, 'preload', 'preload.cjs'), join(distDir, 'renderer', 'icon.png'));
  window.on('closed', () => (window = undefined));
  window.webContents.on('render-process-gone', (_event, details) => {
    log.error('the window’s renderer process went away', { reason: details.reason, exitCode: details.exitCode });
  });
}

function setupShutdown(): void {
  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    log.info('quitting');
    const limit = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_LIMIT_MS));
    void Promise.race([core?.shutdown(), limit])
      .finally(() => logFile?.close()) // the last lines reach the file before the process ends
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  // The room lives in this process; with no window there is no way to see it, so quit.
  app.on('window-all-closed', () => app.quit());
}

function onReady(): void {
  setupSecurity();
  setupCore();
  setupWindow();
  setupShutdown();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  setupLogs();
  registerAppScheme();
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  void app.whenReady().then(onReady);
}
