import type { Server } from 'node:net';

/**
 * Starts listening on `host`, or by default on '::' for IPv6 and IPv4 at once, falling back to
 * '0.0.0.0' on machines without IPv6.
 */
export function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  const attempt = (h: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: h, ipv6Only: false }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  if (host) return attempt(host);
  return attempt('::').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL') return attempt('0.0.0.0');
    throw err;
  });
}
