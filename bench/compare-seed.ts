import { spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHostIdentity } from '../src-main/link/host-identity';
import { processCpu, type Row } from './bench-report';
import { scratchDir } from './bench-scratch';
import type { RoomContext } from './room-rows';
import { firstLine, startTracked } from './tracked-process';

// The seed's own design as a ~40-line Python script (bench/seed-transfer.py): wss with Python
// `websockets`, 256 KiB binary frames, SHA-256 at both ends, the file written. The same kind of
// certificate as the room's; the receiver reports the cipher its TLS chose.

const SCRIPT = new URL('./seed-transfer.py', import.meta.url).pathname;

/** The first python3 that can import websockets, if any. */
function pythonWithWebsockets(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0);
}

type Sent = { start: number; cpu: number; answer: string };
type Got = { end: number; cpu: number; ok: boolean; bytes: number; cipher: string | null };

export async function seedRow(ctx: RoomContext): Promise<Row> {
  const row = { id: 'seed', label: 'seed-style Python websockets, wss' };
  const python = pythonWithWebsockets();
  if (!python) return { ...row, skipped: 'no python3 with websockets (tried python3, /usr/bin/python3)' };
  const dir = await scratchDir('seed');
  const identity = await createHostIdentity();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await writeFile(cert, identity.certPem);
  await writeFile(key, identity.keyPem, { mode: 0o600 });
  const dest = join(ctx.dir, 'seed-copy.bin');
  const sender = startTracked(python, [SCRIPT, 'send', ctx.source, cert, key]);
  try {
    const { port } = JSON.parse(await firstLine(sender)) as { port: number };
    const receiver = startTracked(python, [SCRIPT, 'receive', String(port), dest]);
    const [receiverCode, senderCode] = await Promise.all([receiver.exited, sender.exited]);
    if (receiverCode !== 0 || senderCode !== 0)
      throw new Error(`the Python transfer failed: ${receiver.stderr().trim() || sender.stderr().trim()}`);
    const got = JSON.parse(receiver.stdout().trim()) as Got;
    const sent = JSON.parse(sender.stdout().trim().split('\n').pop()!) as Sent;
    if (!got.ok || got.bytes !== ctx.size)
      throw new Error(`the Python transfer delivered ${got.bytes} of ${ctx.size} bytes (hash ${got.ok ? 'ok' : 'differs'})`);
    const { size, floors } = ctx;
    return {
      ...row,
      mbps: size / 1e6 / (got.end - sent.start),
      processes: [
        processCpu('sender (python)', sent.cpu, size, floors?.sender),
        processCpu('receiver (python)', got.cpu, size, floors?.receiver),
      ],
      details: () => [`${python}, TLS cipher ${got.cipher ?? 'unknown'}; floors as a verified transfer's (SHA-256 at both ends)`],
    };
  } finally {
    await sender.stop();
    await rm(dest, { force: true });
  }
}
