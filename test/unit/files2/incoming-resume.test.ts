import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { keptStores, newKey, Recipient, SentOffer, sha256, tempDir, until } from './incoming-harness';

const MiB = 1024 * 1024;

const holiday = () =>
  new SentOffer(
    'Holiday',
    [
      { path: 'Holiday/sea.jpg', content: randomBytes(300_000) },
      { path: 'Holiday/notes/empty.txt', content: Buffer.alloc(0) },
      { path: 'Holiday/notes/list.md', content: Buffer.from('# list\n') },
      { path: 'Holiday/video.mp4', content: randomBytes(3 * MiB + 7) },
    ],
    ['Holiday/empty folder'],
  );

/** Accepts `sent` as offer `offer` and feeds stream `stream` up to `to`; resolves once `to` is acked or written. */
async function receivePart(recipient: Recipient, sent: SentOffer, offer: number, key: string, stream: number, to: number): Promise<void> {
  recipient.offers.offered(sent.offered(offer, key));
  await recipient.state(String(offer), 'offered');
  await recipient.offers.accept(String(offer));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer, stream, from: 0 });
  recipient.feed(sent.frames(stream, 0, { to, frameBytes: 200_000 }));
}

async function assertSaved(recipient: Recipient, id: string, sent: SentOffer): Promise<void> {
  const done = await recipient.state(id, 'done');
  if (sent.single) {
    const saved = await readFile(done.savedPath!);
    assert.ok(saved.equals(sent.files[0]!.content), 'the saved file is byte-identical');
    assert.equal(done.sha256, sha256(saved).toString('hex'));
  } else {
    for (const file of sent.files) assert.ok((await readFile(join(done.savedPath!, file.path))).equals(file.content), file.path);
  }
  assert.deepEqual(await keptStores(recipient.dir), [], 'kept data is gone once saved');
}

test('connection lost mid-bundle: paused with the data kept, offered again → accepted from what is on disk, verified files not fetched again', async () => {
  const dir = await tempDir('lost');
  const recipient = new Recipient(dir);
  const sent = holiday();
  const key = newKey();
  const video = sent.bounds[4]!;
  const cut = video.start + 1.5 * MiB;
  await receivePart(recipient, sent, 8, key, 1, cut);
  await recipient.nth('files-ack', 1);

  recipient.offers.connectionLost();
  const paused = await recipient.state('8', 'paused');
  assert.equal(paused.retryable, true);
  assert.equal(paused.reason, 'connection-lost');
  assert.ok(recipient.offers.frame(sent.frames(1, cut, { frameBytes: 1000 })[0]!), 'a late frame of the lost stream is dropped quietly');
  const lastAck = recipient.ofType('files-ack').at(-1)!.bytes;

  recipient.offers.offered(sent.offered(8, key));
  const again = await recipient.nth('files-accept', 2);
  assert.equal(again.from, cut, 'every byte received was on disk, and is kept');
  assert.ok(again.from >= lastAck && again.from > video.start, 'the earlier files are not fetched again');
  assert.equal((await recipient.state('8', 'receiving')).retryable, undefined);

  recipient.offers.stream({ offer: 8, stream: 2, from: cut });
  recipient.feed(sent.frames(2, cut));
  await assertSaved(recipient, '8', sent);
  assert.equal(recipient.ofType('files-cancel').length, 0, 'the kept part verified with the rest (read back and hashed)');
  assert.equal(recipient.ofType('files-accept').length, 2);
  const acksOf2 = recipient.ofType('files-ack').filter((a) => a.stream === 2);
  assert.ok(acksOf2[0]!.bytes > cut && acksOf2.at(-1)!.bytes === sent.data.length);
});

