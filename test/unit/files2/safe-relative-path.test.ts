import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../../src-main/features/files/v2/manifest';
import { safeLayout, safeRelativePath, type SafeLayout } from '../../../src-main/features/files/v2/safe-relative-path';

test('traversal, dot and empty components are dropped, and a backslash separates too', () => {
  assert.deepEqual(safeRelativePath('../../etc/passwd'), ['etc', 'passwd']);
  assert.deepEqual(safeRelativePath('a\\..\\..\\b'), ['a', 'b']);
  assert.deepEqual(safeRelativePath('a/../b'), ['a', 'b']);
  assert.deepEqual(safeRelativePath('./a/./b'), ['a', 'b']);
  assert.deepEqual(safeRelativePath('a//b'), ['a', 'b']);
  assert.deepEqual(safeRelativePath('a/b/'), ['a', 'b']);
  assert.deepEqual(safeRelativePath('Holiday/beach.jpg'), ['Holiday', 'beach.jpg']);
  assert.deepEqual(safeRelativePath('~/x'), ['~', 'x']);
});

test('absolute paths, UNC paths and drive letters are refused, as is a path with nothing usable', () => {
  for (const path of ['/etc/passwd', '\\etc\\passwd', '\\\\server\\share\\x', 'C:\\Windows\\x', 'c:x', 'C:', '/', '']) {
    assert.equal(safeRelativePath(path), undefined, JSON.stringify(path));
  }
  for (const path of ['.', '..', '../..', './/./', ' ', '...', '\u200B', '\u202E/\uFEFF', '. /..']) {
    assert.equal(safeRelativePath(path), undefined, JSON.stringify(path));
  }
});

test('each component goes through safeFileName: device names, invisible and control characters, length', () => {
  assert.deepEqual(safeRelativePath('CON/aux.txt'), ['_CON', '_aux.txt']);
  assert.deepEqual(safeRelativePath('docs/invoice\u202Efdp.exe'), ['docs', 'invoicefdp.exe']);
  assert.deepEqual(safeRelativePath('zero\u200Bwidth/x'), ['zerowidth', 'x']);
  assert.deepEqual(safeRelativePath('\u200B/x'), ['x']);
  assert.deepEqual(safeRelativePath('\uFEFFnotes.txt'), ['notes.txt']);
  assert.deepEqual(safeRelativePath('bell\u0007/new\nline\r.txt'), ['bell', 'newline.txt']);
  assert.deepEqual(safeRelativePath('.hidden/.bashrc'), ['hidden', 'bashrc']);
  assert.deepEqual(safeRelativePath('a/C:/b'), ['a', 'C_', 'b']);
  assert.deepEqual(safeRelativePath('what?/a<b>.txt'), ['what_', 'a_b_.txt']);
  const long = safeRelativePath(`${'é'.repeat(300)}.txt/${'x'.repeat(1000)}`);
  assert.equal(long?.length, 2);
  assert.match(long![0]!, /^é+\.txt$/);
  for (const part of long!) assert.ok(Buffer.byteLength(part) <= 200, `${Buffer.byteLength(part)} bytes`);
});

test('NFD input comes out NFC', () => {
  assert.deepEqual(safeRelativePath('cafe\u0301/re\u0301sume\u0301.txt'), ['caf\u00e9', 'r\u00e9sum\u00e9.txt']);
});

const layout = (paths: string[], folders: string[] = []): SafeLayout =>
  safeLayout({ files: paths.map((path, i) => ({ path, size: i })), folders });
const filePaths = (l: SafeLayout) => l.files.map((f) => f.components.join('/'));

