import { open, mkdtemp, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShapedLink, type DirectionStats } from '../test/fixtures/shaped-link';
import { BenchChild } from './bench-child';
import { type LinkSpec, parseLinkSpec, queueBytesOf } from './shaped-link-spec';

// Shaped-link rows (issue 16): Porthole across a slow home link made in network namespaces — a
// guest side, a host side and a relay between them that limits the rate, delays, loses and queues
// packets (test/fixtures/shaped-link.ts). For each link: the idle chat round trip; the raw TLS
// throughput through the same link; and host → member, member → host and member → host → member
// (the host relaying to a second member beside it), each with its share of the link and the chat
// round trips of the member across the link during the transfer. Reports, does not judge.
//
//   node --import tsx bench/shaped-link.ts [SIZE] [SPEC…]     e.g. 256MiB 100mbit/100ms/0.5%/1s
export { parseLinkSpec };

export const DEFAULT_SPECS = ['100mbit/100ms/0%/1s', '20mbit/300ms/0%/1s'];
/** Each transfer is capped to what the link carries in this long, so a row takes at most ~30 s. */
const MAX_TRANSFER_S = 20;
const IDLE_PROBE_MS = 3000;
/** A transfer sized for ~20 s that has not ended after this long is reported stuck (the row fails, the run goes on). */
const STUCK_S = 180;
const MACHINE_CC = '/proc/sys/net/ipv4/tcp_congestion_control';
/** From this rate on, jumbo frames: this machine's TCP stack cannot fill more than ~300 Mbit/s in 1500-byte packets. */
const mtuFor = (spec: LinkSpec) => (spec.rateMbit >= 500 ? 9000 : 1500);

interface Chat {
  count: number;
  p50: number;
  p99: number;
  max: number;
}
type Case = 'host → member' | 'member → host' | 'member → host → member';
const CASES: Case[] = ['host → member', 'member → host', 'member → host → member'];

