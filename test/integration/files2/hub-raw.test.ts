// The files/2 hub (PROTOCOL.md §11) driven by hand-made peers over real sockets: who gets which
// stream, credit per stream, late joiners, the end of every offer, broken acks, and the host's
// last words. The member side's own tests go through sessions (basic.test.ts and others).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeAll, startHost, sleep } from '../../fixtures/room';
import { RawPeer, closeRawPeers, type RawFrame } from '../../fixtures/raw-peer';
import {
  FRAME_HEADER_BYTES,
  KIND_DATA,
  MAX_UNWRITTEN_BYTES,
  readFrameHeader,
  writeFrameHeader,
} from '../../../src-main/features/files/v2/files2-frames';
import type { Files2Policy } from '../../../src-main/features/files/v2/hub/hub-records';
import type { RoomHost } from '../../../src-main/session/room-host';

afterEach(closeAll);
afterEach(closeRawPeers);

const V2 = ['chat/1', 'files/2'];
const key = () => randomBytes(16).toString('base64url').slice(0, 22);

async function room(policy2: Partial<Files2Policy> = {}): Promise<RoomHost> {
  return startHost({ transfers: { policy2 } });
}

const peer = (host: RoomHost, name: string) => RawPeer.joined(host, name, { features: V2 });

function memberId(p: RawPeer): string {
  const welcome = p.frames.find((f) => f.type === 'welcome') as RawFrame & { you: { id: string } };
  return welcome.you.id;
}

/** The frames after the `n`-th one that match (the raw peer keeps everything). */
async function nth(p: RawPeer, n: number, match: (f: RawFrame) => boolean, timeoutMs = 3000): Promise<RawFrame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = p.frames.filter(match);
    if (found.length >= n) return found[n - 1]!;
    if (Date.now() > deadline) throw new Error(`no frame #${n}; got ${JSON.stringify(p.frames.map((f) => f.type))}`);
    await sleep(10);
  }
}

function dataFrame(stream: number, offset: number, payload: Buffer): Buffer {
  return writeFrameHeader(Buffer.concat([Buffer.alloc(FRAME_HEADER_BYTES), payload]), KIND_DATA, stream, offset);
}

/** The data a peer got for a stream set, in order of arrival, as one buffer. */
function received(p: RawPeer, streams: Set<number>): Buffer {
  const parts = p.binaries.filter((b) => b[0] === KIND_DATA && streams.has(readFrameHeader(b)!.stream));
  return Buffer.concat(parts.map((b) => b.subarray(FRAME_HEADER_BYTES)));
}

async function offer(sender: RawPeer, size: number, extra: object = {}): Promise<number> {
  const ref = `r${randomBytes(3).toString('hex')}`;
  sender.send({ type: 'files-offer', ref, key: key(), name: 'a.bin', files: 1, bytes: size, manifest: 0, ...extra });
  const offered = await sender.next((f) => (f.type === 'files-offered' || f.type === 'files-refused') && f.ref === ref);
  assert.equal(offered.type, 'files-offered', JSON.stringify(offered));
  return offered.offer as number;
}

test('the first to accept starts at once; one accepting a moment later shares the stream and gets every byte', async () => {
  const host = await room();
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const bob = await peer(host, 'Bob');
  const carl = await peer(host, 'Carl'); // never answers
  const body = randomBytes(600_000);
  const id = await offer(sender, body.length);
  for (const p of [ann, bob, carl]) await p.next((f) => f.type === 'files-offered' && f.offer === id);
  ann.send({ type: 'files-accept', offer: id, from: 0 });
  const stream = (await sender.next((f) => f.type === 'files-stream' && f.offer === id)).stream as number;
  const credit = await sender.next((f) => f.type === 'files-credit' && f.stream === stream);
  assert.equal(credit.upTo, body.length, 'credit without waiting for Bob or Carl');
  sender.send(dataFrame(stream, 0, body.subarray(0, 262_144)));
  await sleep(100);
  bob.send({ type: 'files-accept', offer: id, from: 0 });
  const bobStream = await bob.next((f) => f.type === 'files-stream' && f.offer === id);
  assert.equal(bobStream.stream, stream, 'Bob joins the young stream');
  sender.send(dataFrame(stream, 262_144, body.subarray(262_144, 524_288)));
  sender.send(dataFrame(stream, 524_288, body.subarray(524_288)));
  for (const p of [ann, bob]) {
    const deadline = Date.now() + 3000;
    while (received(p, new Set([stream])).length < body.length && Date.now() < deadline) await sleep(10);
    assert.deepEqual(received(p, new Set([stream])), body);
  }
  assert.equal(sender.frames.filter((f) => f.type === 'files-stream').length, 1, 'the sender uploads once');
  assert.equal(carl.binaries.length, 0);
});

