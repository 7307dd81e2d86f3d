// porthole:// links: this app registered as their handler, and the link found in what the
// system hands over (the command line on Windows and Linux, open-url on macOS).
import { resolve } from 'node:path';
import type { ElectronModules } from './electron-modules';

export const LINK_SCHEME = 'porthole';

/** What the process says about how it was started (Electron's `process`). */
export interface LaunchFacts {
  /** True when started as `electron .` (development), where Electron needs the app's path too. */
  defaultApp: boolean;
  execPath: string;
  argv: readonly string[];
}

/**
 * Registers this app as the porthole:// handler. A packaged app registers itself; in development
 * the handler is Electron's program with the app's folder, as Electron's deep-link guide says.
 * Returns whether the system took it (false when it refused, or in development started without a path).
 */
export function registerLinkHandler({ app }: Pick<ElectronModules, 'app'>, launch: LaunchFacts): boolean {
  if (!launch.defaultApp) return app.setAsDefaultProtocolClient(LINK_SCHEME);
  const appPath = launch.argv[1];
  if (appPath === undefined) return false;
  return app.setAsDefaultProtocolClient(LINK_SCHEME, launch.execPath, [resolve(appPath)]);
}

/**
 * The porthole:// link among command-line arguments (the first launch's or a second instance's),
 * or undefined. Chromium may reorder them and add switches of its own, so the link is looked for,
 * not taken from a fixed place; the last one wins.
 */
export function linkInArgv(argv: readonly string[]): string | undefined {
  return argv.findLast((arg) => isLink(arg));
}

/** True for text that names our scheme (whether it is a valid invite is the core's question). */
export function isLink(text: string): boolean {
  return text.slice(0, LINK_SCHEME.length + 1).toLowerCase() === `${LINK_SCHEME}:`;
}
