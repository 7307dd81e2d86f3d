#!/usr/bin/env node
// `npm start`: builds the three bundles and opens the desktop window. Electron fetches its
// program on first use; where that download cannot happen (no internet), this says so in one
// sentence instead of a stack trace, and on a second line why the download failed when that is
// known (unreachable or refused: a proxy; a checksum mismatch; a full disk; no permission).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// Electron's own installer: exits 0 at once when the program is there, else downloads it.
const install = spawnSync(process.execPath, [require.resolve('electron/install.js')], { cwd: root, encoding: 'utf8' });
if (install.status !== 0) {
  console.error(
    "Porthole's window cannot open because Electron's program is not installed and could not be downloaded here (npm start fetches it on a machine with internet access); the terminal version works without it: `npx porthole host`, or `npx porthole join <invite>`.",
  );
  const cause = await downloadCause(install.stderr ?? '');
  if (cause) console.error(cause);
  process.exit(1);
}
const electronPath = require('electron'); // the path of Electron's program

const { build } = await import('vite');
await build({ root, logLevel: 'warn' });
const child = spawn(electronPath, ['.'], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

/** Why Electron's installer failed, in one line for people, from what it printed (its error's stack). */
async function downloadCause(stderr) {
  const error =
    stderr
      .split('\n')
      .find((line) => /\S/.test(line) && !/^\s+at /.test(line))
      ?.trim() ?? '';
  if (/checksum/i.test(error)) {
    return `Cause: the downloaded file did not match Electron's checksum (a proxy or a broken download changed it); try again, or on another network. (${error})`;
  }
  if (/ENOSPC|no space left/i.test(error)) return `Cause: the disk is full; free some space and run npm start again. (${error})`;
  if (/EACCES|EPERM|permission denied/i.test(error)) return `Cause: no permission to write Electron's files. (${error})`;
  if (/HTTPError|status code|\b[45]\d\d\b/.test(error)) return `Cause: the download server refused the file. (${error})`;
  if (/fetch failed|ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket|proxy/i.test(error)) return `Cause: ${await unreachable()}`;
  return error === '' ? undefined : `Cause: ${error}`;
}

/** The installer prints only "fetch failed": ask the same server once more, to name the network error. */
async function unreachable() {
  const where = process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/';
  const host = URL.canParse(where) ? new URL(where).host : where;
  const proxySet = Boolean(process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy);
  const proxyHint =
    proxySet && !process.env.ELECTRON_GET_USE_PROXY
      ? ' A proxy is set: Electron uses it only with ELECTRON_GET_USE_PROXY=1.'
      : proxySet
        ? ''
        : ' Behind a proxy, set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1.';
  try {
    await fetch(where, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return `the download from ${host} failed part way; try again.${proxyHint}`;
  } catch (err) {
    const code = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? 'unknown';
    return `${host} could not be reached (${code}).${proxyHint}`;
  }
}
