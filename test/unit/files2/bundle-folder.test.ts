import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createBundleRoot, placeFile, placeFolder } from '../../../src-main/features/files/v2/bundle-folder';
import { decodeManifest, encodeManifest, type Manifest } from '../../../src-main/features/files/v2/manifest';
import { safeLayout } from '../../../src-main/features/files/v2/safe-relative-path';

let base: string;
/** The download folder (real path). */
let downloads: string;
/** A folder next to it that nothing may ever be written to. */
let outside: string;
let dataCount = 0;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'porthole-bundle-')));
  downloads = join(base, 'downloads');
  outside = join(base, 'outside');
  mkdirSync(join(downloads, '.porthole-partial'), { recursive: true });
  mkdirSync(outside);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A finished data file in the download folder's hidden partial store, as the receiver leaves it. */
function dataFile(content: string): string {
  const path = join(downloads, '.porthole-partial', `data-${dataCount++}`);
  writeFileSync(path, content);
  return path;
}

const assertOutsideEmpty = () => assert.deepEqual(readdirSync(outside), []);

test('createBundleRoot makes a fresh folder each time: "Holiday", "Holiday (1)", past a file of the next name', async () => {
  const first = await createBundleRoot(downloads, 'Holiday');
  assert.equal(first, join(downloads, 'Holiday'));
  writeFileSync(join(first, 'kept.txt'), 'mine');
  assert.equal(await createBundleRoot(downloads, 'Holiday'), join(downloads, 'Holiday (1)'));
  writeFileSync(join(downloads, 'Holiday (2)'), 'a file, not a folder');
  assert.equal(await createBundleRoot(downloads, 'Holiday'), join(downloads, 'Holiday (3)'));
  assert.equal(readFileSync(join(first, 'kept.txt'), 'utf8'), 'mine');
  assert.equal(readFileSync(join(downloads, 'Holiday (2)'), 'utf8'), 'a file, not a folder');
  assert.equal(await createBundleRoot(downloads, 'Photos.2024'), join(downloads, 'Photos.2024'));
  assert.equal(await createBundleRoot(downloads, 'Photos.2024'), join(downloads, 'Photos.2024 (1)'));
});

test('createBundleRoot makes the offered name safe and never follows a planted link', async () => {
  assert.equal(await createBundleRoot(downloads, '../../outside'), join(downloads, '_.._outside'));
  assert.equal(await createBundleRoot(downloads, '/etc'), join(downloads, '_etc'));
  assert.equal(await createBundleRoot(downloads, 'CON'), join(downloads, '_CON'));
  assert.equal(await createBundleRoot(downloads, 'evil\u202Egpj.exe'), join(downloads, 'evilgpj.exe'));
  assert.equal(await createBundleRoot(downloads, '..'), join(downloads, 'file'));
  // A link with the bundle's name leading out: taken, so the next name is used, and nothing goes out.
  symlinkSync(outside, join(downloads, 'Trap'));
  const root = await createBundleRoot(downloads, 'Trap');
  assert.equal(root, join(downloads, 'Trap (1)'));
  await placeFile(root, ['x.txt'], dataFile('x'));
  assertOutsideEmpty();
});

test('createBundleRoot refuses a download folder that is not a real path', async () => {
  symlinkSync(downloads, join(base, 'link-to-downloads'));
  await assert.rejects(createBundleRoot(join(base, 'link-to-downloads'), 'Holiday'), /Refusing to write outside/);
});

test('placeFolder makes every level, again without harm; 200 levels deep works', async () => {
  const root = await createBundleRoot(downloads, 'B');
  await placeFolder(root, ['a', 'b', 'c']);
  await placeFolder(root, ['a', 'b', 'c']);
  await placeFolder(root, ['a', 'd']);
  assert.ok(lstatSync(join(root, 'a', 'b', 'c')).isDirectory());
  assert.ok(lstatSync(join(root, 'a', 'd')).isDirectory());
  const deep = Array.from({ length: 200 }, (_, i) => `level${i}`);
  await placeFolder(root, deep);
  assert.ok(lstatSync(join(root, ...deep)).isDirectory());
  const file = await placeFile(root, [...deep, 'bottom.txt'], dataFile('deep'));
  assert.equal(file, join(root, ...deep, 'bottom.txt'));
  assert.equal(readFileSync(file, 'utf8'), 'deep');
});

test('a symlink planted inside the bundle and pointing outside is never followed', async () => {
  const root = await createBundleRoot(downloads, 'B');
  symlinkSync(outside, join(root, 'evil'));
  await assert.rejects(placeFolder(root, ['evil']), /Refusing to write outside the received folder/);
  await assert.rejects(placeFolder(root, ['evil', 'sub']), /Refusing to write outside the received folder/);
  const data = dataFile('secret');
  await assert.rejects(placeFile(root, ['evil', 'passwd'], data), /Refusing to write outside the received folder/);
  assertOutsideEmpty();
  // The data stays where it was, for the caller to deal with.
  assert.equal(readFileSync(data, 'utf8'), 'secret');

  // Deeper down, and a link to a folder inside the bundle (no way out, but not ours to follow either).
  await placeFolder(root, ['a']);
  symlinkSync(outside, join(root, 'a', 'b'));
  await assert.rejects(placeFile(root, ['a', 'b', 'c', 'd.txt'], data), /Refusing to write outside/);
  symlinkSync(join(root, 'a'), join(root, 'sibling'));
  await assert.rejects(placeFolder(root, ['sibling', 'x']), /Refusing to write outside/);
  assert.deepEqual(readdirSync(join(root, 'a')), ['b']);
  assertOutsideEmpty();
});

