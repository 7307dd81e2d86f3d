// Quitting or closing the window with a room hosted or a transfer running asks first: the room and
// the transfers live in this process, so closing the window ends them for everyone.
import type { BrowserWindow } from 'electron';
import type { QuitQuestion } from '../desktop/desktop-core';
import type { ElectronModules } from './electron-modules';

export interface QuitGuard {
  /** Resolves true when quitting may go on: nothing to lose, or the person said Quit. */
  confirm(): Promise<boolean>;
  /** Asks before this window closes (its close quits the app). */
  watch(window: BrowserWindow): void;
}

/**
 * Asks at most once at a time, and once the person said Quit it does not ask again (the window
 * closing and the quit that follows are one decision).
 */
export function createQuitGuard(
  { app, dialog }: Pick<ElectronModules, 'app' | 'dialog'>,
  question: () => QuitQuestion | undefined,
  window: () => BrowserWindow | undefined,
): QuitGuard {
  let confirmed = false;
  let asking: Promise<boolean> | undefined;

  const ask = async (q: QuitQuestion): Promise<boolean> => {
    const options = {
      type: 'question' as const,
      buttons: ['Quit', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: q.message,
      detail: q.detail,
    };
    const w = window();
    const { response } = w && !w.isDestroyed() ? await dialog.showMessageBox(w, options) : await dialog.showMessageBox(options);
    return response === 0;
  };

  const confirm = (): Promise<boolean> => {
    if (confirmed) return Promise.resolve(true);
    const q = question();
    if (!q) return Promise.resolve(true);
    asking ??= ask(q)
      .catch(() => false)
      .then((yes) => {
        asking = undefined;
        confirmed = yes;
        return yes;
      });
    return asking;
  };

  return {
    confirm,
    watch(w) {
      w.on('close', (event) => {
        if (confirmed || !question()) return;
        event.preventDefault();
        void confirm().then((yes) => {
          if (yes) app.quit();
        });
      });
    },
  };
}
