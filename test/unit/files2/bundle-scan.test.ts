import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanBundle } from '../../../src-main/features/files/v2/bundle-scan';
import { decodeManifest, encodeManifest } from '../../../src-main/features/files/v2/manifest';
import { PortholeError } from '../../../src-main/wire/errors';

let dir: string;
before(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'porthole-scan-')));
  // Holiday/
  //   beach.jpg  empty/  fifo  link-dir -> sub  link-file -> beach.jpg  only-links/{out -> /etc}  sub/{b.txt, deeper/c.txt}
  const holiday = join(dir, 'Holiday');
  mkdirSync(join(holiday, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(holiday, 'empty'));
  mkdirSync(join(holiday, 'only-links'));
  writeFileSync(join(holiday, 'beach.jpg'), 'sand');
  writeFileSync(join(holiday, 'sub', 'b.txt'), 'bb');
  writeFileSync(join(holiday, 'sub', 'deeper', 'c.txt'), '');
  symlinkSync('beach.jpg', join(holiday, 'link-file'));
  symlinkSync('sub', join(holiday, 'link-dir'));
  symlinkSync('/etc', join(holiday, 'only-links', 'out'));
  execFileSync('mkfifo', [join(holiday, 'fifo')]);
  // Named files of one base name, a second "Holiday", a file and a link to it.
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  mkdirSync(join(dir, 'c', 'Holiday'), { recursive: true });
  writeFileSync(join(dir, 'a', 'photo.jpg'), 'one');
  writeFileSync(join(dir, 'b', 'photo.jpg'), 'three');
  writeFileSync(join(dir, 'b', 'Photo.JPG'), 'upper');
  writeFileSync(join(dir, 'c', 'Holiday', 'note.txt'), 'n');
  writeFileSync(join(dir, 'single.bin'), Buffer.alloc(1000, 1));
  symlinkSync(join(dir, 'single.bin'), join(dir, 'named-link'));
  mkdirSync(join(dir, 'nothing', 'inside'), { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a folder: its files relative to it in name order, empty folders listed, links and a FIFO skipped', async () => {
  const bundle = await scanBundle([join(dir, 'Holiday')]);
  assert.equal(bundle.name, 'Holiday');
  assert.equal(bundle.single, false);
  assert.deepEqual(bundle.manifest, {
    files: [
      { path: 'beach.jpg', size: 4 },
      { path: 'sub/b.txt', size: 2 },
      { path: 'sub/deeper/c.txt', size: 0 },
    ],
    // only-links has nothing to send inside; it is created all the same. The recipient saves it all under "Holiday".
    folders: ['empty', 'only-links'],
  });
  assert.equal(bundle.skippedLinks, 3);
  assert.deepEqual(
    bundle.sources.map((s) => s.absPath),
    [join(dir, 'Holiday', 'beach.jpg'), join(dir, 'Holiday', 'sub', 'b.txt'), join(dir, 'Holiday', 'sub', 'deeper', 'c.txt')],
  );
  for (const [i, source] of bundle.sources.entries()) {
    const stats = statSync(source.absPath);
    assert.equal(source.size, bundle.manifest.files[i]!.size);
    assert.equal(source.size, stats.size);
    assert.equal(source.mtimeMs, stats.mtimeMs);
  }
  // What the sender makes, the receiver accepts.
  const bytes = encodeManifest(bundle.manifest);
  assert.deepEqual(decodeManifest(bytes, { files: 3, bytes: 6 }), bundle.manifest);
});

test('scanning the same unchanged files again gives the same manifest', async () => {
  const paths = [join(dir, 'Holiday'), join(dir, 'a', 'photo.jpg')];
  assert.deepEqual(await scanBundle(paths), await scanBundle(paths));
});

test('one named file is sent as itself (single), a link named by the person is followed', async () => {
  const single = await scanBundle([join(dir, 'single.bin')]);
  assert.equal(single.single, true);
  assert.equal(single.name, 'single.bin');
  assert.deepEqual(single.manifest, { files: [{ path: 'single.bin', size: 1000 }], folders: [] });
  assert.equal(single.sources[0]!.absPath, join(dir, 'single.bin'));
  assert.equal(single.sources[0]!.mtimeMs, statSync(join(dir, 'single.bin')).mtimeMs);

  const viaLink = await scanBundle([join(dir, 'named-link')]);
  assert.equal(viaLink.single, true);
  assert.equal(viaLink.name, 'named-link');
  assert.equal(viaLink.sources[0]!.absPath, join(dir, 'single.bin'));
  assert.equal(viaLink.skippedLinks, 0);
});

test('several named paths: one bundle, repeated names numbered (case-insensitively), "<first> and N more"', async () => {
  const bundle = await scanBundle([
    join(dir, 'a', 'photo.jpg'),
    join(dir, 'b', 'photo.jpg'),
    join(dir, 'b', 'Photo.JPG'),
    join(dir, 'c', 'Holiday'),
    join(dir, 'Holiday', 'sub'),
    join(dir, 'Holiday'),
  ]);
  assert.equal(bundle.single, false);
  assert.equal(bundle.name, 'photo.jpg and 5 more');
  assert.deepEqual(
    bundle.manifest.files.map((f) => f.path),
    [
      'photo.jpg',
      'photo (1).jpg',
      'Photo (2).JPG',
      'Holiday/note.txt',
      'sub/b.txt',
      'sub/deeper/c.txt',
      'Holiday (1)/beach.jpg',
      'Holiday (1)/sub/b.txt',
      'Holiday (1)/sub/deeper/c.txt',
    ],
  );
  assert.deepEqual(bundle.manifest.folders, ['Holiday (1)/empty', 'Holiday (1)/only-links']);
  assert.deepEqual(
    bundle.sources.slice(0, 4).map((s) => s.absPath),
    [join(dir, 'a', 'photo.jpg'), join(dir, 'b', 'photo.jpg'), join(dir, 'b', 'Photo.JPG'), join(dir, 'c', 'Holiday', 'note.txt')],
  );
  assert.deepEqual(
    bundle.manifest.files.slice(0, 3).map((f) => f.size),
    [3, 5, 5],
  );
  assert.equal(bundle.skippedLinks, 3);
});

test('two named files are a bundle, not single', async () => {
  const bundle = await scanBundle([join(dir, 'single.bin'), join(dir, 'a', 'photo.jpg')]);
  assert.equal(bundle.single, false);
  assert.equal(bundle.name, 'single.bin and 1 more');
  assert.deepEqual(bundle.manifest, {
    files: [
      { path: 'single.bin', size: 1000 },
      { path: 'photo.jpg', size: 3 },
    ],
    folders: [],
  });
});

/** Rejects with file-unreadable and a message matching `message`. */
async function refuses(paths: string[], message: RegExp): Promise<void> {
  await assert.rejects(scanBundle(paths), (err: unknown) => {
    assert.ok(err instanceof PortholeError);
    assert.equal(err.code, 'file-unreadable');
    assert.match(err.message, message);
    return true;
  });
}

test('a missing path is named in the error', async () => {
  const missing = join(dir, 'no-such-thing.txt');
  await refuses([join(dir, 'single.bin'), missing], new RegExp(`^Cannot send "${missing}": it does not exist\\.$`));
  await refuses(['relative-missing'], /^Cannot send "relative-missing": it does not exist\.$/);
});

test('a named FIFO, folders with no file at all, and no paths are refused with a sentence', async () => {
  await refuses([join(dir, 'Holiday', 'fifo')], /"[^"]*fifo" is neither a file nor a folder/);
  await refuses([join(dir, 'nothing')], /There is no file to send in "[^"]*nothing" \(empty folders alone cannot be sent\)\./);
  await refuses([], /Name at least one file or folder/);
});

/**
 * What scanBundle says about `path`, scanned by a user that is not root (root reads everything,
 * so as root the scan runs in a child process as `nobody`).
 */
async function refusalAsUser(path: string): Promise<string> {
  if (process.getuid?.() !== 0) {
    return scanBundle([path]).then(
      () => 'no refusal',
      (err: Error) => err.message,
    );
  }
  const script = `import { scanBundle } from ${JSON.stringify(new URL('../../../src-main/features/files/v2/bundle-scan.ts', import.meta.url).pathname)};
scanBundle([process.argv[1]]).then(() => console.log('no refusal'), (err) => console.log(err.message));`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path], {
    uid: 65534,
    gid: 65534,
    cwd: new URL('../../..', import.meta.url).pathname, // where tsx is found
    env: { ...process.env, HOME: tmpdir() },
  })
    .toString()
    .trim();
}

