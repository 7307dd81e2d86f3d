import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { keptStores, newKey, Recipient, SentOffer, sha256, tempDir } from './incoming-harness';
import { KIND_DATA } from '../../../src-main/features/files/v2/files2-frames';

const MiB = 1024 * 1024;

test('one file in order: accepted from 0, acked every MiB and at the end, verified, saved under its name, kept data gone', async () => {
  const dir = await tempDir('single');
  const recipient = new Recipient(dir);
  const content = randomBytes(3 * MiB + 12_345);
  const sent = new SentOffer('report.pdf', [{ path: 'report.pdf', content }]);
  const key = newKey();
  recipient.offers.offered(sent.offered(7, key));
  const asked = await recipient.state('7', 'offered');
  assert.equal(recipient.events[0]!.isNew, true, 'the first view is a new offer');
  assert.deepEqual(
    { id: asked.id, direction: asked.direction, fileName: asked.fileName, size: asked.size, files: asked.files, from: asked.from },
    {
      id: '7',
      direction: 'incoming',
      fileName: 'report.pdf',
      size: content.length,
      files: undefined,
      from: { id: 'alice', name: 'Alice' },
    },
  );

  await recipient.offers.accept('7');
  assert.deepEqual(await recipient.nth('files-accept'), { type: 'files-accept', offer: 7, from: 0 });
  assert.deepEqual(await keptStores(dir), [key], 'kept data lives under the key, out of sight');
  recipient.offers.stream({ offer: 7, stream: 3, from: 0 });
  recipient.feed(sent.frames(3, 0, { frameBytes: 100_000 }));

  const done = await recipient.state('7', 'done');
  assert.equal(done.savedPath, join(dir, 'report.pdf'));
  assert.deepEqual(await readFile(done.savedPath!), content);
  assert.equal(done.sha256, sha256(content).toString('hex'));
  assert.equal(done.percent, 100);

  const acks = recipient.ofType('files-ack').map((a) => a.bytes);
  assert.ok(
    recipient.ofType('files-ack').every((a) => a.stream === 3),
    'acks name the stream',
  );
  for (const [i, bytes] of acks.entries()) {
    const before = i === 0 ? 0 : acks[i - 1]!;
    assert.ok(bytes > before, `acks increase: ${acks}`);
    if (i < acks.length - 1) assert.ok(bytes - before >= MiB, `an ack every MiB written: ${acks}`);
  }
  assert.equal(acks.at(-1), content.length, 'the data end is acked');
  assert.deepEqual(recipient.acksPastDelivered, [], 'no ack covers bytes not delivered yet');
  const types = recipient.sent.map((m) => m.type);
  assert.equal(types.at(-1), 'files-saved', 'files-saved comes last, after the last ack');
  assert.ok(types.lastIndexOf('files-ack') < types.indexOf('files-saved'));
  assert.deepEqual(await keptStores(dir), [], 'the kept data is gone');
  assert.deepEqual((await readdir(dir)).sort(), ['.porthole-partial', 'report.pdf']);
});

test('a file of that name already there: saved beside it, numbered; a hostile name stays in the download folder', async () => {
  const dir = await tempDir('names');
  const recipient = new Recipient(dir, { autoAccept: true });
  for (const [offer, name] of [
    [1, 'a.txt'],
    [2, 'a.txt'],
    [3, '../../evil.txt'],
  ] as const) {
    const sent = new SentOffer(name, [{ path: name, content: Buffer.from(`file ${offer}`) }]);
    recipient.offers.offered(sent.offered(offer, newKey()));
    await recipient.nth('files-accept', offer);
    recipient.offers.stream({ offer, stream: offer, from: 0 });
    recipient.feed(sent.frames(offer, 0));
    await recipient.state(String(offer), 'done');
  }
  assert.equal(recipient.view('1')!.savedPath, join(dir, 'a.txt'));
  assert.equal(recipient.view('2')!.savedPath, join(dir, 'a (1).txt'));
  assert.equal(recipient.view('3')!.savedPath, join(dir, '_.._evil.txt'));
  assert.equal(await readFile(join(dir, 'a (1).txt'), 'utf8'), 'file 2');
});

