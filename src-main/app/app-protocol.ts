// Serves the window's page from app://porthole/ instead of file://: one fixed origin the IPC
// sender check can compare against, a Content-Security-Policy header on every response, and no
// way to reach any file outside the renderer bundle.
import { net, protocol } from 'electron';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../desktop/content-security-policy';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://porthole`;
export const PAGE_URL = `${APP_ORIGIN}/index.html`;


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Answers app://porthole/<file> from the renderer bundle folder. */
export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir + sep);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    const type = TYPES[extname(file)];
    if (url.host !== 'porthole' || !file.startsWith(root) || !type) return new Response('Not found', { status: 404 });
    const body = await net.fetch(pathToFileURL(file).toString()).catch(() => undefined);
    if (!body?.ok) return new Response('Not found', { status: 404 });
    return new Response(body.body, {
      headers: { 'Content-Type': type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}
