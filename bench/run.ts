import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BenchChild } from './bench-child';
import { RelayServer } from '../test/fixtures/relay-server';
import { formatInvite, parseInvite } from '../src-main/link/invite';

// npm run bench [-- SIZE]   SIZE in bytes, or with a unit: 512MiB, 2GiB (default 2GiB).
// Loopback only; every role is its own process. Not a test: it reports, it does not judge.

const MB = 1e6;
const size = parseSize(process.argv[2] ?? '2GiB');

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(text);
  if (!m) throw new Error(`Cannot read the size "${text}". Use bytes or e.g. 512MiB, 2GiB.`);
  const unit = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.round(Number(m[1]) * unit);
}

async function makeFile(dir: string): Promise<string> {
  const path = join(dir, 'bench.bin');
  const handle = await open(path, 'w');
  const block = randomBytes(8 * 1024 * 1024);
  for (let offset = 0; offset < size; offset += block.length) await handle.write(block, 0, Math.min(block.length, size - offset), offset);
  await handle.close();
  return path;
}

/** How fast this machine's temp folder (where received files go) takes a file of this size. */
async function diskWrite(): Promise<number> {
  const path = join(await mkdtemp(join(tmpdir(), 'porthole-bench-disk-')), 'disk.bin');
  const block = Buffer.alloc(1024 * 1024, 7);
  const started = performance.now();
  const handle = await open(path, 'w');
  for (let offset = 0; offset < size; offset += block.length) await handle.write(block, 0, Math.min(block.length, size - offset), offset);
  await handle.close();
  const mbps = rate(performance.now() - started);
  await rm(join(path, '..'), { recursive: true, force: true });
  return mbps;
}

const child = (script: string) => new BenchChild(script, []);
const rate = (ms: number) => size / MB / (ms / 1000);

async function rawTls() {
  const server = child('./raw-tls-peer.ts');
  const client = child('./raw-tls-peer.ts');
  const { port } = await server.ask<{ port: number }>('listen');
  await server.ask('expect', { bytes: size });
  const done = server.ask<{ ms: number; rssMb: number }>('done');
  const sent = await client.ask<{ rssMb: number }>('send', { port, bytes: size });
  const got = await done;
  await Promise.all([server.stop(), client.stop()]);
  return { mbps: rate(got.ms), rss: { receiver: got.rssMb, sender: sent.rssMb } };
}

async function room(relay: boolean, path: string, through?: string) {
  const host = child('./room-peer.ts');
  const { invite } = await host.ask<{ invite: string }>('host', { accept: !relay, ...(through ? { relay: through } : {}) });
  const names = relay ? ['Sender', 'Recipient1', 'Recipient2'] : ['Recipient'];
  const members = names.map(() => child('./room-peer.ts'));
  for (const [i, m] of members.entries()) await m.ask('join', { invite, name: names[i] });
  const recipients = relay ? members.slice(1) : members;
  const sender = relay ? members[0]! : host;
  const prober = recipients[recipients.length - 1]!;
  if (relay) await prober.ask('probeStart');
  const sent = await sender.ask<{ ms: number; state: string; reason?: string; rssMb: number }>('send', { path });
  const chat = relay ? await prober.ask<{ count: number; p50: number; p99: number; max: number }>('probeStop') : undefined;
  if (sent.state !== 'done') throw new Error(`the transfer ended ${sent.state} (${sent.reason})`);
  const rss: Record<string, number> = {};
  for (const [i, r] of recipients.entries())
    rss[relay ? names[i + 1]! : 'Recipient'] = (await r.ask<{ rssMb: number }>('received', { count: 1 })).rssMb;
  rss[relay ? 'Host (relay)' : 'Host (sender)'] = (await host.ask<{ rssMb: number }>('rss')).rssMb;
  if (relay) rss.Sender = sent.rssMb;
  await Promise.all([...members, host].map((c) => c.stop()));
  return { mbps: rate(sent.ms), rss, chat };
}

/** The same invite, reached through a proxy on `port`. */
function through(invite: string, port: number): string {
  const parsed = parseInvite(invite);
  return formatInvite({ host: '127.0.0.1', port, fingerprint: parsed.fingerprint, secret: parsed.secret });
}

/**
 * The host sends one file to four members; with `slowRate`, the fourth reads at that many bytes a
 * second (a throttling proxy in front of it). Resolves with when the other three had it (ms).
 */
