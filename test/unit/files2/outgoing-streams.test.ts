import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DATA_BYTES } from '../../../src-main/features/files/v2/files2-frames';
import type { Files2Offer } from '../../../src-main/features/files/v2/files2-messages';
import { encodeManifest } from '../../../src-main/features/files/v2/manifest';
import { OutgoingOffers } from '../../../src-main/features/files/v2/outgoing/outgoing-offers';
import type { TransferView } from '../../../src-main/features/files/transfer-events';
import { type Decoded, decode, recordingLink, settle, sha256, until } from './outgoing-recording-link';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-out-'));
});
after(() => rm(root, { recursive: true, force: true }));

async function fileOf(name: string, size: number): Promise<string> {
  const path = join(root, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, randomBytes(size));
  return path;
}

/** A sending side on a recording link, and a way to play the host's part. */
function sender() {
  const rec = recordingLink();
  const updates: TransferView[] = [];
  const offers = new OutgoingOffers({}, { changed: (v) => updates.push(v) });
  offers.attach(rec.link);
  let nextNumber = 7;
  /** Offers `paths` and numbers the offer as the host would. */
  async function offer(paths: string[], to?: string[]): Promise<{ id: string; number: number; message: Files2Offer }> {
    const before = rec.of('files-offer').length;
    const id = offers.offer(paths, to ? { to } : {});
    await until(() => rec.of('files-offer').length > before, 'the files-offer');
    const message = rec.of<Files2Offer>('files-offer').at(-1)!;
    const number = nextNumber++;
    offers.offered({ ...message, type: 'files-offered', offer: number, from: 'me', at: Date.now() });
    return { id: await id, number, message };
  }
  return { rec, offers, updates, offer };
}

/** The data frames in order, checked to follow each other from `from`; and the bytes they carry. */
function dataOf(frames: Decoded[], from: number): Buffer {
  const data = frames.filter((f) => f.kind === 'data');
  let at = from;
  for (const f of data) {
    assert.equal(f.position, at, 'each data frame starts where the last ended');
    assert.ok(f.payload.length >= 1 && f.payload.length <= DATA_BYTES, 'a data frame holds 1–262,144 bytes');
    at += f.payload.length;
  }
  return Buffer.concat(data.map((f) => f.payload));
}

/** Each checksum frame comes right after the data frame holding its file's last byte (for an empty file: the byte before it). */
function checkSumPlaces(frames: Decoded[], ends: Map<number, number>, from: number): void {
  let sentUpTo = from;
  let lastStart = from;
  for (const f of frames) {
    if (f.kind === 'data') {
      lastStart = f.position;
      sentUpTo = f.position + f.payload.length;
      continue;
    }
    const end = ends.get(f.position)!;
    assert.ok(sentUpTo >= end, `checksum ${f.position} after its last byte`);
    assert.ok(end === from || lastStart < end || sentUpTo === from, `checksum ${f.position} right after the frame that ended it`);
  }
}

test('a single file: data frames in order up to 256 KiB, then its SHA-256 as checksum 1', async () => {
  for (const size of [1, DATA_BYTES - 1, DATA_BYTES, DATA_BYTES + 1, 3 * DATA_BYTES + 7]) {
    const path = await fileOf(`single-${size}.bin`, size);
    const { rec, offers, offer } = sender();
    const { id, number, message } = await offer([path]);
    assert.equal(id, String(number));
    assert.equal(message.manifest, 0);
    assert.equal(message.files, 1);
    assert.equal(message.bytes, size);
    assert.equal(message.name, `single-${size}.bin`);
    assert.match(message.key, /^[A-Za-z0-9_-]{22}$/);
    offers.stream({ type: 'files-stream', offer: number, stream: 3, from: 0 });
    offers.credit({ type: 'files-credit', stream: 3, upTo: size });
    await until(() => decode(rec.frames).some((f) => f.kind === 'sum'), `the checksum of ${size} bytes`);
    const frames = decode(rec.frames, 3);
    assert.ok(dataOf(frames, 0).equals(await readFile(path)), `${size} bytes sent as they are`);
    const sums = frames.filter((f) => f.kind === 'sum');
    assert.deepEqual(
      sums.map((s) => s.position),
      [1],
    );
    assert.ok(sums[0]!.payload.equals(sha256(await readFile(path))));
    assert.equal(frames.at(-1)!.kind, 'sum', 'the checksum follows the last data frame');
  }
});

test('an empty file: no data frame, its checksum at once, no credit needed', async () => {
  const path = await fileOf('empty.bin', 0);
  const { rec, offers, offer } = sender();
  const { number, message } = await offer([path]);
  assert.equal(message.bytes, 0);
  offers.stream({ type: 'files-stream', offer: number, stream: 1, from: 0 });
  await until(() => rec.frames.length === 1, 'the checksum');
  const [sum] = decode(rec.frames);
  assert.deepEqual([sum!.kind, sum!.position], ['sum', 1]);
  assert.ok(sum!.payload.equals(sha256(Buffer.alloc(0))));
});

