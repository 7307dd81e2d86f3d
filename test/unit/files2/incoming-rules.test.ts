import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { sumFrame } from '../../../src-main/features/files/v2/files2-frames';
import { dataFrame, keptStores, newKey, Recipient, SentOffer, tempDir, until } from './incoming-harness';

const MiB = 1024 * 1024;

/** A recipient receiving `sent` as offer 1 on stream 5 (accepted, stream started, nothing fed yet). */
async function receiving(sent: SentOffer, key = newKey()): Promise<Recipient> {
  const recipient = new Recipient(await tempDir('rules'), { autoAccept: true });
  recipient.offers.offered(sent.offered(1, key));
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 1, stream: 5, from: 0 });
  return recipient;
}

const three = () =>
  new SentOffer('Three', [
    { path: 'a.bin', content: randomBytes(1000) },
    { path: 'b.bin', content: randomBytes(2000) },
    { path: 'c.bin', content: randomBytes(3000) },
  ]);

async function assertBadData(recipient: Recipient): Promise<void> {
  assert.deepEqual(await recipient.nth('files-cancel'), { type: 'files-cancel', offer: 1, reason: 'bad-data' });
  const failed = await recipient.state('1', 'failed');
  assert.equal(failed.reason, 'bad-data');
  assert.equal(failed.retryable, true, 'what was verified is kept for a retry');
}

test('a data frame that does not start where the last ended is refused, ends the part with bad-data; the rest of that stream is dropped quietly', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(600_000) }]);
  const recipient = await receiving(sent);
  const frames = sent.frames(5, 0, { frameBytes: 100_000 });
  recipient.feed([frames[0]!]);
  assert.equal(recipient.offers.frame(frames[2]!), false, 'a gap');
  await assertBadData(recipient);
  assert.equal(recipient.offers.frame(frames[1]!), true, 'frames already on the way are dropped without a warning');

  await recipient.offers.retry('1');
  assert.equal((await recipient.nth('files-accept', 2)).from, 100_000, 'retry continues from what was written');
  recipient.offers.stream({ offer: 1, stream: 6, from: 100_000 });
  recipient.feed(sent.frames(6, 100_000));
  await recipient.state('1', 'done');
});

test('frames that fit no stream of ours, overlap, or pass the end are refused', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(1000) }]);
  const recipient = await receiving(sent);
  assert.equal(recipient.offers.frame(dataFrame(99, 0, Buffer.alloc(10))), false, 'a stream we never got');
  assert.equal(recipient.offers.frame(Buffer.alloc(10)), false, 'not a frame');
  assert.equal(recipient.offers.frame(Buffer.from([7, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 1])), false, 'an unknown kind');
  assert.equal(recipient.offers.frame(dataFrame(5, 0, Buffer.alloc(1001))), false, 'past the data end');
  await assertBadData(recipient);

  const r2 = await receiving(sent);
  r2.feed([dataFrame(5, 0, sent.data.subarray(0, 500))]);
  assert.equal(r2.offers.frame(dataFrame(5, 400, sent.data.subarray(400, 600))), false, 'overlapping what came');
  await assertBadData(r2);
});

test('checksum frames: out of order, before their data, past the files, a manifest checksum for one file, or one skipped: refused', async () => {
  const sent = three();
  const cases: Array<[string, (r: Recipient) => boolean]> = [
    ['before its data', (r) => r.offers.frame(sumFrame(5, 1, sent.bounds[1]!.sha))],
    [
      'skipping file 1',
      (r) => {
        r.feed([dataFrame(5, 0, sent.data.subarray(0, sent.bounds[2]!.end)), sumFrame(5, 0, sent.bounds[0]!.sha)]);
        return r.offers.frame(sumFrame(5, 2, sent.bounds[2]!.sha));
      },
    ],
    [
      'out of order',
      (r) => {
        r.feed([dataFrame(5, 0, sent.data), ...[0, 1, 2].map((i) => sumFrame(5, i, sent.bounds[i]!.sha))]);
        return r.offers.frame(sumFrame(5, 1, sent.bounds[1]!.sha));
      },
    ],
    [
      'past the files',
      (r) => {
        r.feed([dataFrame(5, 0, sent.data)]);
        return r.offers.frame(sumFrame(5, 4, sent.bounds[1]!.sha));
      },
    ],
  ];
  for (const [what, act] of cases) {
    const recipient = await receiving(sent);
    assert.equal(act(recipient), false, what);
    await assertBadData(recipient);
  }
  const single = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(10) }]);
  const recipient = await receiving(single);
  recipient.feed([dataFrame(5, 0, single.data)]);
  assert.equal(recipient.offers.frame(sumFrame(5, 0, single.bounds[1]!.sha)), false, 'index 0 is a bundle’s manifest');
});