export async function shapedLinkRows(specs: string[], size: number): Promise<void> {
  const parsed = (specs.length > 0 ? specs : DEFAULT_SPECS).map(parseLinkSpec);
  const skip = ShapedLink.labSkipReason();
  if (skip) return console.log(`(s) shaped link rows skipped: ${skip}`);
  const dir = await mkdtemp(join(tmpdir(), 'porthole-bench-shaped-'));
  try {
    for (const spec of parsed) await rowsFor(spec, size, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rowsFor(spec: LinkSpec, size: number, dir: string): Promise<void> {
  const atRate = Math.min(size, Math.floor(((spec.rateMbit * 1e6) / 8) * MAX_TRANSFER_S));
  const queueBytes = queueBytesOf(spec);
  const congestion = spec.congestionControl ?? `${(await readFile(MACHINE_CC, 'utf8')).trim()} (this machine's)`;
  console.log(
    `\n(s) shaped link ${spec.text}: ${spec.rateMbit} Mbit/s, base round trip ${spec.rttMs} ms, loss ${spec.lossPercent} % each way, ` +
      `queue ${mb(queueBytes)} (${((queueBytes * 8) / (spec.rateMbit * 1e3)).toFixed(0)} ms), MTU ${mtuFor(spec)}, TCP ${congestion}`,
  );
  await row('idle chat round trip', async () => chatText((await onLink(spec, idleChat)).result));
  // TCP itself may not fill the link (loss, a long round trip): the transfers are sized by what
  // raw TLS managed, so each still takes about MAX_TRANSFER_S.
  let bytes = atRate;
  await row('raw TLS, member → host', async () => {
    const tls = await onLink(spec, (link) => rawTls(link, atRate, MAX_TRANSFER_S + 5));
    bytes = Math.min(atRate, Math.floor((tls.result.bytes / tls.result.ms) * 1000 * MAX_TRANSFER_S));
    return `${fractionText(spec, tls.result.bytes, tls.result.ms)}${linkText(tls)}`;
  });
  const path = join(dir, `shaped-${bytes}.bin`);
  await makeFile(path, bytes);
  console.log(`    (${mb(bytes)} a transfer; chat from the member across the link, every 125 ms)`);
  for (const which of CASES)
    await row(which, async () => {
      const run = await onLink(spec, (link) => transfer(link, which, path));
      const { chat } = run.result;
      return `${fractionText(spec, bytes, run.result.ms)}   chat p50 ${ms(chat.p50)} p99 ${ms(chat.p99)} max ${ms(chat.max)} (${chat.count})${linkText(run)}`;
    });
  await rm(path, { force: true });
  console.log(`    targets (issue 16): ≥ 0.80 of the link; chat p99 ≤ ${spec.rttMs + 100} ms (base round trip + 100 ms)`);
}

/** Prints one row, or why it failed (the other rows still run). */
async function row(label: string, measure: () => Promise<string>): Promise<void> {
  const text = await measure().catch((err: Error) => `failed: ${err.message}`);
  console.log(`    ${label.padEnd(27)} ${text}`);
}

/** Runs `work` on a fresh link (its own counters, an empty queue), and the relay's view of it. */
async function onLink<T>(spec: LinkSpec, work: (link: ShapedLink) => Promise<T>) {
  const link = await ShapedLink.create({
    rateMbit: spec.rateMbit,
    rttMs: spec.rttMs,
    lossPercent: spec.lossPercent,
    ...('bytes' in spec.queue ? { queueBytes: spec.queue.bytes } : { queueMs: spec.queue.ms }),
    mtu: mtuFor(spec),
    ...(spec.congestionControl ? { congestionControl: spec.congestionControl } : {}),
  });
  try {
    const result = await work(link);
    return { result, stats: await link.stats(), relayCpuS: await link.relayCpuSeconds() };
  } finally {
    // Also ends whatever bench process a failed row left running on either side.
    await link.close();
  }
}

const peer = (link: ShapedLink, side: 'guest' | 'host') =>
  new BenchChild('./room-peer.ts', [], { netns: side === 'guest' ? link.guestNs : link.hostNs });

async function room(link: ShapedLink, accept: boolean) {
  const host = peer(link, 'host');
  const { invite } = await host.ask<{ invite: string }>('host', { listenHost: link.hostAddress, accept });
  const member = peer(link, 'guest');
  await member.ask('join', { invite, name: 'Member' });
  return { host, member, invite };
}

async function idleChat(link: ShapedLink): Promise<Chat> {
  const { host, member } = await room(link, true);
  await member.ask('probeStart');
  await new Promise((r) => setTimeout(r, IDLE_PROBE_MS));
  const chat = await member.ask<Chat>('probeStop');
  await Promise.all([member.stop(), host.stop()]);
  return chat;
}

/** One transfer across the link while the member across it chats; `ms` from the offer to the recipient having it all. */
async function transfer(link: ShapedLink, which: Case, path: string) {
  const relayed = which === 'member → host → member';
  const { host, member, invite } = await room(link, !relayed);
  const other = relayed ? peer(link, 'host') : undefined;
  await other?.ask('join', { invite, name: 'Other' });
  const [sender, recipient] = which === 'host → member' ? [host, member] : [member, other ?? host];
  await member.ask('probeStart');
  const sent = await deadline(
    sender.ask<{ ms: number; state: string; reason?: string }>('send', { path }),
    STUCK_S,
    `${which}: no end ${STUCK_S} s after the offer (stuck)`,
  );
  const chat = await member.ask<Chat>('probeStop');
  if (sent.state !== 'done') throw new Error(`${which} across ${link.guestAddress} ended ${sent.state} (${sent.reason})`);
  await recipient.ask('received', { count: 1 });
  await Promise.all([host, member, ...(other ? [other] : [])].map((c) => c.stop()));
  return { ms: sent.ms, chat };
}

/** Raw TLS guest → host: `bytes`, or what crosses in `seconds` if that is less. */
async function rawTls(link: ShapedLink, bytes: number, seconds: number) {
  const receiver = new BenchChild('./shaped-link-tls-peer.ts', [], { netns: link.hostNs });
  const sender = new BenchChild('./shaped-link-tls-peer.ts', [], { netns: link.guestNs });
  const { port } = await receiver.ask<{ port: number }>('listen', { host: link.hostAddress });
  const done = receiver.ask<{ ms: number; bytes: number }>('done');
  await sender.ask('send', { host: link.hostAddress, port, bytes, seconds });
  const got = await done;
  await Promise.all([receiver.stop(), sender.stop()]);
  return got;
}

function deadline<T>(work: Promise<T>, seconds: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), seconds * 1000);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function makeFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  const block = randomBytes(8 * 1024 * 1024);
  for (let at = 0; at < bytes; at += block.length) await handle.write(block, 0, Math.min(block.length, bytes - at), at);
  await handle.close();
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : bytes < 1e8 ? 1 : 0)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const chatText = (c: Chat) => `p50 ${ms(c.p50)}  p99 ${ms(c.p99)}  max ${ms(c.max)}  (${c.count} lines)`;

function fractionText(spec: LinkSpec, bytes: number, took: number): string {
  const mbit = (bytes * 8) / (took / 1000) / 1e6;
  return `${(mbit / spec.rateMbit).toFixed(2)} of the link (${mbit.toFixed(1)} Mbit/s)`;
}

/** What the relay saw in the direction that carried the data: the deepest queue, drops, its CPU. */
function linkText(run: { stats: { toHost: DirectionStats; toGuest: DirectionStats }; relayCpuS: number }): string {
  const busiest = run.stats.toHost.bytes >= run.stats.toGuest.bytes ? run.stats.toHost : run.stats.toGuest;
  return `   [link: queue max ${mb(busiest.maxQueueBytes)}, ${busiest.queueDrops} queue drops, ${busiest.lossDrops} lost; relay CPU ${run.relayCpuS.toFixed(1)} s]`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const sizeArg = args.find((a) => !a.includes('/'));
  await shapedLinkRows(
    args.filter((a) => a.includes('/')),
    sizeArg ? parseSize(sizeArg) : 256 * 1024 ** 2,
  );
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(text);
  if (!m) throw new Error(`Cannot read the size "${text}". Use bytes or e.g. 256MiB, 1GiB.`);
  return Math.round(Number(m[1]) * { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b']);
}
