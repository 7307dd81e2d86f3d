import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { serveCommands } from './bench-child';

// A TCP proxy in its own process between guests and the host: it can hold the bytes going to the
// guest to a rate (a recipient reading slowly: TCP's own back-pressure reaches the host), cut every
// connection once so many bytes went to guests (a dropped connection), and counts what it passed.

let toGuest = 0;
let toHost = 0;
let accepted = 0;

serveCommands({
  async start(args) {
    const target = args.target as number;
    const rate = typeof args.bytesPerSecond === 'number' ? args.bytesPerSecond : undefined;
    const cutAt = typeof args.cutToGuestAt === 'number' ? args.cutToGuestAt : undefined;
    const pairs = new Set<Socket>();
    let cut = false;
    const started = performance.now();
    const server = createServer((guest) => {
      accepted += 1;
      const host = connect({ host: '127.0.0.1', port: target });
      pairs.add(guest).add(host);
      const drop = () => {
        guest.destroy();
        host.destroy();
      };
      guest.on('error', drop).on('close', drop);
      host.on('error', drop).on('close', drop);
      guest.on('data', (chunk: Buffer) => {
        toHost += chunk.length;
        host.write(chunk);
      });
      host.on('data', (chunk: Buffer) => {
        toGuest += chunk.length;
        if (!guest.write(chunk)) {
          host.pause();
          guest.once('drain', () => host.resume());
        }
        if (rate !== undefined) {
          // Ahead of the rate: stop reading from the host until the clock catches up.
          const due = (toGuest / rate) * 1000 - (performance.now() - started);
          if (due > 1) {
            host.pause();
            setTimeout(() => host.resume(), due);
          }
        }
        if (cutAt !== undefined && !cut && toGuest >= cutAt) {
          cut = true;
          for (const s of pairs) s.destroy();
          pairs.clear();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return { port: (server.address() as AddressInfo).port };
  },
  bytes: () => ({ toGuest, toHost, accepted }),
});
