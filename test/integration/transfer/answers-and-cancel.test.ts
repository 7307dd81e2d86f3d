import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chatTexts, closeAll, files1Only, waitFor } from '../../fixtures/room';
import { filesIn, isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

// files/1 (PROTOCOL.md §9), which older peers speak: rooms that speak only it.
const { join, startHost } = files1Only;

afterEach(closeAll);
afterEach(removeTempDirs);

const MB = 1024 * 1024;

async function room(aliceAccepts: boolean) {
  const [hostDir, aliceDir, bobDir, src] = await Promise.all([tempDir(), tempDir(), tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostDir, autoAccept: true } });
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceDir, autoAccept: aliceAccepts } });
  const bob = await join(host, 'Bob', { transfers: { downloadDir: bobDir, autoAccept: true } });
  return { host, alice, bob, hostDir, aliceDir, bobDir, src };
}

test('a recipient sees name, size and sender and declines; the sender sees each answer; the other still gets it', async () => {
  const { host, alice, bob, aliceDir, bobDir, src } = await room(false);
  const path = await randomFile(src, 'report.pdf', 5000);
  const sending = host.transfers.offer(path);
  const offer = await waitForTransfer(alice.transfers, (v) => v.state === 'offered');
  assert.deepEqual([offer.fileName, offer.size, offer.from?.name, offer.direction], ['report.pdf', 5000, 'Host', 'incoming']);
  alice.transfers.decline(offer.id);
  const id = await sending;
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v));
  assert.equal(sent.state, 'done');
  const byName = Object.fromEntries(sent.recipients!.map((r) => [r.member.name, [r.state, r.reason]]));
  assert.deepEqual(byName, { Alice: ['declined', 'declined'], Bob: ['done', undefined] });
  assert.equal((await waitForTransfer(alice.transfers, (v) => v.id === offer.id)).state, 'declined');
  assert.deepEqual(await filesIn(aliceDir), []);
  assert.equal(await sha256File(`${bobDir}/report.pdf`), await sha256File(path));
  // Everyone declining ends it as declined for the sender.
  const lonely = await startHost();
  const carol = await join(lonely, 'Carol');
  carol.transfers.on('offer', (v) => carol.transfers.decline(v.id));
  const id2 = await lonely.transfers.offer(path);
  const declined = await waitForTransfer(lonely.transfers, (v) => v.id === id2 && isFinal(v));
  assert.deepEqual([declined.state, declined.reason], ['declined', 'declined']);
  void bob;
});

test('the sender cancels mid-way: every recipient ends with "cancelled" and no partial file', async () => {
  const { host, alice, bob, aliceDir, bobDir, src } = await room(true);
  const path = await randomFile(src, 'big.bin', 400 * MB);
  const id = await host.transfers.offer(path);
  await waitForTransfer(bob.transfers, (v) => v.bytes > 0, 20_000, 'bytes to flow');
  host.transfers.cancel(id);
  for (const guest of [alice, bob]) {
    const got = await waitForTransfer(guest.transfers, (v) => isFinal(v));
    assert.deepEqual([got.state, got.reason], ['cancelled', 'cancelled']);
  }
  assert.equal((await waitForTransfer(host.transfers, (v) => v.id === id)).state, 'cancelled');
  assert.deepEqual(await filesIn(aliceDir), []);
  assert.deepEqual(await filesIn(bobDir), []);
});

test('a recipient cancels mid-way: only it drops out; the sender sees why; the other finishes', async () => {
  const { alice, bob, hostDir, bobDir, src, host } = await room(true);
  const path = await randomFile(src, 'big.bin', 120 * MB);
  const id = await alice.transfers.offer(path);
  const incoming = await waitForTransfer(bob.transfers, (v) => v.bytes > 0, 20_000, 'bytes to flow');
  bob.transfers.cancel(incoming.id);
  const sent = await waitForTransfer(alice.transfers, (v) => v.id === id && isFinal(v), 60_000);
  assert.equal(sent.state, 'done');
  const byName = Object.fromEntries(sent.recipients!.map((r) => [r.member.name, [r.state, r.reason]]));
  assert.deepEqual(byName, { Host: ['done', undefined], Bob: ['ended', 'cancelled'] });
  assert.equal((await waitForTransfer(bob.transfers, (v) => v.id === incoming.id)).state, 'cancelled');
  assert.deepEqual(await filesIn(bobDir), []);
  assert.equal(await sha256File(`${hostDir}/big.bin`), await sha256File(path));
  void host;
});

