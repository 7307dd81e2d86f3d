import { BenchChild } from './bench-child';
import type { Row } from './bench-report';

/** CPU-s/GB of the work a transfer cannot avoid, measured on this machine in this run. */
export interface Floors {
  sha256: number;
  encrypt: Record<string, number>;
  decrypt: Record<string, number>;
  read: number;
  write: number;
  /** How fast the temp folder took the floor's file (MB/s). */
  writeMbps: number;
  /** Bytes each was measured on, in `passes` passes (the cheapest counts). */
  bytes: number;
  passes: number;
  /** The cheapest pass of each (CPU-s/GB), by name: "SHA-256", "aes-256-gcm encrypt", "read"… */
  cheapest: Record<string, number>;
}

const FLOOR_BYTES = 256 * 1024 * 1024;

/** Node's cipher name for a TLS cipher suite (TLS 1.3 or 1.2 names), e.g. TLS_AES_256_GCM_SHA384 → aes-256-gcm. */
export function nodeCipherOf(tlsName: string): string {
  if (/AES.?256.?GCM/i.test(tlsName)) return 'aes-256-gcm';
  if (/AES.?128.?GCM/i.test(tlsName)) return 'aes-128-gcm';
  if (/CHACHA20.?POLY1305/i.test(tlsName)) return 'chacha20-poly1305';
  throw new Error(`no floor for the cipher ${tlsName}`);
}

/** Measures the floors in a process of their own, on ~256 MiB per kind of work, writing in `dir`. */
export async function measureFloors(dir: string, ciphers: string[]): Promise<Floors> {
  const child = new BenchChild('./floor-peer.ts', []);
  try {
    return await child.ask<Floors>('measure', { dir, bytes: FLOOR_BYTES, ciphers });
  } finally {
    await child.stop();
  }
}

/** What each role in a transfer cannot do with less CPU (CPU-s/GB), for one cipher. */
export function floorsFor(f: Floors, cipher: string) {
  const enc = f.encrypt[cipher]!;
  const dec = f.decrypt[cipher]!;
  return {
    /** A verified sender: read + SHA-256 + encrypt. */
    sender: f.read + f.sha256 + enc,
    /** A verified receiver: decrypt + SHA-256 + write. */
    receiver: dec + f.sha256 + f.write,
    /** Relaying to n recipients: decrypt once + encrypt n times. */
    relay: (n: number) => dec + n * enc,
    /** Sending a file without hashing it: read + encrypt. */
    plainSender: f.read + enc,
    /** Receiving into a file without hashing: decrypt + write. */
    plainReceiver: dec + f.write,
    /** Only the cipher (the I/O-free pipe). */
    encrypt: enc,
    decrypt: dec,
  };
}

/** The floors as a row (numbers, so that rounds print their medians) and what each role's floor is made of. */
export function floorsRow(f: Floors, cipher: string): Row {
  const ciphers = Object.keys(f.encrypt);
  const numbers: Record<string, number> = {
    sha256: f.sha256,
    read: f.read,
    write: f.write,
    writeMbps: f.writeMbps,
    mib: f.bytes / 1024 ** 2,
    passes: f.passes,
  };
  for (const c of ciphers) Object.assign(numbers, { [`encrypt ${c}`]: f.encrypt[c]!, [`decrypt ${c}`]: f.decrypt[c]! });
  const least = Object.keys(f.cheapest);
  for (const k of least) numbers[`least ${k}`] = f.cheapest[k]!;
  const back = (n: Record<string, number>): Floors => ({
    sha256: n.sha256!,
    read: n.read!,
    write: n.write!,
    writeMbps: n.writeMbps!,
    bytes: n.mib! * 1024 ** 2,
    passes: n.passes!,
    encrypt: Object.fromEntries(ciphers.map((c) => [c, n[`encrypt ${c}`]!])),
    decrypt: Object.fromEntries(ciphers.map((c) => [c, n[`decrypt ${c}`]!])),
    cheapest: Object.fromEntries(least.map((k) => [k, n[`least ${k}`]!])),
  });
  const v = (x: number) => x.toFixed(2);
  return {
    id: '',
    label: 'floors, CPU-s/GB',
    numbers,
    summary: (n) => {
      const all = ciphers.map((c) => `${c} encrypt ${v(n[`encrypt ${c}`]!)}, decrypt ${v(n[`decrypt ${c}`]!)}`).join('; ');
      return `SHA-256 ${v(n.sha256!)}; ${all}; file read ${v(n.read!)}, write ${v(n.write!)} (temp folder, ${n.writeMbps!.toFixed(0)} MB/s)`;
    },
    details: (n) => {
      const roles = floorsFor(back(n), cipher);
      return [
        `on 256 KiB buffers, ${n.mib} MiB each in ${n.passes} passes (the median counts), in a process of their own`,
        `cheapest passes: ${least.map((k) => `${k} ${v(n[`least ${k}`]!)}`).join(', ')}`,
        `sender = read + SHA-256 + encrypt = ${v(roles.sender)}; receiver = decrypt + SHA-256 + write = ${v(roles.receiver)}`,
        `relay = decrypt + N × encrypt = ${v(roles.relay(1))} (N = 1), ${v(roles.relay(2))} (N = 2)`,
      ];
    },
  };
}
