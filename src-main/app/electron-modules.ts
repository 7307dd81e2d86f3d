// The Electron objects the shell uses. main.ts passes the real ones; the unit tests pass
// stand-ins that record what is done to them (test/unit/app/fake-electron.ts).
import type * as Electron from 'electron';

export type ElectronModules = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'clipboard'
  | 'dialog'
  | 'ipcMain'
  | 'Menu'
  | 'nativeTheme'
  | 'net'
  | 'protocol'
  | 'safeStorage'
  | 'session'
  | 'shell'
  | 'utilityProcess'
>;