/** Holiday/ with files of awkward sizes, an empty file, an empty folder and a symbolic link leading out. */
async function holiday(): Promise<{ dir: string; files: Buffer[] }> {
  const dir = join(root, `holiday-${randomBytes(3).toString('hex')}`, 'Holiday');
  const a = await fileOf(join(dir, 'a.bin').slice(root.length + 1), 300_000);
  const b = await fileOf(join(dir, 'b.bin').slice(root.length + 1), 1);
  const c = await fileOf(join(dir, 'c.bin').slice(root.length + 1), 0);
  await mkdir(join(dir, 'd'));
  const f = await fileOf(join(dir, 'e', 'f.bin').slice(root.length + 1), 700_000);
  const outside = await fileOf(join(dir, '..', 'outside.bin').slice(root.length + 1), 5000);
  await symlink(outside, join(dir, 'link.bin'));
  return { dir, files: await Promise.all([a, b, c, f].map((p) => readFile(p))) };
}

/** The data space of Holiday/ as the receiver must see it. */
function holidaySpace(files: Buffer[]) {
  const manifest = encodeManifest({
    files: ['a.bin', 'b.bin', 'c.bin', 'e/f.bin'].map((p, i) => ({ path: p, size: files[i]!.length })),
    folders: ['d'],
  });
  const data = Buffer.concat([manifest, ...files]);
  const ends = new Map<number, number>([[0, manifest.length]]);
  let at = manifest.length;
  for (const [i, file] of files.entries()) {
    at += file.length;
    ends.set(i + 1, at);
  }
  return { manifest, data, ends };
}

test('a folder: the manifest, then the files back to back in frames that span them; each file checksummed; the link not followed', async () => {
  const { dir, files } = await holiday();
  const { manifest, data, ends } = holidaySpace(files);
  const { rec, offers, offer, updates } = sender();
  const { number, message } = await offer([dir]);
  assert.deepEqual(
    { name: message.name, files: message.files, bytes: message.bytes, manifest: message.manifest },
    { name: 'Holiday', files: 4, bytes: 1_000_001, manifest: manifest.length },
    'four files (the link is not one), their bytes, and the manifest’s length',
  );
  assert.equal(updates.at(-1)!.files, 4);
  offers.stream({ type: 'files-stream', offer: number, stream: 5, from: 0 });
  offers.credit({ type: 'files-credit', stream: 5, upTo: data.length });
  await until(() => decode(rec.frames).filter((f) => f.kind === 'sum').length === 5, 'five checksums');
  const frames = decode(rec.frames, 5);
  assert.ok(dataOf(frames, 0).equals(data), 'the manifest and the files, byte for byte');
  const spanning = frames.filter((f) => f.kind === 'data' && f.position < ends.get(1)! && f.position + f.payload.length > ends.get(1)!);
  assert.equal(spanning.length, 1, 'a frame runs from a.bin into the files after it');
  const sums = frames.filter((f) => f.kind === 'sum');
  assert.deepEqual(
    sums.map((s) => s.position),
    [0, 1, 2, 3, 4],
  );
  assert.ok(sums[0]!.payload.equals(sha256(manifest)));
  for (const [i, file] of files.entries()) assert.ok(sums[i + 1]!.payload.equals(sha256(file)), `checksum ${i + 1}`);
  checkSumPlaces(frames, ends, 0);
  await settle();
  assert.equal(decode(rec.frames).length, frames.length, 'nothing after the end');
});

test('a stream that starts inside a file sends the rest, and that file’s checksum is of the whole file', async () => {
  const { dir, files } = await holiday();
  const { data, ends } = holidaySpace(files);
  const { rec, offers, offer } = sender();
  const { number } = await offer([dir]);
  const cases: Array<{ from: number; sums: number[] }> = [
    { from: ends.get(3)! + 100_000, sums: [4] }, // inside f.bin: c.bin (empty, before it) is not sent again
    { from: ends.get(0)! + 5, sums: [1, 2, 3, 4] }, // inside a.bin: the manifest's checksum is not due
    { from: ends.get(2)!, sums: [3, 4] }, // right where the empty c.bin lies: its checksum again
    { from: 3, sums: [0, 1, 2, 3, 4] }, // inside the manifest
  ];
  let stream = 10;
  for (const { from, sums } of cases) {
    stream += 1;
    offers.stream({ type: 'files-stream', offer: number, stream, from });
    offers.credit({ type: 'files-credit', stream, upTo: data.length });
    await until(() => decode(rec.frames, stream).filter((f) => f.kind === 'sum').length === sums.length, `the checksums from ${from}`);
    await settle();
    const frames = decode(rec.frames, stream);
    assert.ok(dataOf(frames, from).equals(data.subarray(from)), `the data from ${from}`);
    const got = frames.filter((f) => f.kind === 'sum');
    assert.deepEqual(
      got.map((s) => s.position),
      sums,
      `checksums from ${from}`,
    );
    const whole = [sha256(holidaySpace(files).manifest), ...files.map(sha256)];
    for (const s of got) assert.ok(s.payload.equals(whole[s.position]!), `checksum ${s.position} from ${from} covers the whole file`);
    checkSumPlaces(frames, ends, from);
  }
});