test('a restart: a new IncomingOffers over the same folder, offered the same key again, accepts by itself from the kept offset', async () => {
  const dir = await tempDir('restart');
  const sent = holiday();
  const key = newKey();
  const video = sent.bounds[4]!;
  const cut = video.start + MiB + 4321;
  const before = new Recipient(dir);
  await receivePart(before, sent, 5, key, 1, cut);
  await before.nth('files-ack', 1);
  await before.offers.close();
  assert.equal(before.view('5')!.state, 'paused');
  assert.deepEqual(await keptStores(dir), [key]);
  const state = JSON.parse(await readFile(join(dir, '.porthole-partial', key, 'state.json'), 'utf8'));
  assert.equal(state.accepted, true);
  assert.equal(state.verified.length, 3, 'the three files before the video are verified');
  assert.equal(state.verifiedUpTo, video.start);

  const after = new Recipient(dir);
  after.offers.offered(sent.offered(31, key));
  assert.deepEqual(await after.nth('files-accept'), { type: 'files-accept', offer: 31, from: cut });
  assert.ok(
    after.events.every((e) => !e.isNew),
    'the person is not asked again',
  );
  assert.equal((await after.state('31', 'receiving')).bytes, cut - sent.manifestBytes);
  after.offers.stream({ offer: 31, stream: 77, from: cut });
  after.feed(sent.frames(77, cut));
  await assertSaved(after, '31', sent);
  assert.equal(after.ofType('files-cancel').length, 0, 'the kept part verified with the rest (read back and hashed)');
  assert.equal(after.ofType('files-accept').length, 1);
});

test('a corrupted kept file is caught at its checksum: that file is fetched again from its start, and the result is correct', async () => {
  const dir = await tempDir('corrupt');
  const sent = holiday();
  const key = newKey();
  const video = sent.bounds[4]!;
  const cut = video.start + 2 * MiB;
  const before = new Recipient(dir);
  await receivePart(before, sent, 6, key, 1, cut);
  await until(() => before.ofType('files-ack').at(-1)?.bytes === cut, 'the cut acked');
  await before.offers.close();
  const kept = await open(join(dir, '.porthole-partial', key, '4.data'), 'r+');
  const byte = Buffer.alloc(1);
  await kept.read(byte, 0, 1, 1000);
  await kept.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, 1000);
  await kept.close();

  const after = new Recipient(dir);
  after.offers.offered(sent.offered(6, key));
  assert.equal((await after.nth('files-accept')).from, cut, 'the flipped byte is not noticed until the checksum');
  after.offers.stream({ offer: 6, stream: 2, from: cut });
  after.feed(sent.frames(2, cut));
  assert.deepEqual(await after.nth('files-cancel'), { type: 'files-cancel', offer: 6, reason: 'hash-mismatch' });
  assert.deepEqual(await after.nth('files-accept', 2), { type: 'files-accept', offer: 6, from: video.start });
  assert.equal(after.view('6')!.state, 'receiving');
  after.offers.stream({ offer: 6, stream: 3, from: video.start });
  after.feed(sent.frames(3, video.start));
  await assertSaved(after, '6', sent);
});

test('a file that mismatches twice fails the transfer with hash-mismatch and deletes the kept data', async () => {
  const dir = await tempDir('mismatch');
  const recipient = new Recipient(dir, { autoAccept: true });
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(100_000) }]);
  const lie = new Map([[1, Buffer.alloc(32, 1)]]);
  recipient.offers.offered(sent.offered(2, newKey()));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 2, stream: 1, from: 0 });
  recipient.feed(sent.frames(1, 0, { lie }));
  assert.equal((await recipient.nth('files-accept', 2)).from, 0);
  recipient.offers.stream({ offer: 2, stream: 2, from: 0 });
  recipient.feed(sent.frames(2, 0, { lie }));
  const failed = await recipient.state('2', 'failed');
  assert.equal(failed.reason, 'hash-mismatch');
  assert.equal(failed.retryable, false);
  assert.deepEqual(
    recipient.ofType('files-cancel').map((c) => c.reason),
    ['hash-mismatch', 'hash-mismatch'],
  );
  assert.deepEqual(await keptStores(dir), []);
});

test('stalled: accepts again by itself once, from what it has; a second stall without progress pauses it', async () => {
  const dir = await tempDir('stalled');
  const recipient = new Recipient(dir, { autoAccept: true });
  const sent = new SentOffer('s.bin', [{ path: 's.bin', content: randomBytes(2 * MiB) }]);
  recipient.offers.offered(sent.offered(9, newKey()));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 9, stream: 1, from: 0 });
  recipient.feed(sent.frames(1, 0, { to: 300_000 }));
  recipient.offers.ended({ offer: 9, reason: 'stalled' });
  assert.deepEqual(await recipient.nth('files-accept', 2), { type: 'files-accept', offer: 9, from: 300_000 });
  recipient.offers.stream({ offer: 9, stream: 2, from: 300_000 });
  recipient.offers.ended({ offer: 9, reason: 'stalled' });
  const paused = await recipient.state('9', 'paused');
  assert.equal(paused.reason, 'stalled');
  assert.equal(recipient.ofType('files-accept').length, 2);

  await recipient.offers.retry('9');
  assert.equal((await recipient.nth('files-accept', 3)).from, 300_000, 'retry continues from the kept data');
  recipient.offers.stream({ offer: 9, stream: 3, from: 300_000 });
  recipient.feed(sent.frames(3, 300_000));
  await assertSaved(recipient, '9', sent);
});

