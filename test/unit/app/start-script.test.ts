import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO } from '../../fixtures/built-app';

const installed = () => existsSync(join(REPO, 'node_modules', 'electron', 'path.txt'));

/** Runs `npm start`'s script with Electron's downloads pointed at `mirror`. */
function start(mirror: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(REPO, 'scripts', 'start.mjs')], {
    cwd: REPO,
    env: { ...process.env, ELECTRON_MIRROR: mirror, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' },
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** The sentence, then the cause; never a stack trace. */
function assertSaid(run: { status: number | null; stdout: string; stderr: string }, cause: RegExp) {
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 2, `the sentence and its cause, got:\n${run.stderr}`);
  assert.match(lines[0]!, /^Porthole's window cannot open because Electron's program is not installed.*porthole host.*porthole join/);
  assert.match(lines[1]!, cause);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('npm start without Electron’s program: one sentence, then why (nothing listens: unreachable, with the proxy advice)', async (t) => {
  if (installed()) return t.skip('Electron’s program is installed on this machine');
  // A loopback port that was just free: the download is refused at once.
  const probe = createServer();
  const port = await listening(probe);
  await new Promise((resolve) => probe.close(resolve));
  assertSaid(
    await start(`http://127.0.0.1:${port}/`),
    /^Cause: 127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)\. Behind a proxy, set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1\.$/,
  );
});

test('npm start when the download does not match Electron’s checksum says so', async (t) => {
  if (installed()) return t.skip('Electron’s program is installed on this machine');
  // A server that answers every file with the same wrong bytes, as a meddling proxy might.
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/zip' }).end('not electron'));
  const port = await listening(server);
  t.after(() => new Promise((resolve) => server.close(resolve)));
  assertSaid(await start(`http://127.0.0.1:${port}/`), /^Cause: the downloaded file did not match Electron's checksum/);
});