test('a member who joins after the offer sees it and gets a stream of its own when the first has moved on', async () => {
  const host = await room({ joinMs: 50 });
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const body = randomBytes(300_000);
  const id = await offer(sender, body.length);
  ann.send({ type: 'files-accept', offer: id, from: 0 });
  const first = (await sender.next((f) => f.type === 'files-stream')).stream as number;
  await sender.next((f) => f.type === 'files-credit' && f.stream === first);
  sender.send(dataFrame(first, 0, body.subarray(0, 100_000)));
  await sleep(150);
  const late = await peer(host, 'Late');
  const offered = await late.next((f) => f.type === 'files-offered' && f.offer === id);
  assert.equal(offered.from, memberId(sender));
  const waiting = await sender.next((f) => f.type === 'files-recipient' && f.member === memberId(late));
  assert.equal(waiting.state, 'waiting');
  late.send({ type: 'files-accept', offer: id, from: 0 });
  const own = await nth(sender, 2, (f) => f.type === 'files-stream');
  assert.notEqual(own.stream, first);
  assert.equal(own.from, 0);
  assert.equal((await late.next((f) => f.type === 'files-stream')).stream, own.stream);
});

test('nobody accepting ends the offer for the sender with a reason; an offer to nobody is refused', async () => {
  const host = await room();
  const sender = await peer(host, 'Sender');
  const lonely = await peer(host, 'Lonely');
  const ref = 'alone';
  sender.send({ type: 'files-offer', ref, key: key(), name: 'x', files: 1, bytes: 1, manifest: 0, to: ['nobody-here'] });
  const refused = await sender.next((f) => f.type === 'files-refused' && f.ref === ref);
  assert.equal(refused.reason, 'no-recipients');
  const ann = await peer(host, 'Ann');
  const id = await offer(sender, 10, { to: [memberId(lonely), memberId(ann)] });
  for (const p of [lonely, ann]) p.send({ type: 'files-decline', offer: id });
  const ended = await sender.next((f) => f.type === 'files-ended' && f.offer === id);
  assert.equal(ended.reason, 'declined');
});

test('a room offer nobody takes closes with no-answer once its open time has passed', async () => {
  const host = await room({ openMs: 300 });
  const sender = await peer(host, 'Sender');
  const quiet = await peer(host, 'Quiet');
  const id = await offer(sender, 10);
  const ended = await sender.next((f) => f.type === 'files-ended' && f.offer === id, 5000);
  assert.equal(ended.reason, 'no-answer');
  assert.equal((await quiet.next((f) => f.type === 'files-ended' && f.offer === id)).reason, 'no-answer');
});

test('an ack that does not advance, or covers bytes not sent, ends that recipient with bad-data and counts against it', async () => {
  const host = await room();
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const bob = await peer(host, 'Bob');
  const body = randomBytes(2 * 1024 * 1024);
  const id = await offer(sender, body.length);
  ann.send({ type: 'files-accept', offer: id, from: 0 });
  const stream = (await ann.next((f) => f.type === 'files-stream')).stream as number;
  bob.send({ type: 'files-accept', offer: id, from: 0 });
  await bob.next((f) => f.type === 'files-stream');
  await sender.next((f) => f.type === 'files-credit');
  sender.send(dataFrame(stream, 0, body.subarray(0, 262_144)));
  await sleep(200);
  ann.send({ type: 'files-ack', stream, bytes: 5_000_000 });
  assert.equal((await ann.next((f) => f.type === 'files-ended' && f.offer === id)).reason, 'bad-data');
  assert.ok(ann.errors().includes('invalid-message'));
  const annOut = await sender.next((f) => f.type === 'files-recipient' && f.member === memberId(ann) && f.state === 'failed');
  assert.equal(annOut.reason, 'bad-data');
  bob.send({ type: 'files-ack', stream, bytes: 262_144 });
  await sleep(50);
  bob.send({ type: 'files-ack', stream, bytes: 262_144 });
  assert.equal((await bob.next((f) => f.type === 'files-ended' && f.offer === id)).reason, 'bad-data');
});

