// Serves the window's page from app://porthole/ instead of file://: one fixed origin the IPC
// sender check can compare against, a Content-Security-Policy header on every response, and no
// way to reach any file outside the renderer bundle.
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../desktop/content-security-policy';
import { rendererFile } from '../desktop/renderer-files';
import type { ElectronModules } from './electron-modules';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://porthole`;
export const PAGE_URL = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready (Electron allows it only then, and only once). */
export function registerAppScheme({ protocol }: Pick<ElectronModules, 'protocol'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Answers app://porthole/<file> from the renderer bundle folder. */
export function serveRenderer({ protocol, net }: Pick<ElectronModules, 'protocol' | 'net'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.host === 'porthole' ? rendererFile(rendererDir, url.pathname) : undefined;
    if (!found) return new Response('Not found', { status: 404 });
    const body = await net.fetch(pathToFileURL(found.file).toString()).catch(() => undefined);
    if (!body?.ok) return new Response('Not found', { status: 404 });
    return new Response(body.body, {
      headers: { 'Content-Type': found.type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}