test('chunks already on the way when a recipient cancels are not held against the sender', async () => {
  const { alice, bob, src, host } = await room(false);
  alice.transfers.on('offer', (v) => alice.transfers.decline(v.id));
  host.transfers.on('offer', (v) => host.transfers.decline(v.id));
  const path = await randomFile(src, 'big.bin', 40 * MB);
  // More rounds than the offense budget (5): each cancel leaves chunks in flight behind it.
  for (let round = 0; round < 7; round++) {
    const id = await alice.transfers.offer(path);
    const incoming = await waitForTransfer(
      bob.transfers,
      (v) =>
        v.state === 'receiving' &&
        v.bytes > 0 &&
        !bob.transfers.list().some((o) => o.id !== v.id && !isFinal(o) && o.state === 'receiving' && o.bytes === 0),
      20_000,
      'bytes to flow',
    );
    bob.transfers.cancel(incoming.id);
    const sent = await waitForTransfer(alice.transfers, (v) => v.id === id && isFinal(v), 20_000);
    assert.equal(sent.recipients?.find((r) => r.member.name === 'Bob')?.reason, 'cancelled');
  }
  assert.equal(host.stats.offenses, 0);
  assert.equal(alice.state, 'connected', 'the sender is still in the room');
  alice.send('still here');
  await waitFor(bob, () => chatTexts(bob.seen).includes('still here'));
});

test('the sender disconnects mid-way: recipients end with "sender-left" and keep no partial file', async () => {
  const { host, alice, hostDir, bobDir, bob, src } = await room(true);
  const path = await randomFile(src, 'big.bin', 400 * MB);
  await alice.transfers.offer(path);
  await waitForTransfer(bob.transfers, (v) => v.bytes > 0, 20_000, 'bytes to flow');
  (alice as unknown as { ws: { terminate(): void } }).ws.terminate(); // the connection breaks, as in a crash
  for (const who of [host.transfers, bob.transfers]) {
    const got = await waitForTransfer(who, (v) => v.direction === 'incoming' && isFinal(v));
    assert.deepEqual([got.state, got.reason], ['failed', 'sender-left']);
    assert.match(got.message ?? '', /sender left/);
  }
  const mine = await waitForTransfer(alice.transfers, (v) => isFinal(v));
  assert.deepEqual([mine.state, mine.reason], ['failed', 'connection-lost']);
  assert.deepEqual(await filesIn(hostDir), []);
  assert.deepEqual(await filesIn(bobDir), []);
});

test('the host closes the room mid-way: guests end with "host-left", no partial file', async () => {
  const { host, alice, aliceDir, src } = await room(true);
  const path = await randomFile(src, 'big.bin', 400 * MB);
  await host.transfers.offer(path);
  await waitForTransfer(alice.transfers, (v) => v.bytes > 0, 20_000, 'bytes to flow');
  await host.close();
  const got = await waitForTransfer(alice.transfers, (v) => isFinal(v));
  assert.deepEqual([got.state, got.reason], ['failed', 'host-left']);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(await filesIn(aliceDir), []);
});

test('chat keeps flowing while a file moves: messages arrive before the transfer is over', async () => {
  const { host, alice, bob, src } = await room(true);
  const path = await randomFile(src, 'big.bin', 300 * MB);
  const id = await alice.transfers.offer(path);
  await waitForTransfer(bob.transfers, (v) => v.bytes > 0, 20_000, 'bytes to flow');
  for (let i = 0; i < 3; i++) {
    bob.send(`during ${i}`);
    host.send(`host during ${i}`);
    await waitFor(alice, () => chatTexts(alice.seen).includes(`during ${i}`) && chatTexts(alice.seen).includes(`host during ${i}`), 10_000);
    await waitFor(bob, () => chatTexts(bob.seen).includes(`host during ${i}`), 10_000);
  }
  const view = alice.transfers.list().find((v) => v.id === id)!;
  assert.equal(view.state, 'sending', 'the chat round trips finished while the file was still moving');
  assert.ok(view.bytes < view.size);
  await waitForTransfer(alice.transfers, (v) => v.id === id && v.state === 'done', 60_000);
});
