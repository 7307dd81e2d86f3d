// Rules every web page in the app lives by: no new windows, no navigation away, no webviews,
// links out only to http(s) in the default browser, and no permission but notifications.
import type { WebContents } from 'electron';
import { safeExternalUrl } from '../desktop/external-link';
import type { ElectronModules } from './electron-modules';

type Shell = ElectronModules['shell'];

/**
 * Opens a link in the default browser only after re-parsing it as plain http(s): the app's one
 * call of shell.openExternal, so every link out passes the same check.
 */
export async function openOutside(shell: Shell, url: string): Promise<void> {
  const safe = safeExternalUrl(url);
  if (!safe) throw new Error('Only web links (http and https) without a user name or password are opened.');
  await shell.openExternal(safe);
}

function guard(shell: Shell, contents: WebContents): void {
  /** For links the page tries to open or navigate to: a refused or failed one just stays closed. */
  const tryOpenOutside = (url: string): void => void openOutside(shell, url).catch(() => {});
  contents.setWindowOpenHandler(({ url }) => {
    tryOpenOutside(url);
    return { action: 'deny' };
  });
  // The URL is read from the event: the listener's second argument is deprecated in Electron 45.
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    tryOpenOutside(event.url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Installs the guards for every web contents and the permission rules; call once, before any window. */
export function setupWindowGuards({ app, session, shell }: Pick<ElectronModules, 'app' | 'session' | 'shell'>): void {
  app.on('web-contents-created', (_event, contents) => guard(shell, contents));
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'notifications');
}