test('an unreadable folder inside is named, not silently left out', async () => {
  const locked = join(dir, 'locked-parent');
  mkdirSync(join(locked, 'secret'), { recursive: true });
  writeFileSync(join(locked, 'ok.txt'), 'ok');
  chmodSync(dir, 0o755); // the other user may look in, but not into secret
  execFileSync('chmod', ['000', join(locked, 'secret')]);
  try {
    assert.match(await refusalAsUser(locked), /^Cannot send "[^"]*locked-parent\/secret": Porthole is not allowed to read it\.$/);
  } finally {
    execFileSync('chmod', ['755', join(locked, 'secret')]);
  }
});

test('more than 100,000 files is refused with the zip advice', async () => {
  const many = join(dir, 'many');
  mkdirSync(many);
  // Hard links: one system call each, the quickest way to 100,001 directory entries (a new
  // original every 50,000, as ext4 allows 65,000 links to one file).
  for (let i = 0; i <= 100_000; i++) {
    if (i % 50_000 === 0) writeFileSync(join(many, `f${i}`), '');
    else linkSync(join(many, `f${i - (i % 50_000)}`), join(many, `f${i}`));
  }
  await refuses([many], /^That is more than 100,000 files; send a zip of it instead\.$/);
  // (Exactly 100,000 passing is left out: another scan of them takes seconds on a slow disk.)
});
