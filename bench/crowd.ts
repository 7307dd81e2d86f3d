import { loadavg } from 'node:os';
import { BenchChild } from './bench-child';

// The crowd rows of `npm run bench` (`--only crowd`): a room of 100. The host runs alone in its
// process; the members are light raw version-1 clients packed 25 to a process, each from its own
// loopback address (127.0.x.y), as people on their own machines would be. Reports, never judges.

/** CROWD_MEMBERS=N runs another size (a quick look while developing). */
const MEMBERS = Number(process.env.CROWD_MEMBERS ?? 100);
const PER_PROCESS = 25;
const LINES = 100;
const LINES_PER_SECOND = 10;

const clock = () => performance.timeOrigin + performance.now();

interface Usage {
  cpuS: number;
  /** The kernel's share: on loopback each write also pays for the member's receiving end. */
  systemS: number;
  rssMb: number;
  members: number;
  handedOver: number[];
}
interface Join {
  name: string;
  welcomedAt?: number;
  refusals: string[];
  error?: string;
}

/** The value at quantile `q` of sorted numbers. */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

/** For each line, how long after the first member had it the last one did. */
function lineSpreads(results: Array<{ latencies: number[]; indexes: number[] }>): number[] {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (const { latencies, indexes } of results)
    indexes.forEach((line, i) => {
      const at = latencies[i]!;
      first.set(line, Math.min(first.get(line) ?? at, at));
      last.set(line, Math.max(last.get(line) ?? at, at));
    });
  return [...first].map(([line, at]) => last.get(line)! - at);
}

/** Member n's own loopback address: the admission gate counts per address, as it would per machine. */
const addressOf = (n: number) => `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;

/** Prints crowd (a), the join storm, and (b), the chat fan-out, for a room of 100 light members. */
export async function crowdRows(): Promise<void> {
  const host = new BenchChild('./crowd-host.ts', []);
  const groups: BenchChild[] = [];
  try {
    const { port, secret } = await host.ask<{ port: number; secret: string }>('host', { maxMembers: MEMBERS + 1 });
    const names = Array.from({ length: MEMBERS }, (_, i) => `Member ${String(i + 1).padStart(3, '0')}`);
    for (let i = 0; i < MEMBERS; i += PER_PROCESS) groups.push(new BenchChild('./crowd-peer.ts', []));
    // Every process is up (tsx loaded) before the clock starts.
    await Promise.all(groups.map((g) => g.ask('ping')));
    const before = await host.ask<Usage>('usage');
    const started = clock();
    const joined = await Promise.all(
      groups.map((g, k) => {
        const mine = names.slice(k * PER_PROCESS, (k + 1) * PER_PROCESS);
        const addresses = mine.map((_, i) => addressOf(k * PER_PROCESS + i));
        return g.ask<{ joins: Join[] }>('join', { port, secret, names: mine, addresses });
      }),
    );
    const afterJoin = await host.ask<Usage>('usage');
    const joins = joined.flatMap((j) => j.joins);
    const welcomed = joins.filter((j) => j.welcomedAt !== undefined).map((j) => j.welcomedAt! - started);
    welcomed.sort((a, b) => a - b);
    const failed = joins.filter((j) => j.welcomedAt === undefined);
    const refusals = joins.reduce((sum, j) => sum + j.refusals.length, 0);
    console.log(
      `\ncrowd: a room of ${MEMBERS} light members (version-1 raw clients, ${groups.length} processes), the host alone in its process; ` +
        `load average ${loadavg()[0]!.toFixed(1)} on this machine as it starts (other work on the cores shows in the tails)`,
    );
    console.log(
      `crowd (a) join storm: ${MEMBERS} at once, all welcomed in ${ms(welcomed.at(-1) ?? Number.NaN)} (p50 ${ms(quantile(welcomed, 0.5))}), ` +
        `${failed.length} failed${failed.length ? ` (${[...new Set(failed.map((f) => f.error))].join(', ')})` : ''}, ` +
        `${refusals} turned away at the door (503 busy / 429) and let in on retry — a real guest's first join is not retried; host ${(afterJoin.cpuS - before.cpuS).toFixed(2)} CPU-s, ` +
        `${afterJoin.members} in the room`,
    );

    const sending = groups[0]!.ask('send', { count: LINES, perSecond: LINES_PER_SECOND });
    const collected = groups.map((g) =>
      g.ask<{ latencies: number[]; indexes: number[]; missing: number; outOfOrder: number }>('collect', {
        count: LINES,
        timeoutMs: 30_000,
      }),
    );
    await sending;
    const results = await Promise.all(collected);
    const afterChat = await host.ask<Usage>('usage');
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const missing = results.reduce((sum, r) => sum + r.missing, 0);
    const outOfOrder = results.reduce((sum, r) => sum + r.outOfOrder, 0);
    const cpu = afterChat.cpuS - afterJoin.cpuS;
    const spreads = lineSpreads(results).sort((a, b) => a - b);
    console.log(
      `crowd (b) chat fan-out to ${welcomed.length}: ${LINES} lines at ${LINES_PER_SECOND}/s: delivery p50 ${ms(quantile(latencies, 0.5))}, ` +
        `p99 ${ms(quantile(latencies, 0.99))} (target < 20 ms), max ${ms(latencies.at(-1) ?? Number.NaN)}; ` +
        `${latencies.length} delivered, ${missing} missing, ${outOfOrder} out of order`,
    );
    console.log(
      `    one line, first member to last: p50 ${ms(quantile(spreads, 0.5))}, p99 ${ms(quantile(spreads, 0.99))} (the host's fan-out plus the members' own processes)`,
    );
    const handed = [...afterChat.handedOver].sort((a, b) => a - b);
    console.log(
      `    from the send until the host had written a line to all ${welcomed.length} sockets: p50 ${ms(quantile(handed, 0.5))}, p99 ${ms(quantile(handed, 0.99))}`,
    );
    console.log(
      `    host: ${cpu.toFixed(2)} CPU-s during the fan-out (${((cpu / (LINES / LINES_PER_SECOND)) * 100).toFixed(0)} % of a core; ` +
        `${((cpu / Math.max(1, latencies.length)) * 1e6).toFixed(0)} µs a delivery, ${(((afterChat.systemS - afterJoin.systemS) / cpu) * 100).toFixed(0)} % in the kernel), ` +
        `peak RSS ${afterChat.rssMb} MB (target < 300 MB)`,
    );
    await Promise.all(groups.map((g) => g.ask('leave')));
    await host.ask('close');
  } finally {
    await Promise.all([...groups, host].map((c) => c.stop()));
  }
}
