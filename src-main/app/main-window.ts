// The one window: hardened web preferences, shown when ready, light or dark like the system.
import type { BrowserWindow } from 'electron';
import { PAGE_URL } from './app-protocol';
import type { ElectronModules } from './electron-modules';

/** Creates and loads the window; `preloadPath` is the built, sandbox-ready preload script. */
export function createMainWindow(
  electron: Pick<ElectronModules, 'BrowserWindow' | 'nativeTheme'>,
  preloadPath: string,
  iconPath: string,
): BrowserWindow {
  // Named as such, so a scanner reading the bundle (Electronegativity) recognises the window.
  const { BrowserWindow, nativeTheme } = electron;
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Porthole',
    icon: iconPath,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#17191e' : '#f7f7f9',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(PAGE_URL);
  return window;
}
