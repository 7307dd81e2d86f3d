import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Files2Offer } from '../../../src-main/features/files/v2/files2-messages';
import { OutgoingOffers, type OutgoingOptions } from '../../../src-main/features/files/v2/outgoing/outgoing-offers';
import type { TransferView } from '../../../src-main/features/files/transfer-events';
import type { PortholeError } from '../../../src-main/wire/errors';
import type { Member } from '../../../src-main/wire/protocol';
import { decode, recordingLink, settle, until } from './outgoing-recording-link';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-offers-'));
});
after(() => rm(root, { recursive: true, force: true }));

async function fileOf(name: string, size = 1000): Promise<string> {
  const path = join(root, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, randomBytes(size));
  return path;
}

const people: Member[] = [
  { id: 'me', name: 'Me', host: false },
  { id: 'ann', name: 'Ann', host: true },
  { id: 'bob', name: 'Bob', host: false },
];

function sender(options: OutgoingOptions = {}) {
  let rec = recordingLink(people);
  const updates: TransferView[] = [];
  const offers = new OutgoingOffers(options, { changed: (v) => updates.push(v) });
  offers.attach(rec.link);
  const lastOffer = () => rec.of<Files2Offer>('files-offer').at(-1)!;
  /** The host's answer to the last files-offer: numbered. */
  const number = (n: number, extra: { legacy?: string[] } = {}) => {
    const m = lastOffer();
    offers.offered({ ...m, type: 'files-offered', offer: n, from: 'me', at: Date.now(), ...extra });
  };
  const refuse = (reason: 'too-many-transfers' | 'no-recipients') =>
    offers.refusedOffer({ type: 'files-refused', ref: lastOffer().ref, reason });
  const offerCount = () => rec.of('files-offer').length;
  const reconnect = () => {
    offers.detach('connection-lost');
    rec = recordingLink(people);
    offers.attach(rec.link);
    return rec;
  };
  return {
    get rec() {
      return rec;
    },
    offers,
    updates,
    lastOffer,
    number,
    refuse,
    offerCount,
    reconnect,
  };
}

