// Rules every web page in the app lives by: no new windows, no navigation away, no webviews,
// links out only to http(s) in the default browser, and no permission but notifications.
import { app, session, shell, type WebContents } from 'electron';
import { safeExternalUrl } from '../desktop/external-link';

/**
 * Opens a link in the default browser only after re-parsing it as plain http(s): the app's one
 * call of shell.openExternal, so every link out passes the same check.
 */
export async function openOutside(url: string): Promise<void> {
  const safe = safeExternalUrl(url);
  if (!safe) throw new Error('Only web links (http and https) without a user name or password are opened.');
  await shell.openExternal(safe);
}

/** For links the page tries to open or navigate to: a refused or failed one just stays closed. */
const tryOpenOutside = (url: string): void => void openOutside(url).catch(() => {});

function guard(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    tryOpenOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    tryOpenOutside(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Installs the guards for every web contents and the permission rules; call once, before any window. */
export function setupWindowGuards(): void {
  app.on('web-contents-created', (_event, contents) => guard(contents));
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'notifications');
}
