import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostIdentity } from '../src-main/link/host-identity';
import { formatInvite } from '../src-main/link/invite';
import { RelayListener } from '../src-main/relay/relay-listener';
import { parseRelayUri } from '../src-main/relay/relay-uri';
import { RoomClient } from '../src-main/session/room-client';
import { RoomHost, createRoomSecret } from '../src-main/session/room-host';
import type { RoomSession } from '../src-main/session/room-session';
import { cpuSinceMark, peakRssMb, serveCommands } from './bench-child';

// One room member in its own process: the host (`host`) or a guest (`join <invite>`). Accepts
// every file into a folder of its own (inside `dir` when given, else the temp folder) that is
// emptied after each file and removed when the process quits. CPU is counted from `cpuMark`.
// With PORTHOLE_BENCH_TRACE=FILE, `probeStop` appends each chat line's send time and round trip
// (ms since `probeStart`) to FILE, then `---`.
let session: RoomSession & NodeJS.EventEmitter;
let inbox = '';
/** Each chat line's send time (ms since probeStart) and round trip. */
const lines: Array<{ sent: number; rtt: number }> = [];
let probe: NodeJS.Timeout | undefined;
let probeFrom = 0;

/** A new folder for received files, inside `dir` when the bench gives one. */
const inboxIn = (dir: unknown) => mkdtemp(join(typeof dir === 'string' ? dir : tmpdir(), 'porthole-bench-'));

serveCommands(
  {
    async host(args) {
      inbox = await inboxIn(args.dir);
      const identity = await createHostIdentity();
      const secret = createRoomSecret();
      const accept = args.accept !== false;
      const host = await RoomHost.start({
        identity,
        secret,
        hostName: 'Host',
        listenHost: typeof args.listenHost === 'string' ? args.listenHost : '127.0.0.1',
        transfers: { downloadDir: inbox, autoAccept: accept },
      });
      // As a pure relay the host says no to every file, so it only forwards.
      if (!accept) host.transfers.on('offer', (v) => host.transfers.decline(v.id));
      session = host;
      if (typeof args.relay === 'string') {
        // Through a relay only: the invite's one direct address is a closed port, so guests go straight to the relay.
        const uri = parseRelayUri(args.relay);
        const listener = new RelayListener({ uri, identity });
        listener.on('session', (socket) => host.adoptConnection(socket));
        const joined = new Promise<void>((resolve) => listener.on('status', (s) => s.state === 'joined' && resolve()));
        listener.start();
        await joined;
        const relay = { host: uri.host, port: uri.port, id: uri.id.toString('base64url') };
        return { invite: formatInvite({ host: '127.0.0.1', port: 1, fingerprint: identity.fingerprint, secret, relay }) };
      }
      const address = typeof args.listenHost === 'string' ? args.listenHost : '127.0.0.1';
      return { invite: formatInvite({ host: address, port: host.port, fingerprint: identity.fingerprint, secret }) };
    },
    async join(args) {
      inbox = await inboxIn(args.dir);
      session = await RoomClient.join(args.invite as string, {
        name: args.name as string,
        transfers: { downloadDir: inbox, autoAccept: true },
      });
      return {};
    },
    async members() {
      return { count: session.members().length };
    },
    async send(args) {
      const started = performance.now();
      // When each recipient had it (ms from the offer), by name; `until` names those to wait for (default: all).
      const doneAt: Record<string, number> = {};
      const until = args.until as string[] | undefined;
      const id = await session.transfers.offer(args.path as string);
      // How each recipient's part ended, by name (e.g. "done", "ended: stalled").
      const outcomes: Record<string, string> = {};
      const view = await new Promise<{ state: string; reason?: string }>((resolve) => {
        session.transfers.on('update', (v) => {
          if (v.id !== id) return;
          for (const r of v.recipients ?? []) {
            if (r.state === 'done') doneAt[r.member.name] ??= performance.now() - started;
            outcomes[r.member.name] = r.reason ? `${r.state}: ${r.reason}` : r.state;
          }
          if (until?.every((name) => doneAt[name] !== undefined)) resolve({ state: 'done' });
          if (['done', 'failed', 'cancelled', 'declined'].includes(v.state)) resolve(v);
        });
      });
      const cpuS = cpuSinceMark();
      return { ms: performance.now() - started, state: view.state, reason: view.reason, rssMb: peakRssMb(), doneAt, outcomes, cpuS };
    },
    async received(args) {
      const want = args.count as number;
      while (session.transfers.list().filter((v) => v.direction === 'incoming' && v.state === 'done').length < want) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const cpuS = cpuSinceMark();
      await rm(inbox, { recursive: true, force: true });
      return { rssMb: peakRssMb(), cpuS };
    },
    probeStart() {
      // Chat round trip: from sending a message to seeing it come back numbered from the host.
      const sentAt = new Map<string, number>();
      session.on('room-event', (e: { type: string; id?: string }) => {
        const at = e.type === 'chat' && e.id ? sentAt.get(e.id) : undefined;
        if (at !== undefined) lines.push({ sent: at - probeFrom, rtt: performance.now() - at });
      });
      probeFrom = performance.now();
      probe = setInterval(() => sentAt.set(session.send('ping'), performance.now()), 125);
      return {};
    },
    probeStop() {
      clearInterval(probe);
      const trace = process.env.PORTHOLE_BENCH_TRACE;
      if (trace) appendFileSync(trace, `${lines.map((l) => `${l.sent.toFixed(0)} ${l.rtt.toFixed(0)}`).join('\n')}\n---\n`);
      const sorted = lines.map((l) => l.rtt).sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
    },
    rss: () => ({ rssMb: peakRssMb() }),
  },
  async () => {
    if (inbox) await rm(inbox, { recursive: true, force: true });
  },
);