test('the key: the same unchanged files give the same key; a change, other people or another secret give another', async () => {
  const a = await fileOf('key/a.bin');
  const b = await fileOf('key/b.bin');
  const secret = randomBytes(32);
  const keyOf = async (paths: string[], to?: string[], s = secret) => {
    const side = sender({ keySecret: s });
    void side.offers.offer(paths, to ? { to } : {});
    await until(() => side.offerCount() === 1, 'the offer');
    return side.lastOffer().key;
  };
  const first = await keyOf([a, b]);
  assert.match(first, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(await keyOf([a, b]), first, 'offered again, unchanged');
  assert.notEqual(await keyOf([a, b], undefined, randomBytes(32)), first, 'another secret');
  assert.notEqual(await keyOf([a, b], ['bob']), first, 'to someone');
  assert.equal(await keyOf([a, b], ['bob', 'ann']), await keyOf([a, b], ['ann', 'bob']), 'the same people in any order');
  assert.notEqual(await keyOf([a]), first, 'other files');
  await utimes(b, new Date(), new Date(Date.now() + 5000));
  assert.notEqual(await keyOf([a, b]), first, 'a file changed');
});

test('offered: the id is the host’s number; recipients’ states and progress make the view’s', async () => {
  const path = await fileOf('view.bin', 10_000);
  const side = sender();
  const offering = side.offers.offer([path], { to: ['ann', 'bob'] });
  await until(() => side.offerCount() === 1, 'the offer');
  assert.deepEqual(side.lastOffer().to, ['ann', 'bob']);
  assert.equal(side.updates.length, 0, 'nothing to show before the host answers');
  side.number(12);
  assert.equal(await offering, '12');
  let view = side.updates.at(-1)!;
  assert.deepEqual(
    [view.id, view.direction, view.fileName, view.size, view.state, view.files],
    ['12', 'outgoing', 'view.bin', 10_000, 'offered', undefined],
  );
  assert.deepEqual(
    view.to?.map((p) => p.name),
    ['Ann', 'Bob'],
  );
  assert.deepEqual(
    view.recipients?.map((r) => [r.member.name, r.state]),
    [
      ['Ann', 'waiting'],
      ['Bob', 'waiting'],
    ],
  );
  side.offers.recipient({ type: 'files-recipient', offer: 12, member: 'ann', state: 'receiving', bytes: 4000 });
  side.offers.recipient({ type: 'files-recipient', offer: 12, member: 'bob', state: 'declined', bytes: 0 });
  view = side.updates.at(-1)!;
  assert.equal(view.state, 'sending');
  assert.equal(view.bytes, 4000, 'the most progress among those receiving');
  assert.deepEqual(
    view.recipients?.map((r) => [r.member.name, r.state, r.bytes, r.reason]),
    [
      ['Ann', 'accepted', 4000, undefined],
      ['Bob', 'declined', 0, 'declined'],
    ],
  );
  side.offers.recipient({ type: 'files-recipient', offer: 12, member: 'ann', state: 'done', bytes: 10_000 });
  assert.equal(side.updates.at(-1)!.state, 'done', 'everyone it reached has it (the host keeps it open for later joiners)');
  side.offers.ended({ type: 'files-ended', offer: 12, reason: 'complete' });
  view = side.updates.at(-1)!;
  assert.deepEqual([view.state, view.bytes, view.percent, view.retryable], ['done', 10_000, 100, undefined]);
  assert.equal(side.offers.owns(12), false, 'over: the number is no longer ours to route');
});

test('clearing an offer everyone it reached has withdraws it from the host (nobody could see later takers) and forgets it', async () => {
  const path = await fileOf('cleared.bin');
  const side = sender();
  const offering = side.offers.offer([path]);
  await until(() => side.offerCount() === 1, 'the offer');
  side.number(21);
  await offering;
  side.offers.recipient({ type: 'files-recipient', offer: 21, member: 'ann', state: 'done', bytes: 10_000 });
  assert.equal(side.updates.at(-1)!.state, 'done');
  assert.deepEqual(side.offers.clearFinished(), ['21']);
  assert.deepEqual(side.rec.of('files-cancel'), [{ type: 'files-cancel', offer: 21, reason: 'cancelled' }]);
  assert.deepEqual(side.offers.list(), []);
  assert.equal(side.offers.owns(21), false);
});

test('ends: declined, no-answer and a recipient that failed, as people read them', async () => {
  const path = await fileOf('ends.bin');
  const side = sender();
  const run = async (n: number, reason: 'declined' | 'no-answer' | 'sender-left') => {
    const id = side.offers.offer([path], { to: [n % 2 ? 'ann' : 'bob', String(n)] });
    await until(() => side.offerCount() === n - 19, 'the offer');
    side.number(n);
    await id;
    side.offers.ended({ type: 'files-ended', offer: n, reason });
    return side.updates.at(-1)!;
  };
  assert.deepEqual(
    [(await run(20, 'declined')).state, (await run(21, 'no-answer')).state, (await run(22, 'sender-left')).state],
    ['declined', 'failed', 'failed'],
  );
  const noAnswer = side.offers.list().find((v) => v.id === '21')!;
  assert.equal(noAnswer.reason, 'no-answer');
  assert.equal(noAnswer.retryable, true);
  assert.match(noAnswer.message!, /Nobody answered/);
  side.offers.recipient({ type: 'files-recipient', offer: 23, member: 'ann', state: 'failed', bytes: 0, reason: 'disk-full' }); // not ours: nothing
  assert.equal(side.offers.list().length, 3);
});

test('refused for good: offer() fails with a sentence, and nothing is listed', async () => {
  const side = sender();
  const offering = side.offers.offer([await fileOf('alone.bin')]);
  await until(() => side.offerCount() === 1, 'the offer');
  side.refuse('no-recipients');
  await assert.rejects(offering, (err: PortholeError) => err.code === 'file-refused' && /Nobody else/.test(err.message));
  assert.deepEqual(side.offers.list(), []);
  assert.equal(side.offers.answered({ code: 'file-refused', message: 'x' }, side.lastOffer().ref), true, 'its error frame is no news');
});

test('too many offers: queued here as q1, q2… in order, offered as ours end, numbered with `was`', async () => {
  const side = sender();
  const open = side.offers.offer([await fileOf('q/open.bin')]);
  await until(() => side.offerCount() === 1, 'the first offer');
  side.number(5);
  assert.equal(await open, '5');

  const one = side.offers.offer([await fileOf('q/one.bin')]);
  await until(() => side.offerCount() === 2, 'the second offer');
  const oneKey = side.lastOffer().key;
  side.refuse('too-many-transfers');
  assert.equal(await one, 'q1');
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.state], ['q1', 'queued']);
  assert.equal(side.offers.answered({ code: 'too-many-transfers', message: 'x' }, side.lastOffer().ref), true);

  // Another while some wait: queued behind them (the first is tried again meanwhile).
  const two = await side.offers.offer([await fileOf('q/two.bin')]);
  assert.equal(two, 'q2');
  assert.equal(side.offerCount(), 3);
  assert.equal(side.lastOffer().key, oneKey, 'the first in the queue is the one tried');
  side.refuse('too-many-transfers');
  assert.deepEqual(
    side.offers.list().map((v) => [v.id, v.state]),
    [
      ['5', 'offered'],
      ['q1', 'queued'],
      ['q2', 'queued'],
    ],
  );

  // One of ours ends: the queue moves, in order, each numbered.
  side.offers.ended({ type: 'files-ended', offer: 5, reason: 'complete' });
  assert.equal(side.offerCount(), 4);
  assert.equal(side.lastOffer().key, oneKey);
  side.number(9);
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.was, side.updates.at(-1)!.state], ['9', 'q1', 'offered']);
  assert.equal(side.offerCount(), 5, 'the next queued one goes at once');
  side.number(10);
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.was], ['10', 'q2']);
  assert.deepEqual(
    side.offers.list().map((v) => v.id),
    ['5', '9', '10'],
  );
  side.offers.cancel('9');
  assert.deepEqual(side.rec.of('files-cancel').at(-1), { type: 'files-cancel', offer: 9, reason: 'cancelled' });
});

