import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostIdentity } from '../src-main/link/host-identity';
import { RoomHost, createRoomSecret } from '../src-main/session/room-host';
import { peakRssMb, serveCommands } from './bench-child';

// The crowd bench's room host, alone in its process so that its CPU time and memory are its own:
// `host` opens the room (room size as asked), `usage` reads CPU seconds and peak RSS since start.
let host: RoomHost | undefined;
let inbox = '';
/** Per bench line, ms from its send until the host had written it to every member's socket. */
const handedOver: number[] = [];
const clock = () => performance.timeOrigin + performance.now();

serveCommands({
  async host(args) {
    inbox = await mkdtemp(join(tmpdir(), 'porthole-bench-crowd-'));
    const secret = createRoomSecret();
    host = await RoomHost.start({
      identity: await createHostIdentity(),
      secret,
      hostName: 'Host',
      listenHost: '127.0.0.1',
      maxMembers: args.maxMembers as number,
      transfers: { downloadDir: inbox },
    });
    // Emitted once the line went to every member's socket: the host's share of the delivery time.
    host.on('room-event', (event) => {
      const match = event.type === 'chat' ? /^crowd \d+ (\d+(?:\.\d+)?)$/.exec((event as { text?: string }).text ?? '') : null;
      if (match) handedOver.push(clock() - Number(match[1]));
    });
    return { port: host.port, secret };
  },
  usage() {
    const { user, system } = process.cpuUsage();
    return { cpuS: (user + system) / 1e6, systemS: system / 1e6, rssMb: peakRssMb(), members: host?.members().length ?? 0, handedOver };
  },
  async close() {
    await host?.close();
    await rm(inbox, { recursive: true, force: true });
    return {};
  },
});
