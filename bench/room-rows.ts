import { formatInvite, parseInvite } from '../src-main/link/invite';
import { RelayServer } from '../test/fixtures/relay-server';
import { BenchChild } from './bench-child';
import { atCleanup } from './bench-scratch';
import { processCpu, type ProcessCpu, type Row } from './bench-report';
import type { RoleFloors } from './pipe-rows';

// The room's rows: (b) host → member, (c1)/(c) member → host → one/two members, (e) host →
// member through a Syncthing relay, (f) four recipients with one slow, (g) a transfer cut
// half-way. Every role is its own process; received files go to `dir`.

export interface RoomContext {
  size: number;
  source: string;
  dir: string;
  /** Absent when no row of the run needs floors (fanout, resume). */
  floors?: RoleFloors;
}

const TARGET = { sender: 1.3, receiver: 1.2, relay: 1.3 };
const MB = 1e6;
const peer = () => new BenchChild('./room-peer.ts', []);
const rssLine = (n: Record<string, number>, names: string[]) =>
  `peak RSS: ${names.map((k) => `${k} ${n[k]} MB`).join(', ')}${names.includes('Host (relay)') ? ' (host target < 200 MB)' : ''}`;

type Sent = {
  ms: number;
  state: string;
  reason?: string;
  rssMb: number;
  cpuS: number;
  doneAt: Record<string, number>;
  outcomes: Record<string, string>;
};

/** Each recipient's outcome, for an error message: "R1 done, R4 ended: stalled". */
const outcomesOf = (sent: Sent) =>
  Object.entries(sent.outcomes)
    .map(([name, outcome]) => `${name} ${outcome}`)
    .join(', ');

/**
 * One file from the host to a member (`recipients` 0), or from a member through the host (which
 * only relays) to `recipients` members; `through` is a relay URI the member reaches the host by.
 */
async function roomTransfer(ctx: RoomContext, recipients: number, options: { through?: string; probe?: boolean } = {}) {
  const relayed = recipients > 0;
  const names = relayed ? ['Sender', ...Array.from({ length: recipients }, (_, i) => `Recipient${i + 1}`)] : ['Recipient'];
  // Every process starts at once (tsx takes a moment each); they join one by one.
  const host = peer();
  const members = names.map(() => peer());
  try {
    const hostArgs = { accept: !relayed, dir: ctx.dir, ...(options.through ? { relay: options.through } : {}) };
    const { invite } = await host.ask<{ invite: string }>('host', hostArgs);
    for (const [i, member] of members.entries()) await member.ask('join', { invite, name: names[i], dir: ctx.dir });
    const receivers = relayed ? members.slice(1) : members;
    const sender = relayed ? members[0]! : host;
    const prober = receivers[receivers.length - 1]!;
    await Promise.all([host, ...members].map((c) => c.ask('cpuMark')));
    if (options.probe) await prober.ask('probeStart');
    const sent = await sender.ask<Sent>('send', { path: ctx.source });
    const chat = options.probe ? await prober.ask<{ count: number; p50: number; p99: number; max: number }>('probeStop') : undefined;
    if (sent.state !== 'done') throw new Error(`the transfer ended ${sent.state} (${sent.reason}; ${outcomesOf(sent)})`);
    const rss: Record<string, number> = {};
    const processes: ProcessCpu[] = [];
    const { size, floors } = ctx;
    if (!relayed) processes.push(processCpu('sender (host)', sent.cpuS, size, floors?.sender, TARGET.sender));
    else {
      processes.push(processCpu('sender (member)', sent.cpuS, size, floors?.sender, TARGET.sender));
      const relay = await host.ask<{ cpuS: number }>('cpu');
      processes.push(processCpu(`relay (host) to ${recipients}`, relay.cpuS, size, floors?.relay(recipients), TARGET.relay));
    }
    for (const [i, r] of receivers.entries()) {
      const got = await r.ask<{ rssMb: number; cpuS: number }>('received', { count: 1 });
      const name = relayed ? names[i + 1]! : 'Recipient';
      rss[name] = got.rssMb;
      processes.push(processCpu(`receiver (${name.toLowerCase()})`, got.cpuS, size, floors?.receiver, TARGET.receiver));
    }
    rss[relayed ? 'Host (relay)' : 'Host (sender)'] = (await host.ask<{ rssMb: number }>('rss')).rssMb;
    if (relayed) rss.Sender = sent.rssMb;
    const numbers: Record<string, number> = { ...rss };
    if (chat) Object.assign(numbers, { chatCount: chat.count, chatP50: chat.p50, chatP99: chat.p99, chatMax: chat.max });
    return { mbps: size / MB / (sent.ms / 1000), processes, numbers, rssNames: Object.keys(rss) };
  } finally {
    await Promise.all([...members, host].map((c) => c.stop()));
  }
}

/** (b): the host sends a file to one member. */
export async function hostToMemberRow(ctx: RoomContext): Promise<Row> {
  const b = await roomTransfer(ctx, 0);
  return { id: '(b)', label: 'host → member', ratioTarget: 0.7, ...b, details: (n) => [rssLine(n, b.rssNames)] };
}

