// The shaped link (test/fixtures/shaped-link.ts) does what it says, checked with bounds the
// relay guarantees whatever the machine's speed: nothing crosses faster than the rate or sooner
// than the delay, loss takes about its share, a full queue drops and never holds more than its
// size, frames arrive intact and one by one, and nothing is left behind when a link is closed or
// its process dies.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type LinkStats, ShapedLink, type ShapedLinkOptions, type Side } from '../fixtures/shaped-link';
import { listNamespaces } from '../fixtures/shaper/link-namespaces';

const skip = ShapedLink.labSkipReason();
const PROBE = fileURLToPath(new URL('../fixtures/shaper/net-probe.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/shaped-link.ts', import.meta.url));

/** A child's JSON lines, and a wait for the first one that matches. */
function jsonLines(child: ChildProcess) {
  const lines: any[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  });
  return async (match: (line: any) => boolean, timeoutMs = 60_000): Promise<any> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.findLast(match);
      if (found) return found;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no such line; got ${JSON.stringify(lines.slice(-3))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a shaped link between two namespaces', { skip }, () => {
  const links: ShapedLink[] = [];
  after(async () => {
    await Promise.all(links.map((link) => link.close()));
  });
  async function link(options: ShapedLinkOptions) {
    const made = await ShapedLink.create(options);
    links.push(made);
    return made;
  }
  async function probe(on: ShapedLink, side: Side, ...args: (string | number)[]) {
    const child = on.spawn(side, process.execPath, [PROBE, ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const next = jsonLines(child);
    if (/^(tcp-sink|tcp-echo|udp-sink)$/.test(String(args[0]))) await next((l) => l.ready);
    return next;
  }
  const allDirections = (stats: LinkStats) => [stats.toHost, stats.toGuest];

  it('carries a TCP stream intact, one frame per packet, and no faster than its rate', async () => {
    const shaped = await link({ rateMbit: 20, rttMs: 40, queueMs: 200, congestionControl: 'cubic' });
    await probe(shaped, 'host', 'tcp-sink', 5001);
    const size = 3_000_000;
    const source = await probe(shaped, 'guest', 'tcp-source', shaped.hostAddress, 5001, size);
    const done = await source((l) => l.ms !== undefined);
    assert.equal(done.reply.bytes, size);
    assert.equal(done.reply.sha256, done.sha256, 'the bytes arrived unchanged (checksums filled in on the way)');
    // The payload alone takes size/rate on the wire; the handshake and the answer add a round trip.
    assert.ok(done.ms >= ((size * 8) / 20e6) * 1000 + 40, `${size} bytes at 20 Mbit/s took only ${done.ms} ms`);
    const stats = await shaped.stats();
    assert.ok(stats.toHost.forwardedBytes > size);
    // The ends use the congestion control asked for (cubic, as people's machines do), whatever this machine's default.
    for (const side of ['guest', 'host'] as const)
      assert.equal((await shaped.exec(side, 'sysctl', ['-n', 'net.ipv4.tcp_congestion_control'])).trim(), 'cubic');
    for (const direction of allDirections(stats)) {
      assert.equal(direction.gsoFrames, 0, 'no frame larger than the MTU reached the relay');
      assert.equal(direction.overflowDrops, 0);
      assert.ok(direction.maxQueueBytes <= shaped.toHost.queueBytes);
    }
  });

  it('delays each direction by at least its own delay, and a round trip by their sum', async () => {
    const shaped = await link({ rateMbit: 50, rttMs: 0, toHost: { delayMs: 30 }, toGuest: { delayMs: 50 } });
    const toHost = await probe(shaped, 'host', 'udp-sink', 5002);
    const toGuest = await probe(shaped, 'guest', 'udp-sink', 5002);
    await probe(shaped, 'guest', 'udp-send', shaped.hostAddress, 5002, 20, 100);
    await probe(shaped, 'host', 'udp-send', shaped.guestAddress, 5002, 20, 100);
    const up = await toHost((l) => l.count === 20);
    const down = await toGuest((l) => l.count === 20);
    assert.ok(up.minOneWayMs >= 30, `guest → host took ${up.minOneWayMs} ms`);
    // (Were the directions swapped, host → guest would take only 30 ms.)
    assert.ok(down.minOneWayMs >= 50, `host → guest took ${down.minOneWayMs} ms`);

    await probe(shaped, 'host', 'tcp-echo', 5003);
    const ping = await probe(shaped, 'guest', 'tcp-ping', shaped.hostAddress, 5003, 10);
    const { rtts } = await ping((l) => l.rtts);
    assert.equal(rtts.length, 10);
    for (const rtt of rtts) assert.ok(rtt >= 80, `a round trip took ${rtt} ms`);
  });

  it('loses about the configured share of packets, and only those', async () => {
    const shaped = await link({ rateMbit: 10, rttMs: 10, lossPercent: 5 });
    const sink = await probe(shaped, 'host', 'udp-sink', 5004);
    const count = 2000;
    await probe(shaped, 'guest', 'udp-send', shaped.hostAddress, 5004, count, 200);
    const stats = await until(
      () => shaped.stats(),
      (s) => s.toHost.forwarded + s.toHost.lossDrops === count,
      'the relay to pass or drop every datagram',
    );
    // Nothing else crossed: no ARP, no IPv6 chatter, nothing dropped by the queue.
    assert.equal(stats.toHost.packets, count);
    assert.equal(stats.toHost.queueDrops, 0);
    assert.equal(stats.toGuest.packets, 0);
    // Binomial(2000, 0.05): mean 100, standard deviation 9.7; five deviations either way.
    assert.ok(stats.toHost.lossDrops >= 50 && stats.toHost.lossDrops <= 150, `${stats.toHost.lossDrops} of ${count} lost`);
    await sink((l) => l.count === stats.toHost.forwarded);
  });

  it('drops what does not fit in a full bottleneck queue, which never holds more than its size', async () => {
    const queueBytes = 30_000;
    const shaped = await link({ rateMbit: 10, rttMs: 10, queueBytes });
    const sink = await probe(shaped, 'host', 'udp-sink', 5005);
    const count = 500;
    // 500 frames of 1442 bytes: 0.58 s at 10 Mbit/s, handed to the link in a few milliseconds.
    await probe(shaped, 'guest', 'udp-send', shaped.hostAddress, 5005, count, 1400);
    const stats = await until(
      () => shaped.stats(),
      (s) => s.toHost.forwarded + s.toHost.queueDrops === count,
      'the relay to pass or drop every datagram',
    );
    assert.ok(stats.toHost.queueDrops > 0, 'the queue overflowed');
    assert.ok(stats.toHost.maxQueueBytes <= queueBytes, `the queue held ${stats.toHost.maxQueueBytes} bytes`);
    assert.ok(stats.toHost.maxQueueBytes > queueBytes - 1442, 'the queue was full before it dropped');
    assert.ok(stats.toHost.forwarded >= Math.floor(queueBytes / 1442));
    await sink((l) => l.count === stats.toHost.forwarded);
  });

  it('removes its namespaces and stops its processes at close, and a second close is fine', async () => {
    const shaped = await ShapedLink.create({ rateMbit: 10, rttMs: 10 });
    const names = [shaped.guestNs, shaped.relayNs, shaped.hostNs];
    const echo = shaped.spawn('host', process.execPath, [PROBE, 'tcp-echo', '5006'], { stdio: 'ignore' });
    // Started in the namespace without the link's help, as a bench process is.
    const stray = spawn('ip', ['netns', 'exec', shaped.guestNs, process.execPath, PROBE, 'tcp-echo', '5007'], { stdio: 'ignore' });
    await once(stray, 'spawn');
    for (const name of names) assert.ok(name.length <= 15, `${name} is short enough to read in ip's listings`);
    await shaped.close();
    assert.ok(echo.exitCode !== null || echo.signalCode !== null, 'what ran on a side was stopped');
    if (stray.exitCode === null && stray.signalCode === null) await once(stray, 'exit');
    assert.equal(stray.signalCode, 'SIGKILL', 'so was what was started there some other way');
    const left = await listNamespaces();
    assert.deepEqual(
      names.filter((n) => left.includes(n)),
      [],
    );
    await shaped.close();
    assert.throws(() => shaped.spawn('guest', 'true'), /closed/);
    const final = await shaped.stats();
    assert.equal(final.toHost.queueDrops, 0, 'the counters as the relay ended are still there');
  });

  it('cleans up when its process exits, and a killed process’s links are swept by the next one', async () => {
    const script = (end: string) =>
      `import { ShapedLink } from ${JSON.stringify(FIXTURE)};
       const link = await ShapedLink.create({ rateMbit: 10, rttMs: 10 });
       console.log(JSON.stringify([link.guestNs, link.relayNs, link.hostNs]));
       ${end}`;
    const run = (end: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(end)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return { child, names: once(createInterface({ input: child.stdout! }), 'line').then(([line]) => JSON.parse(line) as string[]) };
    };

    const exiting = run('process.exit(0);');
    const exitedNames = await exiting.names;
    await once(exiting.child, 'exit');
    assert.equal(new Set(exitedNames).size, 3);
    let left = await listNamespaces();
    assert.deepEqual(
      exitedNames.filter((n) => left.includes(n)),
      [],
      'an exiting process removes its links',
    );

    const killed = run('setInterval(() => {}, 1000);');
    const killedNames = await killed.names;
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');
    const relayNs = killedNames[1]!;
    // The relay watches its standard input: with its parent gone it ends by itself.
    await until(
      async () => execFileSync('ip', ['netns', 'pids', relayNs]).toString().trim(),
      (pids) => pids === '',
      'the orphaned relay to end',
      10_000,
    );
    await link({ rateMbit: 10, rttMs: 10 });
    left = await listNamespaces();
    assert.deepEqual(
      killedNames.filter((n) => left.includes(n)),
      [],
      'the next link swept the dead process’s namespaces',
    );
  });
});