test('eighteen drops in a row against a limit of sixteen: none refused, two queued', async () => {
  const side = sender();
  const paths = await Promise.all(Array.from({ length: 18 }, (_, i) => fileOf(`many/${i}.bin`)));
  let numbered = 0;
  const ids: string[] = [];
  for (const path of paths) {
    const before = side.offerCount();
    const id = side.offers.offer([path]);
    // The 18th stays here at once, and the 17th is tried again meanwhile: either way one offer goes out.
    await until(() => side.offerCount() > before, 'an offer');
    if (numbered < 16) side.number(100 + numbered++);
    else side.refuse('too-many-transfers');
    ids.push(await id);
  }
  assert.equal(ids.filter((id) => /^\d+$/.test(id)).length, 16);
  assert.deepEqual(
    ids.filter((id) => id.startsWith('q')),
    ['q1', 'q2'],
  );
});

test('a lost connection pauses; back, every open offer is offered again with its key and keeps its view', async () => {
  const path = await fileOf('resume.bin', 2_000_000);
  const side = sender();
  const id = side.offers.offer([path]);
  await until(() => side.offerCount() === 1, 'the offer');
  const key = side.lastOffer().key;
  side.number(7);
  await id;
  side.offers.stream({ type: 'files-stream', offer: 7, stream: 1, from: 0 });
  side.offers.credit({ type: 'files-credit', stream: 1, upTo: 600_000 });
  side.offers.recipient({ type: 'files-recipient', offer: 7, member: 'ann', state: 'receiving', bytes: 262_144 });
  await until(() => side.rec.frames.length === 3, 'the first frames');

  const old = side.rec;
  side.reconnect();
  old.state.open = false;
  let view = side.updates.at(-1)!;
  assert.deepEqual([view.id, view.state, view.recipients?.[0]?.state], ['7', 'paused', 'paused']);
  side.offers.credit({ type: 'files-credit', stream: 1, upTo: 2_000_000 }); // the old stream is gone
  assert.equal(side.offerCount(), 1, 'offered again on the new connection');
  assert.equal(side.lastOffer().key, key, 'with the same key');
  side.number(7); // the host kept it
  view = side.updates.at(-1)!;
  assert.deepEqual([view.id, view.was, view.state], ['7', undefined, 'offered']);
  side.offers.stream({ type: 'files-stream', offer: 7, stream: 2, from: 524_288 });
  side.offers.credit({ type: 'files-credit', stream: 2, upTo: 2_000_000 });
  await until(() => decode(side.rec.frames).some((f) => f.kind === 'sum'), 'the rest');
  assert.equal(decode(side.rec.frames)[0]!.position, 524_288, 'from where the recipient had got to');
  assert.equal(old.frames.length, 3, 'nothing more on the old connection');

  // Back again to a host that numbers it anew (it restarted): the same item, its new id and `was`.
  side.reconnect();
  side.number(3);
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.was], ['3', '7']);
  assert.deepEqual(
    side.offers.list().map((v) => v.id),
    ['3'],
  );
});

