// The desktop core's view of the operating system, through Electron: pickers, the file
// manager, the default browser, the clipboard, and the UPnP child process.
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import type { DesktopPlatform } from '../desktop/desktop-platform';
import type { ElectronModules } from './electron-modules';
import { utilityFork } from './utility-fork';
import { openOutside } from './window-guards';

export function electronPlatform(
  electron: Pick<ElectronModules, 'app' | 'clipboard' | 'dialog' | 'safeStorage' | 'shell' | 'utilityProcess'>,
  window: () => BrowserWindow | undefined,
): DesktopPlatform {
  const { clipboard, dialog, shell } = electron;
  /** An open dialog attached to the window when there is one. */
  const pick = (options: OpenDialogOptions) => {
    const w = window();
    return w && !w.isDestroyed() ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options);
  };
  return {
    chooseFolder: async (defaultPath, purpose = 'download') => {
      const picked = await pick(
        purpose === 'send'
          ? { title: 'Send a folder', defaultPath, properties: ['openDirectory'] }
          : { title: 'Save received files in', defaultPath, properties: ['openDirectory', 'createDirectory'] },
      );
      return picked.canceled ? undefined : picked.filePaths[0];
    },
    chooseFiles: async () => {
      const picked = await pick({ title: 'Send files', properties: ['openFile', 'multiSelections'] });
      return picked.canceled ? [] : picked.filePaths;
    },
    showInFolder: (path) => shell.showItemInFolder(path),
    // The core checked the link already; openOutside checks again where shell is called.
    openExternal: (url) => openOutside(shell, url),
    copyText: (text) => clipboard.writeText(text),
    // The macOS dock and Linux's Unity launcher; Windows has no count badge (Electron answers false).
    setBadgeCount: (count) => void electron.app.setBadgeCount(count),
    // Recent rooms' invites, encrypted by the system keychain; Linux without a keychain ('basic_text',
    // a hard-coded password) counts as none, so no invite is kept there.
    secretStorage: {
      isAvailable: () =>
        electron.safeStorage.isEncryptionAvailable() &&
        (process.platform !== 'linux' || electron.safeStorage.getSelectedStorageBackend() !== 'basic_text'),
      encrypt: (text) => electron.safeStorage.encryptString(text),
      decrypt: (data) => electron.safeStorage.decryptString(data),
    },
    forkUpnp: utilityFork(electron),
  };
}
