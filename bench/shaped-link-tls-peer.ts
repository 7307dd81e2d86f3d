import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { createHostIdentity } from '../src-main/link/host-identity';
import { serveCommands } from './bench-child';

// The reference for the shaped-link rows: one TLS connection carrying bytes across the link and
// nothing else (no room, no files, no disk), so its share of the link is what TCP itself gets
// through that bottleneck. `listen` and `send` take the address to use on their side of the link;
// `send` sends `bytes`, or stops after `seconds`.
let result: Promise<{ ms: number; bytes: number }> | undefined;

serveCommands({
  async listen(args) {
    const identity = await createHostIdentity();
    const server = createServer({ cert: identity.certPem, key: identity.keyPem }, (socket) => {
      const started = performance.now();
      let bytes = 0;
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      result = once(socket, 'end').then(() => ({ ms: performance.now() - started, bytes }));
      server.close();
    });
    server.listen(0, args.host as string);
    await once(server, 'listening');
    return { port: (server.address() as { port: number }).port };
  },
  /** From the receiver's end of the handshake to the last byte. */
  async done() {
    while (!result) await new Promise((r) => setTimeout(r, 20));
    return result;
  },
  async send(args) {
    const socket: TLSSocket = connect({ host: args.host as string, port: args.port as number, rejectUnauthorized: false });
    await once(socket, 'secureConnect');
    // Stops early after `seconds`: with loss, TCP may carry a small share of the link.
    const stopAt = performance.now() + (args.seconds as number) * 1000;
    const block = Buffer.alloc(256 * 1024, 7);
    for (let left = args.bytes as number; left > 0 && performance.now() < stopAt; left -= block.length)
      if (!socket.write(left >= block.length ? block : block.subarray(0, left))) await once(socket, 'drain');
    await new Promise<void>((resolve) => socket.end(resolve));
    return {};
  },
});
