import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchChild } from './bench-child';
import { parseBenchArgs, type BenchOptions, type Group } from './bench-cli';
import { medianRows, printRow, type Row } from './bench-report';
import { atCleanup, cleanUp, cleanUpOnSignals, scratchDir, stoppedBySignal } from './bench-scratch';
import { scpRow } from './compare-scp';
import { seedRow } from './compare-seed';
import { stopAllTracked } from './tracked-process';
import { floorsFor, floorsRow, measureFloors, nodeCipherOf } from './floors';
import { diskWriteRow, filePipeRow, hashedPipeRow, nullPipeRow, rawPipe, type RoleFloors } from './pipe-rows';
import { fanoutRow, hostToMemberRow, relayRow, resumeRow, throughHostRow, type RoomContext } from './room-rows';

// npm run bench [-- SIZE] [--rounds N] [--only GROUPS] [--link SPEC]…   (npm run bench -- --help)
// Loopback only; every role is its own process. Not a test: it reports, it does not judge.

const options = parseBenchArgs(process.argv.slice(2));
const { size } = options;
const wants = (g: Group) => options.only.has(g);

async function makeFile(dir: string): Promise<string> {
  const path = join(dir, 'bench.bin');
  const handle = await open(path, 'w');
  const block = randomBytes(8 * 1024 * 1024);
  for (let offset = 0; offset < size; offset += block.length) await handle.write(block, 0, Math.min(block.length, size - offset), offset);
  await handle.close();
  return path;
}

let failedRows = 0;
/**
 * A row taking longer than this hangs (a transfer that never ends waits for the room's own
 * timeouts, ten minutes and more): two minutes plus the size at 2 MB/s, far above what the
 * slowest row (fanout, eight copies through the host) takes on a busy machine.
 */
const ROW_LIMIT_S = Math.round(120 + size / 2e6);
/** Seconds each part of the run took, over all rounds (printed at the end). */
const spent = new Map<string, number>();

async function timed(part: string, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await work();
  } finally {
    spent.set(part, (spent.get(part) ?? 0) + (performance.now() - started) / 1000);
  }
}

/** One round: the baseline and floors first, then every chosen group; prints each row as it comes. */
async function round(source: string): Promise<Row[]> {
  const rows: Row[] = [];
  let baseline: number | undefined;
  const add = (row: Row) => {
    if (baseline !== undefined && row.mbps !== undefined && !row.standalone) row.ratio = row.mbps / baseline;
    printRow(row);
    rows.push(row);
  };
  /**
   * Measures one row; a failure is printed as that row's result and the run goes on. A row that
   * hangs (a transfer that never ends) is stopped after ROW_LIMIT_S: its processes are killed.
   */
  const attempt = async (id: string, label: string, measure: () => Promise<Row>) => {
    const measuring = measure();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ROW_LIMIT_S * 1000)));
    try {
      const row = await Promise.race([measuring, late]);
      if (row !== 'late') return add(row);
      await Promise.all([BenchChild.killAll(), stopAllTracked()]);
      await measuring.catch(() => {});
      throw new Error(`stopped after ${ROW_LIMIT_S} s (the limit for a row at this size)`);
    } catch (err) {
      if (stoppedBySignal()) throw err;
      failedRows += 1;
      add({ id, label, failed: err instanceof Error ? err.message : String(err) });
    } finally {
      clearTimeout(timer);
    }
  };
  const dir = await scratchDir('round');
  const ctx: RoomContext = { size, source, dir };
  let floors128: RoleFloors | undefined;
  if ((['pipe', 'room', 'compare', 'relay'] as const).some(wants)) {
    await timed('baseline and floors', async () => {
      // The baseline every ratio divides by: the faster of two runs, so that one disturbed run
      // (two shared cores) does not flatter a whole round's ratios.
      const first = await rawPipe('file', size, source, dir);
      const second = await rawPipe('file', size, source, dir);
      const pipe = first.mbps >= second.mbps ? first : second;
      const cipher = nodeCipherOf(pipe.cipher.name);
      const ciphers = wants('compare') && cipher !== 'aes-128-gcm' ? [cipher, 'aes-128-gcm'] : [cipher];
      const measured = await measureFloors(dir, ciphers);
      ctx.floors = floorsFor(measured, cipher);
      if (wants('compare')) floors128 = floorsFor(measured, 'aes-128-gcm');
      const tls = `${pipe.cipher.version} ${pipe.cipher.name} → floors use ${cipher}`;
      add({ id: 'TLS', label: 'negotiated by the room’s TLS', summary: () => tls });
      add(floorsRow(measured, cipher));
      baseline = pipe.mbps;
      add(filePipeRow(pipe, size, ctx.floors));
    });
  }
  const floors = ctx.floors!;
  if (wants('pipe'))
    await timed('pipe', async () => {
      await attempt('(a0)', 'raw TLS, no files', async () => nullPipeRow(await rawPipe('null', size, source, dir), size, floors));
      await attempt('(a1)', 'raw TLS file pipe + SHA-256', async () =>
        hashedPipeRow(await rawPipe('hashed', size, source, dir), size, floors),
      );
      await attempt('(d)', 'disk write, temp folder', () => diskWriteRow(size, dir));
    });
  if (wants('room'))
    await timed('room', async () => {
      await attempt('(b)', 'host → member', () => hostToMemberRow(ctx));
      await attempt('(c1)', 'member → host → member', () => throughHostRow(ctx, 1));
      await attempt('(c)', 'member → host → 2 members', () => throughHostRow(ctx, 2));
    });
  if (wants('compare'))
    await timed('compare', async () => {
      await attempt('scp', 'scp -c aes128-gcm@openssh.com', () => scpRow(ctx, floors128!));
      await attempt('seed', 'seed-style Python websockets, wss', () => seedRow(ctx));
    });
  if (wants('relay')) await timed('relay', () => attempt('(e)', 'host → member via Syncthing relay', () => relayRow(ctx)));
  if (wants('fanout')) await timed('fanout', () => attempt('(f)', 'host → 4, one slow', () => fanoutRow(ctx)));
  if (wants('resume')) await timed('resume', () => attempt('(g)', 'cut half-way, resumed', () => resumeRow(ctx)));
  await rm(dir, { recursive: true, force: true });
  return rows;
}