test('an empty file: no data at all, still accepted, streamed and saved', async () => {
  const dir = await tempDir('empty');
  const recipient = new Recipient(dir, { autoAccept: true });
  const sent = new SentOffer('empty.log', [{ path: 'empty.log', content: Buffer.alloc(0) }]);
  recipient.offers.offered(sent.offered(4, newKey()));
  assert.deepEqual(await recipient.nth('files-accept'), { type: 'files-accept', offer: 4, from: 0 });
  recipient.offers.stream({ offer: 4, stream: 9, from: 0 });
  recipient.feed(sent.frames(9, 0));
  const done = await recipient.state('4', 'done');
  assert.equal((await stat(done.savedPath!)).size, 0);
  assert.equal(recipient.ofType('files-ack').length, 0, 'nothing to ack past 0');
  assert.equal(recipient.sent.at(-1)!.type, 'files-saved');
});

const holiday = () =>
  new SentOffer(
    'Holiday',
    [
      { path: 'Holiday/beach/sea.jpg', content: randomBytes(300_000) },
      { path: 'Holiday/notes/empty.txt', content: Buffer.alloc(0) },
      { path: 'Holiday/notes/deep/er/list.md', content: Buffer.from('# list\n') },
      { path: 'Holiday/zero.bin', content: Buffer.alloc(0) },
      { path: 'Holiday/video.mp4', content: randomBytes(2 * MiB + 7) },
    ],
    ['Holiday/empty folder', 'Holiday/beach/nothing here'],
  );

async function receiveBundle(frameBytes: number): Promise<{ dir: string; sent: SentOffer; recipient: Recipient }> {
  const dir = await tempDir('bundle');
  const recipient = new Recipient(dir);
  const sent = holiday();
  recipient.offers.offered(sent.offered(12, newKey()));
  const asked = await recipient.state('12', 'offered');
  assert.equal(asked.files, 5);
  assert.equal(asked.size, sent.bytes);
  await recipient.offers.accept('12');
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 12, stream: 40, from: 0 });
  recipient.feed(sent.frames(40, 0, { frameBytes }));
  return { dir, sent, recipient };
}

async function assertHolidaySaved(dir: string, sent: SentOffer, savedPath: string | undefined): Promise<void> {
  assert.equal(savedPath, join(dir, 'Holiday'));
  for (const file of sent.files) assert.deepEqual(await readFile(join(savedPath!, file.path)), file.content, file.path);
  assert.ok((await stat(join(savedPath!, 'Holiday/empty folder'))).isDirectory());
  assert.ok((await stat(join(savedPath!, 'Holiday/beach/nothing here'))).isDirectory());
  assert.deepEqual(await keptStores(dir), []);
}

test('a bundle: nested folders, empty folders and empty files, saved under one folder with the same relative paths', async () => {
  const { dir, sent, recipient } = await receiveBundle(65_536);
  const done = await recipient.state('12', 'done');
  await assertHolidaySaved(dir, sent, done.savedPath);
  assert.equal(recipient.ofType('files-ack').at(-1)!.bytes, sent.data.length, 'the data end (manifest and files) is acked');
});

test('frames spanning file boundaries: odd sizes, and one frame holding the manifest and every small file', async () => {
  const { dir, sent, recipient } = await receiveBundle(99_991);
  await assertHolidaySaved(dir, sent, (await recipient.state('12', 'done')).savedPath);

  const dir2 = await tempDir('one-frame');
  const small = new SentOffer('Small', [
    { path: 'a.txt', content: Buffer.from('alpha') },
    { path: 'b/empty', content: Buffer.alloc(0) },
    { path: 'b/c.txt', content: Buffer.from('gamma') },
  ]);
  const r2 = new Recipient(dir2, { autoAccept: true });
  r2.offers.offered(small.offered(2, newKey()));
  await r2.nth('files-accept');
  r2.offers.stream({ offer: 2, stream: 5, from: 0 });
  const frames = small.frames(5, 0);
  assert.equal(frames.filter((f) => f[0] === 2).length, 1, 'one data frame');
  r2.feed(frames);
  const done = await r2.state('2', 'done');
  assert.equal(await readFile(join(done.savedPath!, 'b/c.txt'), 'utf8'), 'gamma');
  assert.equal((await stat(join(done.savedPath!, 'b/empty'))).size, 0);
});