test('an offer on its way when the connection went: offer() says q<n>, it goes again when back', async () => {
  const side = sender();
  const id = side.offers.offer([await fileOf('midway.bin')]);
  await until(() => side.offerCount() === 1, 'the offer');
  side.reconnect();
  assert.equal(await id, 'q1');
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.state], ['q1', 'paused']);
  assert.equal(side.offerCount(), 1);
  side.number(4);
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.was], ['4', 'q1']);
});

test('leaving ends every offer; the host leaving fails them', async () => {
  const side = sender();
  const a = side.offers.offer([await fileOf('leave/a.bin')]);
  await until(() => side.offerCount() === 1, 'the offer');
  side.number(1);
  await a;
  const b = side.offers.offer([await fileOf('leave/b.bin')]);
  await until(() => side.offerCount() === 2, 'the second offer');
  side.offers.detach('host-left');
  await assert.rejects(b, (err: PortholeError) => err.code === 'not-connected');
  assert.deepEqual(
    side.offers.list().map((v) => [v.id, v.state, v.reason]),
    [['1', 'failed', 'host-left']],
  );
  await assert.rejects(side.offers.offer([await fileOf('leave/c.bin')]), (err: PortholeError) => err.code === 'not-connected');

  // Cut off, and the session never came back: what was open failed with connection-lost.
  const cutOff = sender();
  const d = cutOff.offers.offer([await fileOf('leave/d.bin')]);
  await until(() => cutOff.offerCount() === 1, 'the offer');
  cutOff.number(2);
  await d;
  cutOff.offers.detach('connection-lost');
  assert.equal(cutOff.updates.at(-1)!.state, 'paused');
  cutOff.offers.close('connection-lost');
  assert.deepEqual(
    [cutOff.updates.at(-1)!.state, cutOff.updates.at(-1)!.reason, cutOff.updates.at(-1)!.retryable],
    ['failed', 'connection-lost', true],
  );
});

test('cancelled, then tried again: offered again with the same key; the new number carries `was`', async () => {
  const side = sender();
  const id = side.offers.offer([await fileOf('retry.bin')]);
  await until(() => side.offerCount() === 1, 'the offer');
  const key = side.lastOffer().key;
  side.number(30);
  await id;
  side.offers.cancel('30');
  assert.deepEqual([side.updates.at(-1)!.state, side.updates.at(-1)!.retryable], ['cancelled', true]);
  const retry = side.offers.retry('30');
  await until(() => side.offerCount() === 2, 'the offer again');
  assert.equal(side.lastOffer().key, key);
  side.number(31);
  await retry;
  assert.deepEqual([side.updates.at(-1)!.id, side.updates.at(-1)!.was, side.updates.at(-1)!.state], ['31', '30', 'offered']);
  await assert.rejects(side.offers.retry('31'), /failed or was cancelled/);
});

