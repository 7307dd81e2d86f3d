import { test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { inviteQr, qrPath } from '../../../src-renderer/format/qr-path';

test('each run of dark modules in a row is one rectangle', () => {
  const grid = ['110', '000', '101'];
  const path = qrPath({ size: 3, get: (r, c) => (grid[r]![c] === '1' ? 1 : 0) });
  assert.equal(path, 'M0 0h2v1h-2zM0 2h1v1h-1zM2 2h1v1h-1z');
});

test('the path covers exactly the dark modules of the invite’s QR code', () => {
  const invite =
    'porthole://192.168.1.20:41234,[fd00::5]:41234/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG/s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t';
  const { size, path } = inviteQr(invite);
  const { modules } = QRCode.create(invite, { errorCorrectionLevel: 'M' });
  assert.equal(size, modules.size);
  // Paint the path back onto a grid and compare.
  const painted = new Set<string>();
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g))
    for (let i = 0; i < Number(w); i++) painted.add(`${Number(x) + i},${y}`);
  let dark = 0;
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      if (modules.get(r, c)) dark++;
      assert.equal(painted.has(`${c},${r}`), Boolean(modules.get(r, c)), `module ${r},${c}`);
    }
  assert.equal(painted.size, dark);
});

test('text longer than a QR code holds is refused by the encoder (the window then shows a sentence)', () => {
  assert.throws(() => inviteQr('x'.repeat(5000)));
});
