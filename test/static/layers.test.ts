// The layer rules of .dependency-cruiser.cjs really fail: run over test/fixtures/layers, a tiny copy
// of the app's layout with known-bad imports, every rule reports exactly the bad imports made for
// it. A rule that stopped firing (a mistyped path, dependency-cruiser no longer reading TypeScript)
// fails here instead of passing `npm run check:layers` in silence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/layers/', import.meta.url));
const configFile = `${root}.dependency-cruiser.cjs`;
const ruleNames = (createRequire(import.meta.url)(configFile) as { forbidden: { name: string }[] }).forbidden.map((rule) => rule.name);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the repo's check, with the repo's rules, over the fixture tree. */
function checkFixture(outputType: 'json' | 'err-long'): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(
    process.execPath,
    [`${root}scripts/depcruise.mjs`, '--config', configFile, '-T', outputType, 'src-main', 'src-preload', 'src-renderer'],
    { cwd: fixture, encoding: 'utf8' },
  );
}

let fixtureViolations: Violation[] | undefined;
/** The fixture's violations, as the JSON report lists them (cruised once). */
function violationsOfFixture(): Violation[] {
  if (!fixtureViolations) {
    const run = checkFixture('json');
    assert.equal(run.stderr, '');
    fixtureViolations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  }
  return fixtureViolations;
}

/** A package's files as the package's name (electron resolves to ../../../node_modules/electron/…). */
const packageName = (path: string): string => path.match(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? path;

test('every layer rule reports exactly the bad imports of the fixture', () => {
  const found = violationsOfFixture()
    .map((v) => `${v.rule.name}: ${v.from} → ${packageName(v.to)}`)
    .sort();
  assert.deepEqual(found, [
    'electron-only-in-app: src-main/core/uses-electron.ts → electron',
    'electron-only-in-app: src-renderer/reaches-out.ts → electron',
    'feature-imports-wire-and-room-interface: src-main/features/chat/chat-hub.ts → src-main/features/files/files-spec.ts',
    'feature-imports-wire-and-room-interface: src-main/features/chat/chat-hub.ts → src-main/room/history.ts',
    'feature-imports-wire-and-room-interface: src-main/features/chat/chat-hub.ts → src-main/session/settings.ts',
    'imports-resolve: src-main/core/missing.ts → ./not-there',
    'link-imports-only-wire: src-main/link/peer.ts → src-main/room/history.ts',
    'main-not-window: src-main/core/knows-window.ts → src-preload/preload.ts',
    'main-not-window: src-main/core/knows-window.ts → src-renderer/view.ts',
    'no-cycles-in-main: src-main/core/cycle-a.ts → src-main/core/cycle-b.ts',
    'renderer-imports-renderer-and-contract: src-renderer/reaches-out.ts → src-main/core/cycle-a.ts',
    'renderer-imports-renderer-and-contract: src-renderer/reaches-out.ts → src-preload/api.ts',
    'renderer-no-node: src-renderer/reaches-out.ts → fs',
    'room-imports-no-feature: src-main/room/hosted-room.ts → src-main/features/chat/chat-words.ts',
    'wire-imports-only-wire: src-main/wire/limits.ts → src-main/link/gate.ts',
  ]);
});

test('every rule in .dependency-cruiser.cjs has a bad import in the fixture', () => {
  const fired = new Set(violationsOfFixture().map((v) => v.rule.name));
  assert.deepEqual(
    ruleNames.filter((name) => !fired.has(name)),
    [],
  );
});

test('a violation fails the check with the rule, the import and the reason', () => {
  const run = checkFixture('err-long');
  assert.equal(run.status, 15, 'the check exits with the number of errors');
  assert.match(run.stdout, /error electron-only-in-app: src-main\/core\/uses-electron\.ts → \S*node_modules\/electron\//);
  assert.match(run.stdout, /Only src-main\/app\/ imports electron/);
  assert.match(run.stdout, /x 15 dependency violations \(15 errors, 0 warnings\)/);
});
