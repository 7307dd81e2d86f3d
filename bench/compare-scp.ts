import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { processCpu, type Row } from './bench-report';
import { atCleanup, scratchDir } from './bench-scratch';
import type { RoleFloors } from './pipe-rows';
import type { RoomContext } from './room-rows';
import { runTracked, startTracked, type Tracked } from './tracked-process';

// What people use: scp with AES-128-GCM over loopback, to an sshd the bench starts for the row on
// a free high port, with a throwaway host key and client key in the run's folder (gone after).
// CPU of each side comes from /proc: the shell around scp sees scp and ssh in its children's
// times; sshd's listener sees every connection's processes in its own once it has reaped them.

const SSHD = '/usr/sbin/sshd';
const PRIVSEP_DIR = '/run/sshd';
const TICKS = 100; // USER_HZ: the unit of /proc/<pid>/stat times on Linux

/** CPU seconds of a process and its reaped children, from /proc/<pid>/stat text. */
function cpuFromStat(text: string): number {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / TICKS;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilListening(port: number, sshd: Tracked): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (sshd.child.exitCode !== null) throw new Error(`sshd ended: ${sshd.stderr().trim()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen: ${sshd.stderr().trim()}`);
}

/** sshd's CPU so far, once every connection process it started has ended and been counted. */
async function serverCpu(pid: number): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    if (children.trim() === '') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cpuFromStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** A bench-owned sshd on 127.0.0.1; stop() ends it and removes what it needed. */
async function startSshd(dir: string) {
  const run = (args: string[]) => runTracked('ssh-keygen', args);
  await run(['-q', '-t', 'ed25519', '-N', '', '-C', 'porthole-bench-host', '-f', join(dir, 'host_key')]);
  await run(['-q', '-t', 'ed25519', '-N', '', '-C', 'porthole-bench-client', '-f', join(dir, 'client_key')]);
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')), { mode: 0o600 });
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PidFile none',
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    'PrintMotd no',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
  ];
  await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  // sshd running as root needs its privilege-separation folder; made here only if missing, and removed again.
  const madePrivsep = process.getuid?.() === 0 && !existsSync(PRIVSEP_DIR);
  if (madePrivsep) await mkdir(PRIVSEP_DIR, { mode: 0o755 });
  const sshd = startTracked(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')]);
  const stop = async () => {
    await sshd.stop();
    if (madePrivsep) await rmdir(PRIVSEP_DIR).catch(() => {});
  };
  const drop = atCleanup(stop);
  try {
    await untilListening(port, sshd);
  } catch (err) {
    drop();
    await stop();
    throw err;
  }
  const stopOnce = () => {
    drop();
    return stop();
  };
  return { port, pid: sshd.child.pid!, stop: stopOnce };
}

/** One scp of `file` to `dest`: wall seconds, and CPU seconds of the client (scp + ssh) and the server (sshd). */
async function scp(sshd: { port: number; pid: number }, dir: string, file: string, dest: string) {
  const args = ['-q', '-c', 'aes128-gcm@openssh.com', '-P', String(sshd.port), '-i', join(dir, 'client_key'), '-F', '/dev/null'];
  for (const o of ['BatchMode=yes', 'StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'LogLevel=ERROR']) args.push('-o', o);
  args.push(file, `${userInfo().username}@127.0.0.1:${dest}`);
  const serverBefore = await serverCpu(sshd.pid);
  const started = performance.now();
  // The shell's own /proc entry, read after scp ended, holds scp's and ssh's CPU in its children's times.
  const stat = await runTracked('sh', ['-c', 'scp "$@" || exit $?; cat /proc/$$/stat', 'sh', ...args]);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, client: cpuFromStat(stat), server: (await serverCpu(sshd.pid)) - serverBefore };
}

/** The scp row, or why it is skipped; `floors` are for aes-128-gcm without hashing. */
export async function scpRow(ctx: RoomContext, floors: RoleFloors): Promise<Row> {
  const row = { id: 'scp', label: 'scp -c aes128-gcm@openssh.com' };
  if (!existsSync(SSHD)) return { ...row, skipped: 'no sshd' };
  const dir = await scratchDir('sshd');
  const sshd = await startSshd(dir).catch((err: Error) => err);
  if (sshd instanceof Error) return { ...row, skipped: `sshd did not start (${sshd.message.split('\n')[0]})` };
  try {
    // A 1-byte copy first: connection, key exchange and login, subtracted from the real one.
    const tiny = join(dir, 'tiny.bin');
    await writeFile(tiny, 'x');
    const setup = await scp(sshd, dir, tiny, join(dir, 'tiny-copy.bin'));
    const dest = join(ctx.dir, 'scp-copy.bin');
    const full = await scp(sshd, dir, ctx.source, dest);
    const got = (await stat(dest)).size;
    await rm(dest, { force: true });
    if (got !== ctx.size) throw new Error(`scp delivered ${got} of ${ctx.size} bytes`);
    return {
      ...row,
      mbps: ctx.size / 1e6 / Math.max(full.seconds - setup.seconds, 0.001),
      processes: [
        processCpu('sender (scp + ssh)', full.client - setup.client, ctx.size, floors.plainSender),
        processCpu('receiver (sshd, internal sftp)', full.server - setup.server, ctx.size, floors.plainReceiver),
      ],
      numbers: { setupMs: setup.seconds * 1000, setupCpuMs: (setup.client + setup.server) * 1000 },
      details: (n) => [
        `a 1-byte scp's ${n.setupMs!.toFixed(0)} ms and ${n.setupCpuMs!.toFixed(0)} CPU-ms (connect, key exchange, login) subtracted; floors: read + encrypt, decrypt + write (aes-128-gcm)`,
      ],
    };
  } finally {
    await sshd.stop();
  }
}
