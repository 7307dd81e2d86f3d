#!/usr/bin/env node
// Runs test/**/*.test.ts with Node's own test runner, TypeScript loaded through tsx:
//   node scripts/run-tests.mjs [GROUP] [node --test flags] [files or folders]
// GROUP is one of unit, integration, e2e, lab, static; without one every test runs. Files or
// folders given run instead of the group's list. Flags go to Node's runner as they are
// (--test-name-pattern=invite, --test-only, ...). Node 20 has no glob support in --test, so the
// files are listed here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Lab tests need root and network namespaces: the NAT tests, and any other test that builds a lab. */
const isLab = (file) => file.startsWith('test/integration/nat/') || /\b(labSkipReason|createLab)\b/.test(readFileSync(file, 'utf8'));

const GROUPS = {
  unit: (file) => file.startsWith('test/unit/'),
  integration: (file) => file.startsWith('test/integration/') && !isLab(file),
  e2e: (file) => file.startsWith('test/e2e/'),
  lab: isLab,
  static: (file) => file.startsWith('test/static/'),
};

function findTests(path) {
  if (!statSync(path).isDirectory()) return [path];
  const found = [];
  for (const entry of readdirSync(path)) {
    const full = join(path, entry);
    if (statSync(full).isDirectory()) found.push(...findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const args = process.argv.slice(2);
const group = Object.hasOwn(GROUPS, args[0] ?? '') ? args.shift() : undefined;
const paths = args.filter((arg) => !arg.startsWith('-') && existsSync(arg));
const missing = args.filter((arg) => !arg.startsWith('-') && !existsSync(arg) && /[\\/]|\.ts$/.test(arg));
if (missing.length > 0) {
  console.error(`No such test file or folder: ${missing.join(' ')}`);
  process.exit(1);
}
const flags = args.filter((arg) => !paths.includes(arg));
const files =
  paths.length > 0
    ? paths.flatMap(findTests)
    : findTests('test')
        .sort()
        .filter(GROUPS[group] ?? (() => true));
if (files.length === 0) {
  console.error(`No test files ${paths.length > 0 ? `in ${paths.join(' ')}` : `in the ${group} group`}.`);
  process.exit(1);
}

const defaults = flags.some((flag) => flag.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...defaults, '--test-timeout=180000', ...flags, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
