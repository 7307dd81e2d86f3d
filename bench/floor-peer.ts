import { createCipheriv, createDecipheriv, createHash, getCipherInfo, randomBytes, type CipherGCMTypes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { serveCommands } from './bench-child';

// The work a transfer cannot avoid, measured on this machine in its own process: hashing,
// the TLS cipher both ways, and reading and writing a file in the temp folder, each as CPU
// seconds per GB on 256 KiB buffers (the room's chunk size).

const BUFFER = 256 * 1024;
/**
 * Each kind of work runs in this many passes. The median counts: passes vary (on two shared
 * cores, and a cipher's 256 KiB output buffer per call costs page faults some passes and not
 * others); the cheapest pass is reported too, as what the work costs when nothing gets in its way.
 */
const PASSES = 8;
const cheapest: Record<string, number> = {};

/** CPU seconds per GB (this process's threads included) of `work` over `bytes`: the median pass; the cheapest goes to `cheapest[name]`. */
async function cpuPerGb(name: string, bytes: number, work: () => Promise<void> | void): Promise<number> {
  const passes: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const start = process.cpuUsage();
    await work();
    const used = process.cpuUsage(start);
    passes.push((used.user + used.system) / 1e6 / (bytes / 1e9));
  }
  passes.sort((a, b) => a - b);
  cheapest[name] = passes[0]!;
  return (passes[(PASSES >> 1) - 1]! + passes[PASSES >> 1]!) / 2;
}

function cipherOf(name: string, decrypt: boolean) {
  const info = getCipherInfo(name);
  if (!info?.keyLength || !info.ivLength) throw new Error(`unknown cipher ${name}`);
  const key = randomBytes(info.keyLength);
  const iv = randomBytes(info.ivLength);
  const gcm = name as CipherGCMTypes;
  return decrypt ? createDecipheriv(gcm, key, iv, { authTagLength: 16 }) : createCipheriv(gcm, key, iv, { authTagLength: 16 });
}

serveCommands({
  /** `{ dir, bytes, ciphers }` → CPU-s/GB of SHA-256, file read and write, and each cipher's encrypt and decrypt, over `bytes` each. */
  async measure(args) {
    const count = Math.max(1, Math.round((args.bytes as number) / BUFFER / PASSES));
    const bytes = count * BUFFER;
    const buffer = randomBytes(BUFFER);
    const sha256 = await cpuPerGb('SHA-256', bytes, () => {
      const hash = createHash('sha256');
      for (let i = 0; i < count; i++) hash.update(buffer);
      hash.digest();
    });
    const encrypt: Record<string, number> = {};
    const decrypt: Record<string, number> = {};
    for (const name of args.ciphers as string[]) {
      for (const [into, undo] of [
        [encrypt, false],
        [decrypt, true],
      ] as const) {
        const cipher = cipherOf(name, undo);
        into[name] = await cpuPerGb(`${name} ${undo ? 'decrypt' : 'encrypt'}`, bytes, () => {
          for (let i = 0; i < count; i++) cipher.update(buffer);
        });
      }
    }
    const path = join(args.dir as string, 'floor.bin');
    const started = performance.now();
    const write = await cpuPerGb('write', bytes, async () => {
      const file = await open(path, 'w');
      for (let i = 0; i < count; i++) await file.write(buffer, 0, BUFFER, i * BUFFER);
      await file.close();
    });
    const writeMbps = (PASSES * bytes) / 1e6 / ((performance.now() - started) / 1000);
    const read = await cpuPerGb('read', bytes, async () => {
      const file = await open(path, 'r');
      for (let i = 0; i < count; i++) await file.read(buffer, 0, BUFFER, i * BUFFER);
      await file.close();
    });
    await rm(path, { force: true });
    return { sha256, encrypt, decrypt, read, write, writeMbps, bytes: bytes * PASSES, passes: PASSES, cheapest };
  },
});