test('members on files/1 only: a single file goes to each by files/1; a folder says who cannot have it', async () => {
  const legacy: Array<[string, string]> = [];
  const side = sender({
    legacyOffer: async (path, member) => {
      legacy.push([path, member]);
      return 'v1-id';
    },
  });
  const file = await fileOf('legacy/one.bin');
  const one = side.offers.offer([file]);
  await until(() => side.offerCount() === 1, 'the offer');
  side.number(40, { legacy: ['old1', 'old2'] });
  await one;
  assert.deepEqual(legacy, [
    [file, 'old1'],
    [file, 'old2'],
  ]);
  side.reconnect();
  side.number(40, { legacy: ['old1', 'old3'] });
  assert.deepEqual(legacy.at(-1), [file, 'old3'], 'each member once');
  assert.equal(legacy.length, 3);

  await mkdir(join(root, 'legacy', 'Folder', 'inner'), { recursive: true });
  await writeFile(join(root, 'legacy', 'Folder', 'inner', 'x.txt'), 'x');
  const folder = side.offers.offer([join(root, 'legacy', 'Folder')]);
  await until(() => side.offerCount() === 2, 'the folder offer');
  side.number(41, { legacy: ['old1'] });
  await folder;
  assert.equal(legacy.length, 3, 'a folder cannot go by files/1');
  assert.equal(side.updates.at(-1)!.message, '1 person in the room has an older Porthole that cannot receive folders.');

  // Nobody on files/2 at all, some on files/1: the file goes to them that way.
  const alone = side.offers.offer([await fileOf('legacy/alone.bin')]);
  await until(() => side.offerCount() === 3, 'the offer');
  side.offers.refusedOffer({ type: 'files-refused', ref: side.lastOffer().ref, reason: 'no-recipients', legacy: ['old9'] });
  assert.equal(await alone, 'v1-id');
  assert.equal(legacy.at(-1)![1], 'old9');
});

test('a symbolic link inside a folder is not sent, and an empty folder alone cannot be', async () => {
  const dir = join(root, 'links', 'Share');
  await mkdir(join(dir, 'empty'), { recursive: true });
  await writeFile(join(dir, 'real.txt'), 'real');
  await writeFile(join(root, 'links', 'secret.txt'), 'secret');
  await symlink(join(root, 'links', 'secret.txt'), join(dir, 'secret-link.txt'));
  const side = sender();
  const id = side.offers.offer([dir]);
  await until(() => side.offerCount() === 1, 'the offer');
  const offer = side.lastOffer();
  assert.deepEqual([offer.files, offer.bytes], [1, 4]);
  side.number(50);
  await id;
  side.offers.stream({ type: 'files-stream', offer: 50, stream: 1, from: 0 });
  side.offers.credit({ type: 'files-credit', stream: 1, upTo: offer.manifest + offer.bytes });
  await until(() => decode(side.rec.frames).filter((f) => f.kind === 'sum').length === 2, 'both checksums');
  const data = Buffer.concat(
    decode(side.rec.frames)
      .filter((f) => f.kind === 'data')
      .map((f) => f.payload),
  ).toString();
  assert.ok(!data.includes('secret'), 'neither the link nor what it leads to');
  assert.deepEqual(JSON.parse(data.slice(0, offer.manifest)), { files: [{ path: 'real.txt', size: 4 }], folders: ['empty'] });
  await settle();
  await assert.rejects(sender().offers.offer([join(dir, 'empty')]), (err: PortholeError) => err.code === 'file-unreadable');
});
