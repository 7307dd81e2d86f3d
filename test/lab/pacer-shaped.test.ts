// The pacer (src-main/link/bulk-pacer.ts) over a real slow link with a deep queue (the shaped
// link: 20 Mbit/s, 100 ms round trip, 1 s of drop-tail queue, cubic): once it has measured the
// path, the file data queued ahead of a text line — written before it, not yet arrived when it
// was written: Porthole's buffer, the kernel's unsent data, the router's queue and the wire —
// stays within the bound the design sets, and frames and lines keep their order. The same run
// with a pacer that never reacts shows the queue a line would otherwise wait behind.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PACER_POLICY } from '../../src-main/link/bulk-pacer';
import { ShapedLink } from '../fixtures/shaped-link';

const skip = ShapedLink.labSkipReason();
const PEER = fileURLToPath(new URL('../fixtures/pacer-peer.ts', import.meta.url));
const RATE_MBIT = 20;
const RTT_MS = 100;
const RUN_MS = 8000;
/** Lines written before this (after the start) are the start's: not judged. */
const SETTLED_MS = 4000;

function firstLine(child: ChildProcess, key: string): Promise<any> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line);
      if (key in parsed) resolve(parsed);
    });
    child.on('exit', (code) => reject(new Error(`${key}: the peer exited (${code})`)));
  });
}

async function run(link: ShapedLink, mode: 'paced' | 'unpaced') {
  const spawnPeer = (side: 'host' | 'guest', args: string[]) =>
    link.spawn(side, process.execPath, ['--import', 'tsx', PEER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const server = spawnPeer('host', ['server', link.hostAddress, mode, String(RUN_MS)]);
  const { port } = await firstLine(server, 'port');
  const client = spawnPeer('guest', ['client', link.hostAddress, String(port)]);
  const [result] = await Promise.all([firstLine(client, 'lines'), firstLine(server, 'stats')]);
  const start = result.lines[0]?.at ?? 0;
  const lines = result.lines as Array<{ at: number; ahead: number }>;
  const settled = lines.filter((l) => l.at - start > SETTLED_MS);
  const starting = lines.filter((l) => l.at - start <= SETTLED_MS);
  return {
    ordered: result.ordered as boolean,
    maxAhead: Math.max(...settled.map((l) => l.ahead)),
    count: settled.length,
    startAhead: Math.max(...starting.map((l) => l.ahead)),
  };
}

describe('pacing over a shaped link', { skip }, () => {
  let link: ShapedLink | undefined;
  after(() => link?.close());

  it('keeps the file data ahead of a line within the design’s bound, in order', { timeout: 120_000 }, async (t) => {
    link = await ShapedLink.create({ rateMbit: RATE_MBIT, rttMs: RTT_MS, queueMs: 1000, congestionControl: 'cubic' });
    const paced = await run(link, 'paced');
    const unpaced = await run(link, 'unpaced');
    t.diagnostic(`bytes ahead of a line after settling: paced ${paced.maxAhead}, unpaced ${unpaced.maxAhead}`);
    t.diagnostic(`bytes ahead of a line while starting: paced ${paced.startAhead}, unpaced ${unpaced.startAhead}`);
    assert.ok(paced.ordered && unpaced.ordered, 'every frame and line arrived, in order');
    assert.ok(paced.count > 20 && unpaced.count > 20, 'lines were judged');
    // The bound: a one-way trip on the wire, twice the target in queue, one probe interval at
    // the probing gain, and a few frames — at the link's rate.
    const bytesPerMs = (RATE_MBIT * 1e6) / 8 / 1000;
    const { targetDelayMs, probeEveryMs } = DEFAULT_PACER_POLICY;
    const bound = bytesPerMs * (RTT_MS / 2 + 2 * targetDelayMs + probeEveryMs) + 4 * 32 * 1024;
    assert.ok(paced.maxAhead <= bound, `paced: at most ${Math.round(bound)} bytes ahead of a line, saw ${paced.maxAhead}`);
    assert.ok(unpaced.maxAhead > 2 * bound, `unpaced, far more waits ahead (${unpaced.maxAhead})`);
  });
});