test('a stream that does not start where we accepted, or one another offer has, ends the part with bad-data; one for an offer not ours is ignored', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(1000) }]);
  const recipient = new Recipient(await tempDir('rules'), { autoAccept: true });
  recipient.offers.offered(sent.offered(1, newKey()));
  await recipient.nth('files-accept');
  assert.equal(recipient.offers.frame(dataFrame(5, 0, sent.data)), false, 'no frame before files-stream');
  recipient.offers.stream({ offer: 77, stream: 5, from: 0 });
  recipient.offers.stream({ offer: 1, stream: 5, from: 10 });
  await assertBadData(recipient);

  const sent2 = new SentOffer('y.bin', [{ path: 'y.bin', content: randomBytes(1000) }]);
  recipient.offers.offered(sent2.offered(2, newKey()));
  await recipient.nth('files-accept', 2);
  await recipient.offers.retry('1');
  await recipient.nth('files-accept', 3);
  recipient.offers.stream({ offer: 1, stream: 8, from: 0 });
  recipient.offers.stream({ offer: 2, stream: 8, from: 0 });
  assert.deepEqual(recipient.ofType('files-cancel').at(-1), { type: 'files-cancel', offer: 2, reason: 'bad-data' });
  recipient.feed(sent.frames(8, 0));
  await recipient.state('1', 'done');
});

test('a manifest that does not match the offer ends the part with bad-data', async () => {
  const sent = three();
  const recipient = new Recipient(await tempDir('rules'), { autoAccept: true });
  recipient.offers.offered({ ...sent.offered(1, newKey()), files: 2 });
  await recipient.nth('files-accept');
  recipient.offers.stream({ offer: 1, stream: 5, from: 0 });
  recipient.feed([dataFrame(5, 0, sent.data.subarray(0, sent.manifestBytes))]);
  assert.deepEqual(await recipient.nth('files-cancel'), { type: 'files-cancel', offer: 1, reason: 'bad-data' });
  assert.equal((await recipient.state('1', 'failed')).reason, 'bad-data');
});

test('the offer ends: paused with the data kept when the sender or host went, final otherwise; kept data goes with a final end', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(2 * MiB) }]);
  const key = newKey();
  const recipient = await receiving(sent, key);
  recipient.feed(sent.frames(5, 0, { to: MiB + 5 }));
  await recipient.nth('files-ack');
  recipient.offers.ended({ offer: 1, reason: 'sender-left' });
  const paused = await recipient.state('1', 'paused');
  assert.deepEqual([paused.reason, paused.retryable], ['sender-left', true]);
  assert.deepEqual(await keptStores(recipient.dir), [key]);
  recipient.offers.ended({ offer: 1, reason: 'cancelled' });
  await recipient.state('1', 'cancelled');
  assert.deepEqual(await keptStores(recipient.dir), []);

  const nothing = await receiving(sent);
  nothing.offers.ended({ offer: 1, reason: 'host-left' });
  const failed = await nothing.state('1', 'failed');
  assert.deepEqual([failed.reason, failed.retryable], ['host-left', false]);
  assert.deepEqual(await keptStores(nothing.dir), [], 'nothing received: nothing kept');

  const changed = await receiving(sent);
  changed.feed(sent.frames(5, 0, { to: 300_000 }));
  changed.offers.ended({ offer: 1, reason: 'file-changed' });
  assert.equal(
    (await changed.state('1', 'failed')).message,
    'The file changed on the sender’s side while it was being sent; send it again.',
  );
  assert.deepEqual(await keptStores(changed.dir), []);

  const asked = new Recipient(await tempDir('rules'));
  asked.offers.offered(sent.offered(3, newKey()));
  await asked.state('3', 'offered');
  asked.offers.ended({ offer: 3, reason: 'no-answer' });
  assert.equal((await asked.state('3', 'failed')).reason, 'no-answer');
});

test('decline and cancel tell the host; cancel deletes the kept data; unknown ids and answers while disconnected say so', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(500_000) }]);
  const recipient = new Recipient(await tempDir('answers'));
  recipient.offers.offered(sent.offered(1, newKey()));
  recipient.offers.offered(sent.offered(2, newKey()));
  await recipient.state('2', 'offered');
  recipient.offers.decline('1');
  assert.deepEqual(recipient.sent, [{ type: 'files-decline', offer: 1 }]);
  assert.equal(recipient.view('1')!.state, 'declined');

  await recipient.offers.accept('2');
  recipient.offers.stream({ offer: 2, stream: 3, from: 0 });
  recipient.feed(sent.frames(3, 0, { to: 200_000 }));
  recipient.offers.cancel('2');
  assert.deepEqual(recipient.sent.at(-1), { type: 'files-cancel', offer: 2, reason: 'cancelled' });
  await recipient.state('2', 'cancelled');
  assert.equal(recipient.offers.frame(sent.frames(3, 200_000)[0]!), true, 'late frames are dropped quietly');
  assert.deepEqual(await keptStores(recipient.dir), []);

  await assert.rejects(recipient.offers.accept('42'), { code: 'not-found' });
  await assert.rejects(recipient.offers.retry('nope'), { code: 'not-found' });
  recipient.offers.offered(sent.offered(4, newKey()));
  await recipient.state('4', 'offered');
  recipient.offers.connectionLost();
  await assert.rejects(recipient.offers.accept('4'), { code: 'not-connected' });
  assert.equal(recipient.view('4')!.state, 'offered');
  recipient.offers.reconnected();
  await recipient.offers.accept('4');
  assert.deepEqual(recipient.sent.at(-1), { type: 'files-accept', offer: 4, from: 0 });
});

