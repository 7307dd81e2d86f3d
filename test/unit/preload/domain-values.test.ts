// The modules the window loads at run time from beside the contract stay plain TypeScript: no
// Node, zod or electron, so the renderer and the sandboxed preload can import them. The contract
// itself (the call table) is loaded by the preload, so it is held to the same rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { CALL_NAMES, CALLS, EVENT_NAMES } from '../../../src-preload/contract';
import { FINAL_STATES, isFinalState, PORT_RANGE, UPLOAD_CHUNK_BYTES } from '../../../src-preload/domain-values';
import { FINAL_STATES as TRANSFER_FINAL_STATES } from '../../../src-main/features/files/transfer-events';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const at = (path: string) => join(ROOT, path);

/** Every module a bundle of `entry` holds, relative to the repo, and what it leaves external. */
async function bundled(entry: string): Promise<{ modules: string[]; external: string[] }> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: at(entry), formats: ['es'], fileName: 'bundle' } },
  });
  const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
  return {
    modules: chunks.flatMap((c) => c.moduleIds).map((id) => relative(ROOT, id)),
    external: chunks.flatMap((c) => [...c.imports, ...c.dynamicImports]),
  };
}

for (const entry of ['src-preload/domain-values.ts', 'src-preload/contract.ts']) {
  test(`${entry} loads only our own plain TypeScript at run time`, async () => {
    const { modules, external } = await bundled(entry);
    assert.deepEqual(external, []);
    assert.ok(modules.includes(entry), modules.join(', '));
    for (const id of modules) assert.match(id, /^src-(preload|main)\/[\w/-]+\.ts$/, `${entry} pulls in ${id}`);
  });
}

test('the check sees zod where it is', async () => {
  const { modules } = await bundled('src-main/wire/protocol.ts');
  assert.ok(modules.some((id) => id.includes('node_modules/zod')));
});

test('the shared values are the main side’s own, not copies', () => {
  assert.equal(FINAL_STATES, TRANSFER_FINAL_STATES);
  assert.deepEqual([...FINAL_STATES].sort(), ['cancelled', 'declined', 'done', 'failed']);
  assert.equal(isFinalState('done'), true);
  assert.equal(isFinalState('sending'), false);
  assert.equal(UPLOAD_CHUNK_BYTES, 1024 * 1024);
  assert.deepEqual(PORT_RANGE, { min: 1, max: 65535 });
});

test('each call names its own method, and no call or event name repeats', () => {
  const methods = CALL_NAMES.map((name) => CALLS[name].method).filter((m) => m !== null);
  assert.equal(new Set(methods).size, methods.length);
  for (const own of ['offerFiles', 'chooseFiles', 'chooseFolder', 'on']) assert.equal(methods.includes(own as never), false, own);
  assert.equal(new Set([...CALL_NAMES, ...EVENT_NAMES]).size, CALL_NAMES.length + EVENT_NAMES.length);
});

/** Every .ts/.tsx file under a folder. */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(at(dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name)).map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

test('the renderer takes only types from the contract, and values only from domain-values', async () => {
  const valueImport = /^import\s+(?!type\b)[^'"]*from\s+'([^']+)'/gm;
  for (const file of await sources('src-renderer')) {
    const text = await readFile(at(file), 'utf8');
    for (const [, from] of text.matchAll(valueImport)) {
      if (!from!.startsWith('.')) continue; // packages: react, react-virtuoso
      const target = relative(ROOT, join(at(file), '..', from!));
      assert.ok(target.startsWith('src-renderer/') || target === 'src-preload/domain-values', `${file} imports values from ${target}`);
    }
  }
});
