// files/1 (PROTOCOL.md §9) as an independent client reads it: an offer nobody takes ends with an
// event for the sender, and an ack that does not advance ends that recipient's part with bad-data.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_HEADER_BYTES, writeChunkHeader } from '../../../src-main/features/files/chunk-frame';
import { closeAll, startHost } from '../../fixtures/room';
import { RawPeer, closeRawPeers, type RawFrame } from '../../fixtures/raw-peer';

afterEach(closeAll);
afterEach(closeRawPeers);

const idOf = (p: RawPeer) => (p.frames.find((f) => f.type === 'welcome') as RawFrame & { you: { id: string } }).you.id;

test('files/1: when every recipient declines, the sender gets file-cancelled with declined', async () => {
  const host = await startHost();
  const sender = await RawPeer.joined(host, 'Sender');
  const ann = await RawPeer.joined(host, 'Ann');
  sender.send({ type: 'file-offer', ref: 'r1', name: 'a.txt', size: 3, to: idOf(ann) });
  const offered = await ann.next((f) => f.type === 'file-offered');
  ann.send({ type: 'file-answer', transfer: offered.transfer, accept: false });
  const end = await sender.next((f) => f.type === 'file-cancelled' && f.transfer === offered.transfer && f.member === undefined);
  assert.equal(end.reason, 'declined');
});

test('files/1: an ack that does not advance ends that recipient with bad-data and counts as an offense', async () => {
  const host = await startHost();
  const sender = await RawPeer.joined(host, 'Sender');
  const ann = await RawPeer.joined(host, 'Ann');
  const size = 2 * 262_144;
  sender.send({ type: 'file-offer', ref: 'r2', name: 'b.bin', size, to: idOf(ann) });
  const offered = await ann.next((f) => f.type === 'file-offered');
  const transfer = offered.transfer as number;
  ann.send({ type: 'file-answer', transfer, accept: true });
  await sender.next((f) => f.type === 'file-credit');
  sender.send(writeChunkHeader(Buffer.concat([Buffer.alloc(CHUNK_HEADER_BYTES), Buffer.alloc(262_144, 7)]), transfer, 0));
  await new Promise((r) => setTimeout(r, 200));
  ann.send({ type: 'file-ack', transfer, bytes: 262_144 });
  ann.send({ type: 'file-ack', transfer, bytes: 262_144 });
  assert.equal((await ann.next((f) => f.type === 'file-cancelled' && f.transfer === transfer)).reason, 'bad-data');
  const out = await sender.next((f) => f.type === 'file-cancelled' && f.member === idOf(ann));
  assert.equal(out.reason, 'bad-data');
  assert.ok(ann.errors().includes('invalid-message'));
});
