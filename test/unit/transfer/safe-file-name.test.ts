import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NAME_BYTES, numberedName, safeFileName } from '../../../src-main/features/files/safe-file-name';

test('ordinary names stay as they are', () => {
  for (const name of ['photo.jpg', 'Résumé 2024.pdf', '日本語のファイル.txt', 'archive.tar.gz', 'no extension']) {
    assert.equal(safeFileName(name), name.normalize('NFC'));
  }
});

test('paths, traversal, absolute and UNC paths become one harmless component', () => {
  assert.equal(safeFileName('../../etc/passwd'), '_.._etc_passwd');
  assert.equal(safeFileName('/etc/shadow'), '_etc_shadow');
  assert.equal(safeFileName('C:\\Windows\\evil.dll'), 'C__Windows_evil.dll');
  assert.equal(safeFileName('\\\\server\\share\\x.txt'), '__server_share_x.txt');
  for (const name of ['..', '.', '...', '   ', '\u200B', '\u202E']) assert.equal(safeFileName(name), 'file', JSON.stringify(name));
});

test('Windows device names are marked, with or without extensions', () => {
  assert.equal(safeFileName('CON'), '_CON');
  assert.equal(safeFileName('con.txt'), '_con.txt');
  assert.equal(safeFileName('NUL.tar.gz'), '_NUL.tar.gz');
  assert.equal(safeFileName('lpt1'), '_lpt1');
  assert.equal(safeFileName('console.txt'), 'console.txt');
});

test('invisible, control, bidi-override and zero-width characters are removed', () => {
  assert.equal(safeFileName('invoice\u202Efdp.exe'), 'invoicefdp.exe');
  assert.equal(safeFileName('a\u2066b\u2069c\u200Fd.txt'), 'abcd.txt');
  assert.equal(safeFileName('zero\u200Bwidth\uFEFF.txt'), 'zerowidth.txt');
  assert.equal(safeFileName('bell\u0007\u001b[31m.txt'), 'bell[31m.txt');
  assert.equal(safeFileName('line\u2028break.txt'), 'linebreak.txt');
});

test('hidden-file dots and trailing dots and spaces go', () => {
  assert.equal(safeFileName('.bashrc'), 'bashrc');
  assert.equal(safeFileName('  name.txt. . '), 'name.txt');
});

test('long names are cut to the byte limit without losing the extension or splitting a character', () => {
  const long = safeFileName(`${'x'.repeat(400)}.txt`);
  assert.ok(long.endsWith('.txt'));
  assert.equal(Buffer.byteLength(long), MAX_NAME_BYTES);
  const wide = safeFileName(`${'é'.repeat(300)}.png`);
  assert.ok(wide.endsWith('.png') && Buffer.byteLength(wide) <= MAX_NAME_BYTES);
  assert.ok(!wide.includes('\uFFFD'));
  const emoji = safeFileName('😀'.repeat(100));
  assert.ok(Buffer.byteLength(emoji) <= MAX_NAME_BYTES && [...emoji].every((c) => c === '😀'));
});

test('numbered names put the counter before the extension', () => {
  assert.equal(numberedName('photo.jpg', 1), 'photo (1).jpg');
  assert.equal(numberedName('README', 2), 'README (2)');
});