/** (c1)/(c): a member sends a file through the host (which only relays) to `recipients` members; with two, chat round trips too. */
export async function throughHostRow(ctx: RoomContext, recipients: 1 | 2): Promise<Row> {
  const probe = recipients === 2;
  const c = await roomTransfer(ctx, recipients, { probe });
  const chatLine = (n: Record<string, number>) =>
    `chat round trip meanwhile, ${n.chatCount} messages: p50 ${n.chatP50!.toFixed(1)} ms, p99 ${n.chatP99!.toFixed(1)} ms, max ${n.chatMax!.toFixed(1)} ms (target p99 < 100 ms)`;
  return {
    id: recipients === 1 ? '(c1)' : '(c)',
    label: recipients === 1 ? 'member → host → member' : 'member → host → 2 members',
    ratioTarget: 0.45,
    ...c,
    details: (n) => [rssLine(n, c.rssNames), ...(probe ? [chatLine(n)] : [])],
  };
}

/** (e): as (b), but the member reaches the host only through a Syncthing relay (strelaysrv) on loopback. */
export async function relayRow(ctx: RoomContext): Promise<Row> {
  const row = { id: '(e)', label: 'host → member via Syncthing relay' };
  const server = await RelayServer.start().catch((err: Error) => err);
  if (server instanceof Error) return { ...row, skipped: `strelaysrv did not start (${server.message.split('\n')[0]})` };
  const drop = atCleanup(() => server.stop());
  try {
    const e = await roomTransfer(ctx, 0, { through: server.uriText });
    return { ...row, mbps: e.mbps, processes: e.processes };
  } finally {
    drop();
    await server.stop();
  }
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
async function fourRecipients(ctx: RoomContext, slowRate?: number): Promise<number> {
  const host = peer();
  const proxy = slowRate === undefined ? undefined : new BenchChild('./proxy-peer.ts', []);
  const members = ['R1', 'R2', 'R3', 'R4'].map((name) => ({ name, child: peer() }));
  try {
    const { invite } = await host.ask<{ invite: string }>('host', { accept: true, dir: ctx.dir });
    const hostPort = parseInvite(invite).addresses[0]!.port;
    const slowPort = proxy && (await proxy.ask<{ port: number }>('start', { target: hostPort, bytesPerSecond: slowRate })).port;
    for (const [i, m] of members.entries())
      await m.child.ask('join', { invite: i === 3 && slowPort ? through(invite, slowPort) : invite, name: m.name, dir: ctx.dir });
    const sent = await host.ask<Sent>('send', { path: ctx.source, until: ['R1', 'R2', 'R3'] });
    const fast = [sent.doneAt.R1, sent.doneAt.R2, sent.doneAt.R3];
    if (fast.some((ms) => ms === undefined)) throw new Error(`the three fast recipients did not all get the file (${outcomesOf(sent)})`);
    return Math.max(...(fast as number[]));
  } finally {
    await Promise.all([...members.map((m) => m.child), host, ...(proxy ? [proxy] : [])].map((c) => c.stop()));
  }
}

/** (f): the three fast recipients' speed when a fourth reads at a tenth of it, against all four fast. */
export async function fanoutRow(ctx: RoomContext): Promise<Row> {
  const allFast = await fourRecipients(ctx);
  const fastRate = ctx.size / (allFast / 1000);
  const oneSlow = await fourRecipients(ctx, fastRate / 10);
  return {
    id: '(f)',
    label: 'host → 4, one slow',
    numbers: { ratio: allFast / oneSlow, slowMbps: fastRate / 10 / MB },
    summary: (n) =>
      `${n.ratio!.toFixed(2)} × the speed of the three others when all four are fast (target ≥ 0.80; the slow one reads at ${n.slowMbps!.toFixed(0)} MB/s)`,
  };
}

/** (g): host → member through a proxy that cuts the connection once half the file went through; the member comes back and resumes. */
export async function resumeRow(ctx: RoomContext): Promise<Row> {
  const host = peer();
  const proxy = new BenchChild('./proxy-peer.ts', []);
  const member = peer();
  try {
    const { invite } = await host.ask<{ invite: string }>('host', { accept: true, dir: ctx.dir });
    const target = parseInvite(invite).addresses[0]!.port;
    const { port } = await proxy.ask<{ port: number }>('start', { target, cutToGuestAt: ctx.size / 2 });
    await member.ask('join', { invite: through(invite, port), name: 'Member', dir: ctx.dir });
    const sent = await host.ask<Sent>('send', { path: ctx.source });
    const bytes = await proxy.ask<{ toGuest: number; accepted: number }>('bytes');
    if (sent.state !== 'done') throw new Error(`the interrupted transfer ended ${sent.state} (${sent.reason}; ${outcomesOf(sent)})`);
    return {
      id: '(g)',
      label: 'cut half-way, resumed',
      numbers: { ratio: bytes.toGuest / ctx.size, connections: bytes.accepted, mbps: ctx.size / MB / (sent.ms / 1000) },
      summary: (n) =>
        `${n.ratio!.toFixed(3)} × the file's size on the wire to the member (target < 1.10), ${n.connections} connections, ${n.mbps!.toFixed(0)} MB/s in all`,
    };
  } finally {
    await Promise.all([member, host, proxy].map((c) => c.stop()));
  }
}