test('the sender comes back with the same files as a new offer while the old one is paused: the new one takes the kept data over and continues', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(2 * MiB) }]);
  const key = newKey();
  const recipient = await receiving(sent, key);
  recipient.feed(sent.frames(5, 0, { to: MiB + 77 }));
  await until(() => recipient.ofType('files-ack').at(-1)?.bytes === MiB + 77, 'the cut acked');
  recipient.offers.ended({ offer: 1, reason: 'sender-left' });
  await recipient.state('1', 'paused');

  recipient.offers.offered(sent.offered(2, key));
  assert.deepEqual(await recipient.nth('files-accept', 2), { type: 'files-accept', offer: 2, from: MiB + 77 });
  const old = await recipient.state('1', 'cancelled');
  assert.match(old.message!, /#2/);
  recipient.offers.stream({ offer: 2, stream: 6, from: MiB + 77 });
  recipient.feed(sent.frames(6, MiB + 77));
  const done = await recipient.state('2', 'done');
  assert.equal(done.sha256, sent.bounds[1]!.sha.toString('hex'));
  assert.ok(recipient.events.every((e) => !e.isNew || e.view.id === '1'));
});

test('a host sending far past any credit, faster than the disk takes it, is refused before memory grows', async () => {
  const sent = new SentOffer('big.bin', [{ path: 'big.bin', content: Buffer.alloc(40 * MiB, 7) }]);
  const recipient = await receiving(sent);
  const frames = sent.frames(5, 0);
  // All at once: the first write has not even opened the file yet.
  const taken = frames.map((frame) => recipient.offers.frame(frame));
  const refused = taken.indexOf(false);
  assert.ok(refused > 0, 'a frame was refused');
  assert.ok(refused * (256 * 1024) <= 32 * MiB, `refused at frame ${refused}`);
  assert.ok(
    taken.slice(refused + 1).every((t) => t),
    'the rest of that stream is dropped quietly',
  );
  await assertBadData(recipient);
});

test('kept data lives in folders only this user can enter, and links planted there are never followed', async () => {
  const sent = new SentOffer('x.bin', [{ path: 'x.bin', content: randomBytes(300_000) }]);
  const key = newKey();
  const recipient = await receiving(sent, key);
  const root = join(recipient.dir, '.porthole-partial');
  assert.equal((await stat(root)).mode & 0o777, 0o700);
  assert.equal((await stat(join(root, key))).mode & 0o777, 0o700);
  recipient.feed(sent.frames(5, 0, { to: 100_000 }));
  await recipient.offers.close();

  // Someone swaps the kept data for a link to a file elsewhere; the next resume must not write through it.
  const outside = join(await tempDir('outside'), 'precious.txt');
  await writeFile(outside, 'keep me');
  await rm(join(root, key, '1.data'));
  await symlink(outside, join(root, key, '1.data'));
  const after = new Recipient(recipient.dir);
  after.offers.offered(sent.offered(1, key));
  assert.equal((await after.nth('files-accept')).from, 0, 'a link is no kept data');
  after.offers.stream({ offer: 1, stream: 6, from: 0 });
  after.feed(sent.frames(6, 0, { to: 100_000 }));
  assert.equal((await after.state('1', 'failed')).reason, 'write-failed');
  assert.deepEqual(after.sent.at(-1), { type: 'files-cancel', offer: 1, reason: 'write-failed' });
  assert.equal(await readFile(outside, 'utf8'), 'keep me');

  // The kept-data folder itself replaced by a link: nothing is made through it.
  const elsewhere = await tempDir('elsewhere');
  const third = new Recipient(await tempDir('linked-root'), { autoAccept: true });
  await symlink(elsewhere, join(third.dir, '.porthole-partial'));
  third.offers.offered(sent.offered(2, newKey()));
  assert.equal((await third.state('2', 'failed')).reason, 'write-failed');
  assert.deepEqual(await readdir(elsewhere), []);
});
