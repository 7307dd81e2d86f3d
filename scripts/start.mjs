#!/usr/bin/env node
// `npm start`: builds the three bundles and opens the desktop window. Electron fetches its
// program on first use; where that download cannot happen (no internet), this says so in one
// sentence instead of a stack trace.
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
  process.exit(1);
}
const electronPath = require('electron'); // the path of Electron's program

const { build } = await import('vite');
await build({ root, logLevel: 'warn' });
const child = spawn(electronPath, ['.'], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