test('a bundle whose name is taken gets a numbered folder', async () => {
  const first = await receiveBundle(1 << 18);
  await first.recipient.state('12', 'done');
  const sent = holiday();
  first.recipient.offers.offered(sent.offered(13, newKey()));
  await first.recipient.offers.accept('13');
  await first.recipient.nth('files-accept', 2);
  first.recipient.offers.stream({ offer: 13, stream: 41, from: 0 });
  first.recipient.feed(sent.frames(41, 0));
  const done = await first.recipient.state('13', 'done');
  assert.equal(done.savedPath, join(first.dir, 'Holiday (1)'));
  assert.deepEqual(await readFile(join(done.savedPath!, 'Holiday/video.mp4')), sent.files[4]!.content);
});

test('progress: bytes, percent, speed and time left while receiving; views are copies', async () => {
  const dir = await tempDir('progress');
  const recipient = new Recipient(dir, { autoAccept: true });
  const content = randomBytes(4 * MiB);
  const sent = new SentOffer('big.bin', [{ path: 'big.bin', content }]);
  recipient.offers.offered(sent.offered(3, newKey()));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 3, stream: 1, from: 0 });
  const frames = sent.frames(1, 0, { frameBytes: 128 * 1024 });
  for (const [i, frame] of frames.entries()) {
    recipient.feed([frame]);
    if (i % 2 === 1) await new Promise((r) => setTimeout(r, 80));
  }
  await recipient.state('3', 'done');
  const moving = recipient.events.filter((e) => e.view.state === 'receiving' && e.view.bytes > 0).map((e) => e.view);
  assert.ok(moving.length >= 3, `progress was reported (${moving.length} times)`);
  assert.ok(moving.some((v) => v.bytesPerSecond > 0 && v.secondsLeft !== undefined && v.percent > 0 && v.percent < 100));
  assert.notEqual(recipient.events[0]!.view, recipient.events[1]!.view);
  assert.deepEqual(
    recipient.offers.list().map((v) => [v.id, v.state]),
    [['3', 'done']],
  );
  assert.deepEqual(recipient.offers.clearFinished(), ['3']);
  assert.deepEqual(recipient.offers.list(), []);
});

test('moved to a stream that starts at the data’s end (all sent, not all acked): the last ack still comes before files-saved', async () => {
  const dir = await tempDir('moved-at-end');
  const recipient = new Recipient(dir);
  const content = randomBytes(2 * MiB + 777);
  const sent = new SentOffer('late.bin', [{ path: 'late.bin', content }]);
  recipient.offers.offered(sent.offered(7, newKey()));
  await recipient.state('7', 'offered');
  await recipient.offers.accept('7');
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 7, stream: 3, from: 0 });
  const frames = sent.frames(3, 0, { frameBytes: 100_000 });
  recipient.feed(frames.filter((f) => f[0] === KIND_DATA));
  // The host moves it to a stream of its own at the very end (a lag split after the last frame went out).
  recipient.offers.stream({ offer: 7, stream: 4, from: content.length });
  recipient.feed(frames.filter((f) => f[0] !== KIND_DATA)); // the checksum, on the old stream
  await recipient.state('7', 'done');
  const types = recipient.sent.map((m) => m.type);
  const lastAck = recipient.ofType('files-ack').at(-1);
  assert.equal(lastAck?.bytes, content.length, `the data end is acked: ${JSON.stringify(recipient.ofType('files-ack'))}`);
  assert.ok(types.lastIndexOf('files-ack') < types.indexOf('files-saved'), 'before files-saved');
  // (It names the new stream, which carried nothing: the host checks an ack against what it sent the recipient, on any stream.)
});
