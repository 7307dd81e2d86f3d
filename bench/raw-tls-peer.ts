import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { createHostIdentity } from '../src-main/link/host-identity';
import { peakRssMb, serveCommands } from './bench-child';

// The baseline: the same TLS (same key type, same library) carrying bytes between two processes
// with nothing on top — no WebSocket, no hashing, no disk.
let received = 0;
let firstAt = 0;
let doneWaiter: ((ms: number) => void) | undefined;
let expected = 0;

serveCommands({
  async listen() {
    const identity = await createHostIdentity();
    const server = createServer({ cert: identity.certPem, key: identity.keyPem }, (socket) => {
      socket.on('data', (chunk: Buffer) => {
        if (received === 0) firstAt = performance.now();
        received += chunk.length;
        if (received >= expected) doneWaiter?.(performance.now() - firstAt);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as { port: number }).port };
  },
  expect(args) {
    expected = args.bytes as number;
    return {};
  },
  async done() {
    const ms = await new Promise<number>((resolve) => (doneWaiter = resolve));
    return { ms, rssMb: peakRssMb() };
  },
  async send(args) {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port: args.port as number, rejectUnauthorized: false });
    await once(socket, 'secureConnect');
    const block = Buffer.alloc(1024 * 1024, 7);
    let left = args.bytes as number;
    while (left > 0) {
      const piece = left >= block.length ? block : block.subarray(0, left);
      left -= piece.length;
      if (!socket.write(piece)) await once(socket, 'drain');
    }
    return { rssMb: peakRssMb() };
  },
  rss: () => ({ rssMb: peakRssMb() }),
});