test('a recipient that stops reading is moved to a stream of its own; the fast one finishes at full credit', async () => {
  const host = await room({ lagSplitMs: 200, windowBytes: 1024 * 1024 });
  const sender = await peer(host, 'Sender');
  const fast = await peer(host, 'Fast');
  const slow = await peer(host, 'Slow');
  const size = 4 * 1024 * 1024;
  const body = randomBytes(size);
  const id = await offer(sender, size);
  fast.send({ type: 'files-accept', offer: id, from: 0 });
  slow.send({ type: 'files-accept', offer: id, from: 0 });
  const shared = (await fast.next((f) => f.type === 'files-stream')).stream as number;
  assert.equal((await slow.next((f) => f.type === 'files-stream')).stream, shared);
  let sent = 0;
  const pump = async (stream: number) => {
    const credits = sender.frames.filter((f) => f.type === 'files-credit' && f.stream === stream).map((f) => f.upTo as number);
    const upTo = Math.max(0, ...credits);
    while (sent < upTo) {
      const n = Math.min(262_144, upTo - sent);
      sender.send(dataFrame(stream, sent, body.subarray(sent, sent + n)));
      sent += n;
    }
  };
  const deadline = Date.now() + 8000;
  let acked = 0;
  while (acked < size && Date.now() < deadline) {
    await pump(shared);
    const got = received(fast, new Set([shared])).length;
    const ackable = got === size ? size : got - (got % (256 * 1024));
    if (ackable > acked) {
      acked = ackable;
      fast.send({ type: 'files-ack', stream: shared, bytes: acked });
    }
    await sleep(20);
  }
  assert.equal(acked, size, 'the fast one got everything although the slow one never acked');
  const split = sender.frames.filter((f) => f.type === 'files-stream' && f.offer === id);
  assert.equal(split.length, 2, 'the slow one got a stream of its own');
  const own = split[1]!;
  assert.equal((await slow.next((f) => f.type === 'files-stream' && f.stream === own.stream)).from, own.from);
  assert.ok((own.from as number) > 0, 'it continues where the shared stream had got to for it');
});

test('a closing host tells every member of an open offer host-left before the close', async () => {
  const host = await room();
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const id = await offer(sender, 1000);
  await ann.next((f) => f.type === 'files-offered');
  await host.close();
  for (const p of [sender, ann]) {
    const { code } = await p.closed();
    assert.ok(code > 0);
    assert.equal(p.frames.find((f) => f.type === 'files-ended' && f.offer === id)?.reason, 'host-left');
  }
});

test('a sender who comes back offers the same key again and keeps its number; recipients hear of it again', async () => {
  const host = await room();
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const k = key();
  sender.send({ type: 'files-offer', ref: 'one', key: k, name: 'a', files: 1, bytes: 4, manifest: 0 });
  const id = (await sender.next((f) => f.type === 'files-offered')).offer as number;
  ann.send({ type: 'files-accept', offer: id, from: 0 });
  await ann.next((f) => f.type === 'files-stream');
  const welcome = sender.frames.find((f) => f.type === 'welcome') as RawFrame & { resumeToken: string };
  sender.ws.terminate();
  assert.equal((await ann.next((f) => f.type === 'files-ended' && f.offer === id)).reason, 'sender-left');
  const back = await RawPeer.connect(host);
  back.send({ type: 'hello', name: 'Sender', features: V2, resume: { token: welcome.resumeToken, lastSeq: 0 } });
  await back.next((f) => f.type === 'welcome');
  back.send({ type: 'files-offer', ref: 'two', key: k, name: 'a', files: 1, bytes: 4, manifest: 0 });
  assert.equal((await back.next((f) => f.type === 'files-offered' && f.ref === 'two')).offer, id);
  const again = await nth(ann, 2, (f) => f.type === 'files-offered' && f.offer === id);
  assert.equal(again.offer, id);
});