test('never past the credit; more credit sends more', async () => {
  const path = await fileOf('credit.bin', 1_000_000);
  const { rec, offers, offer } = sender();
  const { number } = await offer([path]);
  offers.stream({ type: 'files-stream', offer: number, stream: 2, from: 0 });
  await settle();
  assert.equal(rec.frames.length, 0, 'nothing before the first credit');
  offers.credit({ type: 'files-credit', stream: 2, upTo: 300_000 });
  await until(() => dataOf(decode(rec.frames), 0).length === 300_000, 'the first 300,000 bytes');
  await settle();
  assert.equal(dataOf(decode(rec.frames), 0).length, 300_000, 'stopped at the credit');
  offers.credit({ type: 'files-credit', stream: 2, upTo: 200_000 }); // smaller: means nothing
  offers.credit({ type: 'files-credit', stream: 2, upTo: 1_000_000 });
  await until(() => decode(rec.frames).some((f) => f.kind === 'sum'), 'the rest');
  assert.ok(dataOf(decode(rec.frames), 0).equals(await readFile(path)));
});

test('paced: at most 1 MiB handed to the connection until it drains, and files-stop drops what is queued', async () => {
  const path = await fileOf('paced.bin', 6 * 1024 * 1024);
  const { rec, offers, offer } = sender();
  const { number } = await offer([path]);
  rec.state.holding = true;
  offers.stream({ type: 'files-stream', offer: number, stream: 4, from: 0 });
  offers.credit({ type: 'files-credit', stream: 4, upTo: 6 * 1024 * 1024 });
  await until(() => rec.frames.length === 4, 'four frames');
  await settle(100);
  assert.equal(rec.frames.length, 4, 'the fifth frame waits for the connection to drain');
  rec.release();
  await until(() => rec.frames.length >= 8, 'more frames once drained');
  offers.stop({ type: 'files-stop', stream: 4 });
  rec.release();
  const count = rec.frames.length;
  await settle(100);
  assert.ok(rec.frames.length <= count + 1, 'nothing more after files-stop');
  assert.ok(!decode(rec.frames).some((f) => f.kind === 'sum'), 'never reached the end');
});

test('a file changed before it is read: files-cancel file-changed, the offer failed and retryable', async () => {
  const path = await fileOf('changes.bin', 100_000);
  const { rec, offers, offer, updates } = sender();
  const { number, id } = await offer([path]);
  await utimes(path, new Date(), new Date(Date.now() + 60_000));
  offers.stream({ type: 'files-stream', offer: number, stream: 1, from: 0 });
  offers.credit({ type: 'files-credit', stream: 1, upTo: 100_000 });
  await until(() => rec.of('files-cancel').length === 1, 'the cancel');
  assert.deepEqual(rec.of('files-cancel')[0], { type: 'files-cancel', offer: number, reason: 'file-changed' });
  assert.equal(decode(rec.frames).length, 0, 'nothing of it was sent');
  const last = updates.at(-1)!;
  assert.deepEqual([last.id, last.state, last.reason, last.retryable], [id, 'failed', 'file-changed', true]);
  assert.match(last.message!, /changed/);
});

test('a file cut short while it is sent, and a later file of a folder changed: file-changed', async () => {
  const path = await fileOf('shrinks.bin', 1_000_000);
  const one = sender();
  const first = await one.offer([path]);
  one.offers.stream({ type: 'files-stream', offer: first.number, stream: 1, from: 0 });
  one.offers.credit({ type: 'files-credit', stream: 1, upTo: 300_000 });
  await until(() => dataOf(decode(one.rec.frames), 0).length === 300_000, 'the first part');
  await truncate(path, 500_000);
  one.offers.credit({ type: 'files-credit', stream: 1, upTo: 1_000_000 });
  await until(() => one.rec.of('files-cancel').length === 1, 'the cancel');
  assert.equal(one.rec.of('files-cancel')[0].reason, 'file-changed');
  assert.ok(!decode(one.rec.frames).some((f) => f.kind === 'sum'), 'no checksum for a file that changed');

  const { dir, files } = await holiday();
  const two = sender();
  const second = await two.offer([dir]);
  await writeFile(join(dir, 'e', 'f.bin'), randomBytes(700_000)); // same size, new time
  await utimes(join(dir, 'e', 'f.bin'), new Date(), new Date(Date.now() + 120_000));
  two.offers.stream({ type: 'files-stream', offer: second.number, stream: 2, from: 0 });
  two.offers.credit({ type: 'files-credit', stream: 2, upTo: 2_000_000 });
  await until(() => two.rec.of('files-cancel').length === 1, 'the cancel');
  assert.equal(two.rec.of('files-cancel')[0].reason, 'file-changed');
  const sums = decode(two.rec.frames).filter((f) => f.kind === 'sum');
  assert.ok(!sums.some((s) => s.position === 4), 'no checksum for the file that changed');
  assert.ok(sums[0]!.payload.equals(sha256(holidaySpace(files).manifest)));
});