test('the host moves the recipient to a stream of its own where the shared one had got to', async () => {
  const dir = await tempDir('moved');
  const recipient = new Recipient(dir, { autoAccept: true });
  const sent = holiday();
  recipient.offers.offered(sent.offered(3, newKey()));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 3, stream: 10, from: 0 });
  const cut = sent.bounds[4]!.start + 500_000;
  recipient.feed(sent.frames(10, 0, { to: cut }));
  recipient.offers.stream({ offer: 3, stream: 11, from: cut });
  assert.ok(recipient.offers.frame(sent.frames(10, cut)[0]!), "the shared stream's later data is dropped quietly");
  recipient.feed(sent.frames(11, cut));
  await assertSaved(recipient, '3', sent);
  const acks11 = recipient.ofType('files-ack').filter((a) => a.stream === 11);
  assert.ok(acks11.length > 0 && acks11.every((a) => a.bytes > cut));
  assert.deepEqual(recipient.acksPastDelivered, []);
  assert.equal(recipient.ofType('files-accept').length, 1);
});

test('the sender comes back and its stream starts again from the last ack, behind what is on disk: bytes already here are skipped, acks stay within what the new stream delivered', async () => {
  const dir = await tempDir('sender-back');
  const recipient = new Recipient(dir, { autoAccept: true });
  const sent = new SentOffer('s.bin', [{ path: 's.bin', content: randomBytes(4 * MiB + 99) }]);
  recipient.offers.offered(sent.offered(4, newKey()));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 4, stream: 1, from: 0 });
  const frames = sent.frames(1, 0, { frameBytes: 256 * 1024 });
  recipient.feed(frames.slice(0, 5));
  await until(() => recipient.ofType('files-ack').at(-1)?.bytes === 5 * 256 * 1024, 'the first ack');
  recipient.feed(frames.slice(5, 8));
  const lastAck = recipient.ofType('files-ack').at(-1)!.bytes;
  assert.ok(lastAck < 8 * 256 * 1024, 'the host knows less than the recipient has');

  recipient.offers.stream({ offer: 4, stream: 2, from: lastAck });
  recipient.feed(sent.frames(2, lastAck, { frameBytes: 100_000 }));
  await assertSaved(recipient, '4', sent);
  assert.deepEqual(recipient.acksPastDelivered, []);
  const acks2 = recipient
    .ofType('files-ack')
    .filter((a) => a.stream === 2)
    .map((a) => a.bytes);
  assert.ok(acks2[0]! > lastAck && acks2.at(-1) === sent.data.length, `acks of stream 2: ${acks2}`);
  assert.equal(recipient.ofType('files-accept').length, 1, 'no accept again: the same accept continues');
  assert.equal(recipient.ofType('files-cancel').length, 0);
});

test('the sender comes back the way the host tells it now (sender-left, then offered again): paused, then accepted again from what is kept', async () => {
  const dir = await tempDir('sender-left');
  const recipient = new Recipient(dir, { autoAccept: true });
  const sent = holiday();
  const key = newKey();
  recipient.offers.offered(sent.offered(4, key));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 4, stream: 1, from: 0 });
  const cut = sent.bounds[4]!.start + 777_777;
  recipient.feed(sent.frames(1, 0, { to: cut }));
  await until(() => recipient.ofType('files-ack').at(-1)?.bytes === cut, 'the cut acked');
  recipient.offers.ended({ offer: 4, reason: 'sender-left' });
  assert.equal((await recipient.state('4', 'paused')).reason, 'sender-left');
  recipient.offers.offered(sent.offered(4, key));
  assert.deepEqual(await recipient.nth('files-accept', 2), { type: 'files-accept', offer: 4, from: cut });
  recipient.offers.stream({ offer: 4, stream: 2, from: cut });
  recipient.feed(sent.frames(2, cut));
  await assertSaved(recipient, '4', sent);
  assert.deepEqual(recipient.acksPastDelivered, []);
});
