// The application menu of our own: Electron's default has Reload and Force Reload (a reload
// while hosting would be a surprise) and DevTools everywhere. Ours keeps the standard Edit and
// Window roles (copy, paste and undo need them on macOS) and shows DevTools in unpacked builds only.
import type { MenuItemConstructorOptions } from 'electron';
import type { ElectronModules } from './electron-modules';

export interface MenuFacts {
  appName: string;
  isMac: boolean;
  /** DevTools are offered only when true: an unpacked build (`app.isPackaged` false). */
  devTools: boolean;
}

/** The menu as a template, one submenu per top-level entry. */
export function menuTemplate({ appName, isMac, devTools }: MenuFacts): MenuItemConstructorOptions[] {
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      sep,
      { role: 'services' },
      sep,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      sep,
      { role: 'quit' },
    ],
  };
  const fileMenu: MenuItemConstructorOptions = { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] };
  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
      ...(devTools ? [sep, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    role: 'windowMenu',
    submenu: isMac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };
  return [...(isMac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu];
}

/** Replaces Electron's default menu with ours; call once the app is ready. */
export function setupMenu({ app, Menu }: Pick<ElectronModules, 'app' | 'Menu'>, platform: NodeJS.Platform): void {
  const template = menuTemplate({ appName: app.name, isMac: platform === 'darwin', devTools: !app.isPackaged });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
