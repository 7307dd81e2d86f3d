import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchChild } from './bench-child';
import { processCpu, type Row } from './bench-report';
import type { floorsFor } from './floors';

// Rows (a) raw TLS file pipe (the baseline every ratio uses), (a0) the same without files (TLS
// alone), (a1) with SHA-256 at both ends (the floor of a verified transfer), (d) the temp folder.

export type RoleFloors = ReturnType<typeof floorsFor>;

export interface PipeRun {
  mbps: number;
  senderCpuS: number;
  receiverCpuS: number;
  cipher: { name: string; version: string };
  rss: { sender: number; receiver: number };
}

/** One raw TLS transfer of `size` bytes between two processes; `file` and `hashed` move `source` into `dir`. */
export async function rawPipe(mode: 'null' | 'file' | 'hashed', size: number, source: string, dir: string): Promise<PipeRun> {
  const receiver = new BenchChild('./raw-tls-peer.ts', []);
  const sender = new BenchChild('./raw-tls-peer.ts', []);
  const dest = join(dir, `pipe-${mode}.bin`);
  try {
    const { port } = await receiver.ask<{ port: number }>('listen', { mode, dest });
    type Sent = { startAt: number; cpuS: number; sha256?: string; cipher: PipeRun['cipher']; rssMb: number };
    type Got = { endAt: number; cpuS: number; bytes: number; sha256?: string; rssMb: number };
    const sent = await sender.ask<Sent>('send', { port, mode, path: source, bytes: size });
    const got = await receiver.ask<Got>('done');
    if (got.bytes !== size) throw new Error(`the ${mode} pipe delivered ${got.bytes} of ${size} bytes`);
    if (sent.sha256 !== got.sha256) throw new Error(`the hashed pipe's SHA-256 differs at both ends`);
    return {
      mbps: size / 1e6 / ((got.endAt - sent.startAt) / 1000),
      senderCpuS: sent.cpuS,
      receiverCpuS: got.cpuS,
      cipher: sent.cipher,
      rss: { sender: sent.rssMb, receiver: got.rssMb },
    };
  } finally {
    await Promise.all([sender.stop(), receiver.stop()]);
    await rm(dest, { force: true });
  }
}

/** (a): the baseline; its floors are read + encrypt and decrypt + write (no hashing). */
export function filePipeRow(run: PipeRun, size: number, floors: RoleFloors): Row {
  return {
    id: '(a)',
    label: 'raw TLS file pipe (baseline)',
    mbps: run.mbps,
    processes: [
      processCpu('sender (read + TLS)', run.senderCpuS, size, floors.plainSender),
      processCpu('receiver (TLS + write)', run.receiverCpuS, size, floors.plainReceiver),
    ],
    numbers: { sender: run.rss.sender, receiver: run.rss.receiver },
    details: (n) => [
      `the faster of two runs; peak RSS sender ${n.sender} MB, receiver ${n.receiver} MB; floors: read + encrypt, decrypt + write`,
    ],
  };
}

/** (a0): TLS alone, no files (what the bench's baseline used to be). */
export function nullPipeRow(run: PipeRun, size: number, floors: RoleFloors): Row {
  return {
    id: '(a0)',
    label: 'raw TLS, no files',
    mbps: run.mbps,
    processes: [
      processCpu('sender (TLS)', run.senderCpuS, size, floors.encrypt),
      processCpu('receiver (TLS)', run.receiverCpuS, size, floors.decrypt),
    ],
    details: () => ['diagnostic: TLS alone, what the bench’s baseline used to be; floors: encrypt, decrypt'],
  };
}

/** (a1): the file pipe plus SHA-256 at both ends: what a verified transfer could reach. */
export function hashedPipeRow(run: PipeRun, size: number, floors: RoleFloors): Row {
  return {
    id: '(a1)',
    label: 'raw TLS file pipe + SHA-256',
    mbps: run.mbps,
    processes: [processCpu('sender', run.senderCpuS, size, floors.sender), processCpu('receiver', run.receiverCpuS, size, floors.receiver)],
  };
}

/** (d): how fast the temp folder (where received files go) takes a file of this size. */
export async function diskWriteRow(size: number, dir: string): Promise<Row> {
  const path = join(dir, 'disk.bin');
  const block = Buffer.alloc(1024 * 1024, 7);
  const started = performance.now();
  const handle = await open(path, 'w');
  for (let offset = 0; offset < size; offset += block.length) await handle.write(block, 0, Math.min(block.length, size - offset), offset);
  await handle.close();
  const mbps = size / 1e6 / ((performance.now() - started) / 1000);
  await rm(path, { force: true });
  return {
    id: '(d)',
    label: 'disk write, temp folder',
    mbps,
    standalone: true,
    summary: () => 'where received files go: rows cannot beat it (TMPDIR=/dev/shm rules it out)',
  };
}