test('frames out of order end the offer with bad-data for everyone', async () => {
  const host = await room();
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const id = await offer(sender, 600_000);
  ann.send({ type: 'files-accept', offer: id, from: 0 });
  const stream = (await sender.next((f) => f.type === 'files-stream')).stream as number;
  await sender.next((f) => f.type === 'files-credit');
  sender.send(dataFrame(stream, 1000, randomBytes(10)));
  assert.equal((await ann.next((f) => f.type === 'files-ended')).reason, 'bad-data');
  assert.equal((await sender.next((f) => f.type === 'files-ended')).reason, 'bad-data');
  assert.ok(sender.errors().includes('binary-not-expected'));
});

/**
 * One stream from a hand-made sender that sends all its credit at once to a recipient that reads
 * at once but whose acks reach the host 200 ms late (a long trip): the widest credit granted ahead
 * of the acks.
 */
async function widestWindow(host: Awaited<ReturnType<typeof room>>, bytes: number): Promise<number> {
  const MiB = 1024 * 1024;
  const sender = await peer(host, 'Sender');
  const ann = await peer(host, 'Ann');
  const body = randomBytes(bytes);
  const id = await offer(sender, body.length);
  ann.send({ type: 'files-accept', offer: id, from: 0 });
  const stream = (await sender.next((f) => f.type === 'files-stream' && f.offer === id)).stream as number;
  let sent = 0;
  let acked = 0;
  let ackedSent = 0;
  let widest = 0;
  let seenCredits = 0;
  const deadline = Date.now() + 30_000;
  while (acked < body.length && Date.now() < deadline) {
    const credits = sender.frames.filter((f) => f.type === 'files-credit' && f.stream === stream);
    for (const c of credits.slice(seenCredits)) widest = Math.max(widest, (c.upTo as number) - acked);
    seenCredits = credits.length;
    const upTo = (credits.at(-1)?.upTo as number | undefined) ?? 0;
    while (sent < upTo) {
      const n = Math.min(262_144, upTo - sent);
      sender.send(dataFrame(stream, sent, body.subarray(sent, sent + n)));
      sent += n;
    }
    const got = received(ann, new Set([stream])).length;
    const next = got === body.length ? got : Math.floor(got / MiB) * MiB;
    if (next > ackedSent) {
      ackedSent = next;
      setTimeout(() => {
        ann.send({ type: 'files-ack', stream, bytes: next });
        acked = next;
      }, 200);
    }
    await sleep(5);
  }
  assert.equal(acked, body.length, 'everything arrived and was acked');
  return widest;
}

test('a sender held back only by a long round trip gets a larger window, up to the most the host allows', async () => {
  const MiB = 1024 * 1024;
  const widest = await widestWindow(await room({ windowBytes: MiB, maxWindowBytes: 4 * MiB }), 24 * MiB);
  assert.ok(widest > MiB + 262_144, `the window grew past its first 1 MiB (widest credit ahead of the acks: ${widest})`);
  assert.ok(widest <= 4 * MiB, `and never past the most allowed (${widest})`);
});

test('a window never grows past what a recipient holds unwritten, whatever the policy asks', async () => {
  // A recipient refuses data more than MAX_UNWRITTEN_BYTES past what it has written (bad-data):
  // a window of 64 MiB once broke transfers to a recipient whose disk fell behind.
  const MiB = 1024 * 1024;
  const widest = await widestWindow(await room({ windowBytes: 30 * MiB, maxWindowBytes: 64 * MiB }), 64 * MiB);
  assert.ok(widest <= MAX_UNWRITTEN_BYTES, `credit ahead of the acks stayed within ${MAX_UNWRITTEN_BYTES} (${widest})`);
});