test("a link planted at a file's own name is not written through: the file gets a numbered name", async () => {
  const root = await createBundleRoot(downloads, 'B');
  symlinkSync(join(outside, 'stolen.txt'), join(root, 'f.txt'));
  const placed = await placeFile(root, ['f.txt'], dataFile('data'));
  assert.equal(placed, join(root, 'f (1).txt'));
  assert.equal(readFileSync(placed, 'utf8'), 'data');
  assert.ok(lstatSync(join(root, 'f.txt')).isSymbolicLink());
  assertOutsideEmpty();
});

test('existing names are never overwritten: files and folders in the way give numbered names', async () => {
  const root = await createBundleRoot(downloads, 'B');
  writeFileSync(join(root, 'a.txt'), 'old');
  mkdirSync(join(root, 'dir.txt'));
  const first = await placeFile(root, ['a.txt'], dataFile('new 1'));
  const second = await placeFile(root, ['a.txt'], dataFile('new 2'));
  const third = await placeFile(root, ['dir.txt'], dataFile('new 3'));
  assert.deepEqual([first, second, third], [join(root, 'a (1).txt'), join(root, 'a (2).txt'), join(root, 'dir (1).txt')]);
  assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'old');
  assert.equal(readFileSync(first, 'utf8'), 'new 1');
  assert.equal(readFileSync(second, 'utf8'), 'new 2');
  assert.equal(readFileSync(third, 'utf8'), 'new 3');
  assert.deepEqual(readdirSync(join(downloads, '.porthole-partial')), [], 'the data files were moved, not copied');
});

test('a file where a folder is needed is left alone and the folder refused', async () => {
  const root = await createBundleRoot(downloads, 'B');
  writeFileSync(join(root, 'x'), 'a file');
  await assert.rejects(placeFolder(root, ['x', 'y']), /a file of that name is in the way/);
  await assert.rejects(placeFile(root, ['x', 'y'], dataFile('d')), /a file of that name is in the way/);
  assert.equal(readFileSync(join(root, 'x'), 'utf8'), 'a file');
});

test("components that could climb out are refused (safeLayout never makes them; this guards a caller's mistake)", async () => {
  const root = await createBundleRoot(downloads, 'B');
  for (const components of [['..'], ['.'], [''], ['a/../../outside'], ['..\\x'], ['a', '..', '..', 'outside']]) {
    await assert.rejects(placeFolder(root, components), /is not a safe name/, JSON.stringify(components));
    await assert.rejects(placeFile(root, [...components, 'f'], dataFile('d')), /is not a safe name/);
  }
  await assert.rejects(placeFile(root, ['..'], dataFile('d')), /is not a safe name/);
  await assert.rejects(placeFile(root, [], dataFile('d')), /needs a name/);
  assertOutsideEmpty();
  assert.deepEqual(readdirSync(root), []);
});

/** Every path below `dir`, relative, folders with a trailing '/'. */
function tree(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) found.push(`${rel}/`, ...tree(join(dir, entry.name), `${rel}/`));
    else found.push(rel);
  }
  return found;
}

test('a hostile manifest, decoded, laid out and placed, lands wholly inside one new folder', async () => {
  const paths = [
    '../../outside/passwd',
    'C:\\Windows\\x',
    'a\\..\\..\\b',
    './a/./b',
    'a//b',
    '..',
    'CON/aux.txt',
    'x',
    'x/y',
    'A',
    'caf\u00e9.txt',
    'cafe\u0301.txt',
    'inv\u202Egpj.exe',
    'zero\u200Bwidth\uFEFF.txt',
  ];
  const manifest: Manifest = { files: paths.map((path, i) => ({ path, size: i })), folders: ['empty', 'a/b/c', '/outside'] };
  const received = decodeManifest(encodeManifest(manifest), { files: paths.length, bytes: (paths.length * (paths.length - 1)) / 2 });
  const layout = safeLayout(received);
  const root = await createBundleRoot(downloads, '../outside');
  for (const folder of layout.folders) await placeFolder(root, folder);
  const placed: string[] = [];
  for (const [i, file] of layout.files.entries()) {
    placed.push(await placeFile(root, file.components, dataFile(`file ${i}`)));
  }
  for (const [i, path] of placed.entries()) {
    assert.ok(!relative(root, path).startsWith('..'), path);
    assert.equal(readFileSync(path, 'utf8'), `file ${i}`);
    assert.equal(path, join(root, ...layout.files[i]!.components), 'layout names were free, so no renaming on disk');
  }
  assertOutsideEmpty();
  assert.deepEqual(readdirSync(downloads).sort(), ['.porthole-partial', '_outside']);
  // "a" and "x" are folders, so the files "A" and "x" are numbered; three files make "a/b", a folder.
  assert.deepEqual(tree(root), [
    'A (1)',
    'C__Windows_x',
    '_CON/',
    '_CON/_aux.txt',
    '_outside/',
    'a/',
    'a/b/',
    'a/b/c/',
    'a/b (1)',
    'a/b (2)',
    'a/b (3)',
    'caf\u00e9 (1).txt',
    'caf\u00e9.txt',
    'empty/',
    'file',
    'invgpj.exe',
    'outside/',
    'outside/passwd',
    'x/',
    'x/y',
    'x (1)',
    'zerowidth.txt',
  ]);
});
