import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { createHostIdentity } from '../src-main/link/host-identity';
import { cpuSinceMark, markCpu, peakRssMb, serveCommands, wallMs } from './bench-child';

// The baselines: the room's TLS (same key type, same library, same options) carrying a file
// between two processes with nothing on top — no WebSocket, no frames, no credit. Modes:
// `file`: the sender reads the source, the receiver writes the destination, both with large
// positional reads and writes of reused buffers (the baseline);
// `hashed`: the same plus SHA-256 at both ends (the floor of a verified transfer);
// `null`: no file at either end, the sender repeats one block (TLS alone, a diagnostic).

type Mode = 'null' | 'file' | 'hashed';
/** Reads and writes move the file in blocks of this size. */
const BLOCK = 1024 * 1024;
let result: Promise<object> | undefined;

/**
 * Receives one connection's bytes: copied into two reused 1 MiB buffers, each written at its
 * offset while the other fills (unless `null`); resolves when everything is in the file.
 */
async function receive(socket: TLSSocket, mode: Mode, dest: string): Promise<object> {
  markCpu();
  const hash = mode === 'hashed' ? createHash('sha256') : undefined;
  const file = mode === 'null' ? undefined : await open(dest, 'w');
  const free: Buffer[] = [Buffer.allocUnsafe(BLOCK), Buffer.allocUnsafe(BLOCK)];
  let current = free.pop();
  let fill = 0;
  let at = 0;
  let bytes = 0;
  /** What did not fit while both buffers were being written: reading waits for it. */
  let held: Buffer | undefined;
  const writes = new Set<Promise<void>>();
  const flush = (buffer: Buffer) => {
    const length = fill;
    const position = at;
    at += length;
    fill = 0;
    hash?.update(buffer.subarray(0, length));
    current = free.pop();
    const write = file!.write(buffer, 0, length, position).then(() => {
      writes.delete(write);
      free.push(buffer);
      if (current) return;
      current = free.pop();
      const rest = held;
      held = undefined;
      if (rest) take(rest);
      if (!held) socket.resume();
    });
    writes.add(write);
  };
  const take = (chunk: Buffer) => {
    for (let offset = 0; offset < chunk.length; ) {
      if (!current) {
        held = chunk.subarray(offset);
        socket.pause();
        return;
      }
      const copied = chunk.copy(current, fill, offset);
      offset += copied;
      fill += copied;
      if (fill === BLOCK) flush(current);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (file) take(chunk);
  });
  await once(socket, 'end');
  if (file && fill > 0) flush(current!);
  await Promise.all(writes);
  await file?.close();
  return { endAt: wallMs(), cpuS: cpuSinceMark(), bytes, sha256: hash?.digest('hex'), rssMb: peakRssMb() };
}

/** Reads `bytes` of `path` with large positional reads into two reused buffers and writes them to the socket. */
async function sendFile(socket: TLSSocket, path: string, bytes: number, hash: Hash | undefined): Promise<void> {
  const file = await open(path, 'r');
  const free: Buffer[] = [Buffer.allocUnsafe(BLOCK), Buffer.allocUnsafe(BLOCK)];
  let wake: (() => void) | undefined;
  try {
    for (let at = 0; at < bytes; ) {
      // A buffer comes back once the socket has taken its bytes: that is the back-pressure.
      while (free.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const buffer = free.pop()!;
      const { bytesRead } = await file.read(buffer, 0, Math.min(BLOCK, bytes - at), at);
      if (bytesRead === 0) throw new Error(`${path} is shorter than ${bytes} bytes`);
      at += bytesRead;
      const piece = buffer.subarray(0, bytesRead);
      hash?.update(piece);
      socket.write(piece, () => {
        free.push(buffer);
        wake?.();
      });
    }
  } finally {
    await file.close();
  }
}

serveCommands({
  /** `{ mode, dest }` → the port a TLS server listens on for one sender. */
  async listen(args) {
    const identity = await createHostIdentity();
    const server = createServer({ cert: identity.certPem, key: identity.keyPem, minVersion: 'TLSv1.2' }, (socket) => {
      socket.setNoDelay(true);
      result = receive(socket, args.mode as Mode, args.dest as string);
      server.close();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as { port: number }).port };
  },
  /** What the receiver got: when it ended, its CPU seconds, the bytes and their hash. */
  async done() {
    while (!result) await new Promise((r) => setTimeout(r, 10));
    return result;
  },
  /** `{ port, mode, path, bytes }` → when sending started, its CPU seconds, the TLS cipher. */
  async send(args) {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port: args.port as number, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
    await once(socket, 'secureConnect');
    socket.setNoDelay(true);
    const mode = args.mode as Mode;
    const bytes = args.bytes as number;
    markCpu();
    const startAt = wallMs();
    const hash = mode === 'hashed' ? createHash('sha256') : undefined;
    if (mode === 'null') {
      const block = Buffer.alloc(BLOCK, 7);
      for (let left = bytes; left > 0; left -= block.length) {
        if (!socket.write(left >= block.length ? block : block.subarray(0, left))) await once(socket, 'drain');
      }
    } else await sendFile(socket, args.path as string, bytes, hash);
    await new Promise<void>((resolve) => socket.end(resolve));
    const cpuS = cpuSinceMark();
    return { startAt, cpuS, sha256: hash?.digest('hex'), cipher: socket.getCipher(), rssMb: peakRssMb() };
  },
});
