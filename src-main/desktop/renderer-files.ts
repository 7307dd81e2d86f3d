// Which file of the renderer bundle a request path names: the same rule for the app's app://
// protocol and the browser tests' server, so both serve exactly the same files.
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The file and its content type, or undefined for a path outside the bundle or of another kind. */
export function rendererFile(rendererDir: string, pathname: string): { file: string; type: string } | undefined {
  const root = normalize(rendererDir + sep);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const file = normalize(join(root, decoded));
  const type = TYPES[extname(file)];
  return file.startsWith(root) && type ? { file, type } : undefined;
}
