import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../fixtures/built-app';

test('npm start without Electron’s program says so in one sentence, with no stack trace', (t) => {
  if (existsSync(join(REPO, 'node_modules', 'electron', 'path.txt'))) return t.skip('Electron’s program is installed on this machine');
  // Electron's installer would fetch from GitHub; point it at a closed loopback port instead.
  const run = spawnSync(process.execPath, [join(REPO, 'scripts', 'start.mjs')], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
    timeout: 60_000,
  });
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${run.stderr}`);
  assert.match(lines[0]!, /^Porthole's window cannot open because Electron's program is not installed.*porthole host.*porthole join/);
  assert.doesNotMatch(run.stderr, /\n\s+at |Error:/);
});