/**
 * Rows other engineers build in their own modules; imported only when their group runs, so this
 * file stands without them ("skipped: not built yet" until they exist).
 */
async function hook<T>(group: Group, specifier: string, run: (m: T) => Promise<void>): Promise<void> {
  let loaded: T;
  try {
    loaded = (await import(specifier)) as T;
  } catch (err) {
    const missing =
      (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(specifier.slice(2));
    if (!missing) throw err;
    console.log(`${group}: skipped: not built yet (bench/${specifier.slice(2)}.ts)`);
    return;
  }
  await run(loaded);
}

function header(o: BenchOptions): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Porthole bench: ${(o.size / 1024 ** 3).toFixed(2)} GiB per transfer on loopback, every role in its own process`);
  console.log(
    `Node ${process.versions.node}, OpenSSL ${process.versions.openssl}, ${cpu} × ${availableParallelism()}, temp folder ${tmpdir()}` +
      `${o.rounds > 1 ? `, ${o.rounds} rounds` : ''}; groups: ${[...o.only].join(',')}`,
  );
  console.log('CPU-s/GB: CPU seconds (user + system) each process used from just before the transfer to its end, per GB moved.\n');
}

cleanUpOnSignals();
atCleanup(() => BenchChild.killAll());
const started = performance.now();
try {
  header(options);
  const rounds: Row[][] = [];
  const measuring = (['pipe', 'room', 'compare', 'relay', 'fanout', 'resume'] as const).some(wants);
  const source = measuring ? await makeFile(await scratchDir('source')) : '';
  for (let r = 1; measuring && r <= options.rounds; r++) {
    if (options.rounds > 1) console.log(`\n— round ${r} of ${options.rounds} —`);
    rounds.push(await round(source));
  }
  if (options.rounds > 1 && measuring) {
    console.log(`\n— medians of ${options.rounds} rounds (ratios taken within each round) —`);
    for (const row of medianRows(rounds)) printRow(row);
  }
  if (wants('crowd')) await timed('crowd', () => hook<{ crowdRows(): Promise<void> }>('crowd', './crowd', (m) => m.crowdRows()));
  if (wants('shaped'))
    await timed('shaped', () =>
      hook<{ shapedLinkRows(specs: string[], size: number): Promise<void> }>('shaped', './shaped-link', (m) =>
        m.shapedLinkRows(options.links, size),
      ),
    );
  const parts = [...spent].map(([part, seconds]) => `${part} ${seconds.toFixed(0)} s`).join(', ');
  console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(0)} s (${parts})`);
  if (failedRows > 0) {
    console.log(`${failedRows} measurement(s) failed (see "failed:" above)`);
    process.exitCode = 1;
  }
} catch (err) {
  if (!stoppedBySignal()) console.error(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
