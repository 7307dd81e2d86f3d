// The Electron main process: one onReady that sets up each feature, one ordered shutdown on quit.
import { app, type BrowserWindow, ipcMain } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigDir } from '../config/config-dir';
import { createDesktopCore, type DesktopCore } from '../desktop/desktop-core';
import { registerIpc } from '../ipc/register-ipc';
import { createSenderCheck } from '../ipc/sender-check';
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
}

function setupShutdown(): void {
  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    const limit = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_LIMIT_MS));
    void Promise.race([core?.shutdown(), limit]).finally(() => {
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
  registerAppScheme();
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  void app.whenReady().then(onReady);
}
