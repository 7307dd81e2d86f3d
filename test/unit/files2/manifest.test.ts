import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeManifest, encodeManifest, type Manifest } from '../../../src-main/features/files/v2/manifest';
import { PortholeError } from '../../../src-main/wire/errors';

const holiday: Manifest = {
  files: [
    { path: 'Holiday/beach.jpg', size: 1234 },
    { path: 'Holiday/日本/ノート.txt', size: 0 },
    { path: 'Holiday/x', size: 66 },
  ],
  folders: ['Holiday/empty'],
};

/** decodeManifest of this JSON text must fail with the manifest's error and a sentence mentioning `why`. */
function rejects(json: string | Buffer, expect: { files: number; bytes: number }, why: RegExp): void {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  assert.throws(
    () => decodeManifest(bytes, expect),
    (err: unknown) => {
      assert.ok(err instanceof PortholeError);
      assert.equal(err.code, 'invalid-message');
      assert.match(err.message, /^The sender's list of files could not be used \(.+\), so this offer cannot be saved\.$/);
      assert.match(err.message, why);
      return true;
    },
  );
}

const manifestJson = (files: unknown, folders: unknown = []) => JSON.stringify({ files, folders });

test('a manifest goes through encode and decode unchanged, as the JSON §11 shows', () => {
  const bytes = encodeManifest(holiday);
  assert.equal(
    bytes.toString('utf8'),
    '{"files":[{"path":"Holiday/beach.jpg","size":1234},{"path":"Holiday/日本/ノート.txt","size":0},{"path":"Holiday/x","size":66}],"folders":["Holiday/empty"]}',
  );
  assert.deepEqual(decodeManifest(bytes, { files: 3, bytes: 1300 }), holiday);
});

test('encoding keeps only path and size, whatever else the objects carry', () => {
  const files = [{ path: 'a', size: 1, absPath: '/home/me/a' }];
  assert.equal(encodeManifest({ files, folders: [] }).toString(), '{"files":[{"path":"a","size":1}],"folders":[]}');
});

test('counts and total size must match the offer', () => {
  const bytes = encodeManifest(holiday);
  rejects(bytes, { files: 2, bytes: 1300 }, /lists 3 files where the offer said 2/);
  rejects(bytes, { files: 4, bytes: 1300 }, /lists 3 files where the offer said 4/);
  rejects(bytes, { files: 3, bytes: 1299 }, /do not add up to the offer's 1299 bytes/);
  rejects(bytes, { files: 3, bytes: 1301 }, /do not add up/);
});

test('sizes that would add up past the largest safe integer are refused, not rounded into a match', () => {
  const max = Number.MAX_SAFE_INTEGER;
  rejects(
    manifestJson([
      { path: 'a', size: max },
      { path: 'b', size: 1 },
    ]),
    { files: 2, bytes: max },
    /do not add up/,
  );
  rejects(
    manifestJson([
      { path: 'a', size: max },
      { path: 'b', size: max },
    ]),
    { files: 2, bytes: max },
    /do not add up/,
  );
  rejects(manifestJson([{ path: 'a', size: max + 1 }]), { files: 1, bytes: max + 1 }, /files\.0\.size/);
  assert.equal(decodeManifest(Buffer.from(manifestJson([{ path: 'a', size: max }])), { files: 1, bytes: max }).files[0]?.size, max);
});

test('not JSON, not UTF-8, or the wrong shape is refused', () => {
  const one = { files: 1, bytes: 1 };
  rejects('', one, /not UTF-8 JSON/);
  rejects('{"files":[{"path":"a","size":1}],"folders":[]', one, /not UTF-8 JSON/);
  rejects(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), one, /not UTF-8 JSON/);
  rejects('[]', one, /the list/);
  rejects('null', one, /the list/);
  rejects(manifestJson([{ path: 'a', size: 1 }], undefined).replace(',"folders":[]', ''), one, /folders/);
  rejects('{"files":[{"path":"a","size":1}],"folders":[],"extra":1}', one, /extra/);
  rejects(manifestJson([{ path: 'a', size: 1, mode: 0o777 }]), one, /mode/);
  rejects(manifestJson([{ path: 'a' }]), one, /files\.0\.size/);
  rejects(manifestJson([{ path: 'a', size: -1 }]), one, /files\.0\.size/);
  rejects(manifestJson([{ path: 'a', size: 0.5 }]), one, /files\.0\.size/);
  rejects(manifestJson([{ path: 'a', size: '1' }]), one, /files\.0\.size/);
  rejects(manifestJson([{ path: 7, size: 1 }]), one, /files\.0\.path/);
  rejects(manifestJson([{ path: 'a', size: 1 }], [7]), one, /folders\.0/);
  rejects(manifestJson([]), { files: 0, bytes: 0 }, /files/);
});

test('path limits of §11: 1–4,096 bytes, each part 1–255 bytes, counted in UTF-8', () => {
  const ok = (path: string) => decodeManifest(Buffer.from(manifestJson([{ path, size: 1 }])), { files: 1, bytes: 1 });
  const part255 = `${'é'.repeat(127)}x`; // 255 bytes, 128 characters
  assert.equal(Buffer.byteLength(part255), 255);
  ok(part255);
  const path4096 = Array.from({ length: 17 }, () => 'x'.repeat(240)).join('/'); // 17·240 + 16
  assert.equal(Buffer.byteLength(path4096), 4096);
  ok(path4096);
  const fail = (path: string) =>
    rejects(
      manifestJson([{ path, size: 1 }]),
      { files: 1, bytes: 1 },
      /files\.0\.path: a path must be 1–4096 bytes and each of its parts at most 255 bytes/,
    );
  fail('');
  fail(`${part255}é`);
  fail(`a/${part255}é/b`);
  fail(`${path4096}y`);
  rejects(manifestJson([{ path: 'a', size: 1 }], ['ok', '']), { files: 1, bytes: 1 }, /folders\.1: a path must be/);
  // Empty parts are within the limits: safeLayout drops them (and refuses absolute paths).
  for (const path of ['a//b', '/etc/passwd', 'trailing/', '/']) ok(path);
});

test('at most 100,000 files and 100,000 folders', () => {
  const files = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `f${i}`, size: 0 }));
  const folders = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);
  const full = decodeManifest(Buffer.from(manifestJson(files(100_000), folders(100_000))), { files: 100_000, bytes: 0 });
  assert.equal(full.files.length, 100_000);
  assert.equal(full.folders.length, 100_000);
  rejects(manifestJson(files(100_001)), { files: 100_001, bytes: 0 }, /files/);
  rejects(manifestJson(files(1), folders(100_001)), { files: 1, bytes: 0 }, /folders/);
});

test('a manifest over 16 MiB is refused before it is parsed', () => {
  const big = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
  rejects(big, { files: 1, bytes: 0 }, /larger than 16777216 bytes/);
});

test("hostile paths within the limits decode as they are: making them safe is safeLayout's job", () => {
  const paths = ['../../etc/passwd', 'C:\\Windows\\x', 'a\\..\\..\\b', './a/./b', '..', 'CON/aux.txt', 'x\u202Egpj.exe'];
  const json = manifestJson(paths.map((path) => ({ path, size: 1 })));
  assert.deepEqual(
    decodeManifest(Buffer.from(json), { files: paths.length, bytes: paths.length }).files.map((f) => f.path),
    paths,
  );
});