async function fourRecipients(path: string, slowRate?: number) {
  const host = child('./room-peer.ts');
  const { invite } = await host.ask<{ invite: string }>('host', { accept: true });
  const hostPort = parseInvite(invite).addresses[0]!.port;
  const proxy = slowRate === undefined ? undefined : child('./proxy-peer.ts');
  const slowPort = proxy && (await proxy.ask<{ port: number }>('start', { target: hostPort, bytesPerSecond: slowRate })).port;
  const names = ['R1', 'R2', 'R3', 'R4'];
  const members = names.map(() => child('./room-peer.ts'));
  for (const [i, m] of members.entries())
    await m.ask('join', { invite: i === 3 && slowPort ? through(invite, slowPort) : invite, name: names[i] });
  const sent = await host.ask<{ doneAt: Record<string, number> }>('send', { path, until: ['R1', 'R2', 'R3'] });
  await Promise.all([...members, host, ...(proxy ? [proxy] : [])].map((c) => c.stop()));
  return Math.max(sent.doneAt.R1!, sent.doneAt.R2!, sent.doneAt.R3!);
}

/** Host → member through a proxy that cuts the connection once half the file went through; the member comes back and resumes. */
async function interrupted(path: string) {
  const host = child('./room-peer.ts');
  const { invite } = await host.ask<{ invite: string }>('host', { accept: true });
  const proxy = child('./proxy-peer.ts');
  const { port } = await proxy.ask<{ port: number }>('start', { target: parseInvite(invite).addresses[0]!.port, cutToGuestAt: size / 2 });
  const member = child('./room-peer.ts');
  await member.ask('join', { invite: through(invite, port), name: 'Member' });
  const sent = await host.ask<{ ms: number; state: string; reason?: string }>('send', { path });
  const bytes = await proxy.ask<{ toGuest: number; accepted: number }>('bytes');
  await Promise.all([member, host, proxy].map((c) => c.stop()));
  if (sent.state !== 'done') throw new Error(`the interrupted transfer ended ${sent.state} (${sent.reason})`);
  return { ratio: bytes.toGuest / size, connections: bytes.accepted, mbps: rate(sent.ms) };
}

const dir = await mkdtemp(join(tmpdir(), 'porthole-bench-src-'));
try {
  console.log(`Porthole bench: ${(size / 1024 ** 3).toFixed(2)} GiB on loopback, every role in its own process\n`);
  const path = await makeFile(dir);
  const a = await rawTls();
  console.log(
    `(a) raw TLS pipe            ${a.mbps.toFixed(0).padStart(6)} MB/s   peak RSS sender ${a.rss.sender} MB, receiver ${a.rss.receiver} MB`,
  );
  const d = await diskWrite();
  console.log(
    `(d) disk write, temp folder ${d.toFixed(0).padStart(6)} MB/s   where received files go: (b) and (c) cannot beat it (TMPDIR=/dev/shm to rule it out)`,
  );
  const b = await room(false, path);
  console.log(`(b) host → member           ${b.mbps.toFixed(0).padStart(6)} MB/s   ${(b.mbps / a.mbps).toFixed(2)} × raw (target ≥ 0.70)`);
  console.log(
    `    peak RSS: ${Object.entries(b.rss)
      .map(([k, v]) => `${k} ${v} MB`)
      .join(', ')}`,
  );
  // The same as (b), but the member reaches the host only through a Syncthing relay (strelaysrv) on loopback.
  const relayServer = await RelayServer.start().catch((err: Error) => err);
  if (relayServer instanceof Error)
    console.log(`(e) host → member via relay  skipped: strelaysrv did not start (${relayServer.message.split('\n')[0]})`);
  else {
    try {
      const e = await room(false, path, relayServer.uriText);
      console.log(`(e) host → member via relay ${e.mbps.toFixed(0).padStart(6)} MB/s   ${(e.mbps / b.mbps).toFixed(2)} × direct (b)`);
    } finally {
      await relayServer.stop();
    }
  }
  const c = await room(true, path);
  console.log(`(c) member → host → 2       ${c.mbps.toFixed(0).padStart(6)} MB/s   ${(c.mbps / a.mbps).toFixed(2)} × raw (target ≥ 0.40)`);
  console.log(
    `    peak RSS: ${Object.entries(c.rss)
      .map(([k, v]) => `${k} ${v} MB`)
      .join(', ')} (host target < 200 MB)`,
  );
  if (c.chat) {
    console.log(
      `    chat round trip during (c), ${c.chat.count} messages: p50 ${c.chat.p50.toFixed(1)} ms, p99 ${c.chat.p99.toFixed(1)} ms, max ${c.chat.max.toFixed(1)} ms (target p99 < 100 ms)`,
    );
  }
  const allFast = await fourRecipients(path);
  const fastRate = size / (allFast / 1000);
  const oneSlow = await fourRecipients(path, fastRate / 10);
  console.log(
    `(f) host → 4, one slow      ${(allFast / oneSlow).toFixed(2)} × the speed of the three others when all four are fast (target ≥ 0.80; the slow one reads at ${(fastRate / 10 / MB).toFixed(0)} MB/s)`,
  );
  const g = await interrupted(path);
  console.log(
    `(g) cut half-way, resumed   ${g.ratio.toFixed(3)} × the file's size on the wire to the member (target < 1.10), ${g.connections} connections, ${g.mbps.toFixed(0)} MB/s in all`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