/** Every name safe, no two entries at one place (case-insensitively), no file where a folder is. */
function assertSound(l: SafeLayout, manifest?: Manifest): void {
  const key = (parts: string[]) => parts.join('/').normalize('NFKC').toLowerCase();
  const folders = new Set<string>();
  for (const parts of [...l.folders, ...l.files.map((f) => f.components.slice(0, -1))]) {
    for (let i = 1; i <= parts.length; i++) folders.add(key(parts.slice(0, i)));
  }
  const files = new Set<string>();
  for (const { components } of l.files) {
    assert.ok(components.length > 0);
    const k = key(components);
    assert.ok(!files.has(k), `two files at ${k}`);
    assert.ok(!folders.has(k), `a file where a folder is needed: ${k}`);
    files.add(k);
  }
  for (const parts of [...l.folders, ...l.files.map((f) => f.components)]) {
    for (const part of parts) {
      assert.ok(part !== '' && part !== '.' && part !== '..', JSON.stringify(parts));
      assert.doesNotMatch(part, /[/\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|^[\s.]|[\s.]$/u, JSON.stringify(part));
      assert.doesNotMatch(part, /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i, part);
      assert.ok(Buffer.byteLength(part) <= 255);
    }
  }
  if (manifest) {
    assert.equal(l.files.length, manifest.files.length);
    l.files.forEach((f, i) => assert.equal(f.size, manifest.files[i]!.size));
  }
}

test('case collisions: the later file gets a numbered name', () => {
  const l = layout(['a', 'A', 'photos/IMG.JPG', 'photos/img.jpg', 'photos/Img.jpg']);
  assert.deepEqual(filePaths(l), ['a', 'A (1)', 'photos/IMG.JPG', 'photos/img (1).jpg', 'photos/Img (2).jpg']);
  assertSound(l);
});

test('NFC and NFD forms of one name, and NFKC look-alikes, collide like on macOS', () => {
  const l = layout(['caf\u00e9.txt', 'cafe\u0301.txt', '\uFB01le.txt', 'file.txt']);
  assert.deepEqual(filePaths(l), ['caf\u00e9.txt', 'caf\u00e9 (1).txt', '\uFB01le.txt', 'file (1).txt']);
  assertSound(l);
});

test('folders that compare equal are one folder; the first spelling wins', () => {
  const l = layout(['Caf\u00e9/a.txt', 'cafe\u0301/b.txt', 'CAF\u00c9/a.txt'], ['caf\u00e9/empty']);
  assert.deepEqual(filePaths(l), ['caf\u00e9/a.txt', 'caf\u00e9/b.txt', 'caf\u00e9/a (1).txt']);
  assert.deepEqual(l.folders, [['caf\u00e9', 'empty']]);
  assertSound(l);
});

test('a file never sits where a folder is needed, whichever comes first', () => {
  for (const paths of [
    ['x', 'x/y'],
    ['x/y', 'x'],
    ['X', 'x/y/z'],
  ]) {
    const l = layout(paths);
    assertSound(l);
    const renamed = l.files.find((f) => f.components.length === 1)!;
    assert.deepEqual(renamed.components, [`${paths.find((p) => !p.includes('/'))} (1)`]);
  }
  const withFolder = layout(['empty'], ['Empty']);
  assert.deepEqual(filePaths(withFolder), ['empty (1)']);
  assert.deepEqual(withFolder.folders, [['Empty']]);
});

test('a numbered name that is itself taken moves on to the next number', () => {
  assert.deepEqual(filePaths(layout(['a (1).jpg', 'a.jpg', 'a.jpg', 'a.jpg'])), ['a (1).jpg', 'a.jpg', 'a (2).jpg', 'a (3).jpg']);
  assert.deepEqual(filePaths(layout(['a.jpg', 'a.jpg', 'a (1).jpg'])), ['a.jpg', 'a (1).jpg', 'a (1) (1).jpg']);
  const folderInTheWay = layout(['a.jpg', 'a.jpg'], ['a (1).jpg']);
  assert.deepEqual(filePaths(folderInTheWay), ['a.jpg', 'a (2).jpg']);
});

test('files that cannot be made safe keep a sanitised whole-path name at the top, never dropped', () => {
  const manifest: Manifest = {
    files: ['/etc/passwd', 'C:\\Windows\\x', '', '.', '..', '\u202E', 'ok.txt'].map((path, i) => ({ path, size: i })),
    folders: [],
  };
  const l = safeLayout(manifest);
  assert.deepEqual(filePaths(l), ['_etc_passwd', 'C__Windows_x', 'file', 'file (1)', 'file (2)', 'file (3)', 'ok.txt']);
  assertSound(l, manifest);
});

test('folders: absolute ones are kept under a sanitised name, ones meaning the bundle itself need nothing', () => {
  const l = layout(['a/b.txt'], ['/tmp/evil', '.', '', '..', '/', '\\', 'C:', 'a', 'a/b/c', 'C:\\x', 'CON']);
  assert.deepEqual(l.folders, [['_tmp_evil'], ['C_'], ['a', 'b', 'c'], ['C__x'], ['_CON']]);
  assert.deepEqual(filePaths(l), ['a/b.txt']);
  assertSound(l);
});

test('the hostile list from the brief, all together, comes out sound', () => {
  const paths = [
    '../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\x',
    'a\\..\\..\\b',
    './a/./b',
    'a//b',
    '',
    '.',
    '..',
    'CON/aux.txt',
    'con/AUX.TXT',
    'evil\u202Egpj.exe',
    'zero\u200Bwidth',
    '\uFEFFbom',
    'ctl\u0001\u001f\u007f',
    `${'n'.repeat(255)}/${'m'.repeat(255)}.txt`,
    'a',
    'A',
    'x',
    'x/y',
    'caf\u00e9',
    'cafe\u0301',
  ];
  const manifest: Manifest = { files: paths.map((path, i) => ({ path, size: i * 10 })), folders: ['a/b/empty', '/abs', '..'] };
  const l = safeLayout(manifest);
  assertSound(l, manifest);
  assert.deepEqual(l.files[0]!.components, ['etc', 'passwd']);
  // "a/b" is a folder (a/b/empty), so the three files that make "a/b" are numbered.
  assert.deepEqual(l.files[3]!.components, ['a', 'b (1)']);
  assert.deepEqual(l.files[4]!.components, ['a', 'b (2)']);
  assert.deepEqual(l.files[5]!.components, ['a', 'b (3)']);
  assert.deepEqual(l.files[9]!.components, ['_CON', '_aux.txt']);
  assert.deepEqual(l.files[10]!.components, ['_CON', '_AUX (1).TXT']);
});

test('200 levels deep stays 200 levels deep', () => {
  const deep = `${'d/'.repeat(200)}f.txt`;
  const l = layout([deep]);
  assert.equal(l.files[0]!.components.length, 201);
  assert.deepEqual(l.folders, [Array.from({ length: 200 }, () => 'd')]);
  assertSound(l);
});

test('folders lists the leaves of the folder tree: every folder the files and manifest need, parents implied', () => {
  const l = layout(['A/b/c.txt', 'A/d.txt', 'E/f.txt'], ['A/b', 'A/g/h', 'E']);
  assert.deepEqual(l.folders, [['A', 'b'], ['A', 'g', 'h'], ['E']]);
});

test('100,000 files of one name are numbered without a quadratic search', () => {
  const start = performance.now();
  const l = layout(Array.from({ length: 100_000 }, () => 'same/a.jpg'));
  assert.equal(l.files[99_999]!.components[1], 'a (99999).jpg');
  assert.equal(new Set(l.files.map((f) => f.components[1])).size, 100_000);
  assert.ok(performance.now() - start < 5000, `${performance.now() - start} ms`);
});
