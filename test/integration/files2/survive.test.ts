// files/2 surviving real networks (issue 12): a connection cut mid-transfer continues where it
// stopped and saves a byte-identical file; a recipient that quits and comes back, and a sender
// that quits and comes back, resume from what was kept; nothing kept is left in sight.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, readdir } from 'node:fs/promises';
import { closeAll, inviteFor, join, startHost, waitFor } from '../../fixtures/room';
import { TcpProxy, closeProxies } from '../../fixtures/tcp-proxy';
import { isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';

afterEach(closeAll);
afterEach(closeProxies);
afterEach(removeTempDirs);

const MB = 1024 * 1024;

test('a connection cut half-way continues where it stopped: byte-identical, and under 1.1× the size on the wire', async () => {
  const [src, annDir] = await Promise.all([tempDir(), tempDir()]);
  const size = 48 * MB;
  const path = await randomFile(src, 'big.bin', size);
  const host = await startHost();
  const proxy = await TcpProxy.start(host.port);
  const ann = await join(host, 'Ann', { transfers: { downloadDir: annDir, autoAccept: true } }, inviteFor(host, { port: proxy.port }));
  let cut = false;
  proxy.onBytes = (direction, total) => {
    if (direction === 'to-guest' && !cut && total > size / 2) {
      cut = true;
      proxy.cutAll();
    }
  };
  const id = await host.transfers.offer([path]);
  const paused = await waitForTransfer(ann.transfers, (v) => v.id === id && v.state === 'paused', 20_000, 'Ann paused');
  assert.ok(paused.bytes > 0 && paused.bytes < size, `paused part-way (${paused.bytes})`);
  assert.equal(paused.retryable, true);
  const done = await waitForTransfer(ann.transfers, (v) => v.id === id && isFinal(v), 60_000, 'Ann done');
  assert.equal(done.state, 'done', done.message);
  assert.equal(await sha256File(done.savedPath!), await sha256File(path));
  assert.ok(proxy.accepted >= 2, 'Ann reconnected');
  assert.ok(proxy.bytes['to-guest'] < 1.1 * size, `sent ${proxy.bytes['to-guest']} bytes for a ${size}-byte file`);
  assert.deepEqual(
    (await readdir(annDir)).filter((n) => !n.startsWith('.')),
    ['big.bin'],
    'only the finished file is in sight',
  );
  assert.deepEqual(await readdir(`${annDir}/.porthole-partial`).catch(() => []), [], 'kept data is gone once saved');
});

/** Cuts the proxy's connections once `bytes` have passed `direction`, and runs `then` right after. */
function cutAfter(proxy: TcpProxy, direction: 'to-host' | 'to-guest', bytes: number, then: () => void): void {
  let cut = false;
  proxy.onBytes = (d, total) => {
    if (d !== direction || cut || total < bytes) return;
    cut = true;
    proxy.cutAll();
    then();
  };
}

test('a recipient that quits half-way and starts again resumes from what it kept', async () => {
  const [src, annDir] = await Promise.all([tempDir(), tempDir()]);
  const size = 32 * MB;
  const path = await randomFile(src, 'movie.bin', size);
  const host = await startHost();
  const proxy = await TcpProxy.start(host.port);
  const first = await join(host, 'Ann', { transfers: { downloadDir: annDir, autoAccept: true } }, inviteFor(host, { port: proxy.port }));
  let quit: Promise<void> | undefined;
  cutAfter(proxy, 'to-guest', size / 3, () => {
    quit = first.close(); // the app quits while its connection is down
  });
  const id = await host.transfers.offer([path]);
  await waitFor(host, () => quit !== undefined, 30_000, 'the cut');
  await quit;
  const kept = await readdir(`${annDir}/.porthole-partial`);
  assert.equal(kept.length, 1, 'what it received is kept, out of sight');
  assert.deepEqual(
    (await readdir(annDir)).filter((n) => !n.startsWith('.')),
    [],
  );
  // Started again (no auto-accept): it resumes because it had said yes.
  const again = await join(host, 'Ann', { transfers: { downloadDir: annDir } });
  const resumed = await waitForTransfer(again.transfers, (v) => v.id === id && isFinal(v), 60_000, 'resumed to the end');
  assert.equal(resumed.state, 'done', resumed.message);
  assert.equal(await sha256File(resumed.savedPath!), await sha256File(path));
  const sent = host.transfers.list().find((v) => v.id === id)!;
  assert.ok(sent.recipients?.some((r) => r.state === 'done'));
});

test('a sender that quits half-way and offers the same file again after its restart: the recipient resumes', async () => {
  const [src, hostDir] = await Promise.all([tempDir(), tempDir()]);
  const size = 32 * MB;
  const path = await randomFile(src, 'archive.bin', size);
  const keySecret = randomBytes(32); // what the config folder keeps across restarts
  const host = await startHost({ transfers: { downloadDir: hostDir, autoAccept: true } });
  const proxy = await TcpProxy.start(host.port);
  const sam = await join(host, 'Sam', { transfers: { keySecret } }, inviteFor(host, { port: proxy.port }));
  let quit: Promise<void> | undefined;
  cutAfter(proxy, 'to-host', size / 3, () => {
    quit = sam.close();
  });
  const id = await sam.transfers.offer([path]);
  const paused = await waitForTransfer(host.transfers, (v) => v.id === id && (v.state === 'paused' || isFinal(v)), 30_000);
  assert.equal(paused.state, 'paused', `kept for a resume: ${paused.message}`);
  await quit;
  const proxyAgain = await TcpProxy.start(host.port);
  const samAgain = await join(host, 'Sam', { transfers: { keySecret } }, inviteFor(host, { port: proxyAgain.port }));
  const id2 = await samAgain.transfers.offer([path]);
  const done = await waitForTransfer(host.transfers, (v) => v.direction === 'incoming' && v.state === 'done', 60_000);
  assert.equal(await sha256File(done.savedPath!), await sha256File(path));
  assert.equal(done.id, id2);
  const sentAgain = await waitForTransfer(
    samAgain.transfers,
    (v) => v.id === id2 && v.recipients?.some((r) => r.state === 'done') === true,
    10_000,
  );
  assert.equal(sentAgain.recipients!.find((r) => r.state === 'done')!.bytes, size);
  assert.ok(proxyAgain.bytes['to-host'] < 0.8 * size, `only the rest went up again (${proxyAgain.bytes['to-host']} bytes)`);
});

test('the file changing on the sender’s side while it is offered ends the transfer with a clear reason on both sides', async () => {
  const [src, annDir] = await Promise.all([tempDir(), tempDir()]);
  const path = await randomFile(src, 'draft.bin', 3 * MB);
  const host = await startHost();
  const ann = await join(host, 'Ann', { transfers: { downloadDir: annDir } });
  const id = await host.transfers.offer([path]);
  await waitForTransfer(ann.transfers, (v) => v.id === id && v.state === 'offered', 10_000);
  await appendFile(path, 'edited after it was offered');
  await ann.transfers.accept(id);
  const sent = await waitForTransfer(host.transfers, (v) => v.id === id && isFinal(v), 20_000);
  assert.equal(sent.reason, 'file-changed');
  const got = await waitForTransfer(ann.transfers, (v) => v.id === id && isFinal(v), 20_000);
  assert.equal(got.state, 'failed');
  assert.equal(got.reason, 'file-changed');
  assert.match(got.message ?? '', /changed/);
  assert.deepEqual(
    (await readdir(annDir)).filter((n) => !n.startsWith('.')),
    [],
    'nothing half-made in sight',
  );
  assert.deepEqual(await readdir(`${annDir}/.porthole-partial`).catch(() => []), [], 'and nothing kept');
});
