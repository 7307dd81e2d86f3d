// Real `porthole` processes sending files: at a terminal the progress is one line redrawn in
// place above the prompt (never left behind in the scrollback, whatever you type meanwhile);
// without a terminal it is plain lines; /send of a folder offers ONE item. The guest reaches the
// host through a TCP proxy that can hold the bytes, so a transfer stays in the middle on purpose.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliProcess } from '../../fixtures/cli-process';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { closeProxies, TcpProxy } from '../../fixtures/tcp-proxy';
import { randomFile, removeTempDirs, tempDir } from '../../fixtures/transfer-files';
import { parseInvite } from '../../../src-main/link/invite';
import { PlainCli } from './cli-helpers';
import { KEY, TerminalCli } from './terminal-cli';

const started: Array<{ kill(): void }> = [];
afterEach(() => started.splice(0).forEach((p) => p.kill()));
afterEach(closeProxies);
afterEach(removeTempDirs);

/** A guest with --json joined through a proxy in front of the host, answering offers itself. */
async function guestThroughProxy(invite: string) {
  const proxy = await TcpProxy.start(parseInvite(invite).addresses[0]!.port);
  const downloads = await tempDir();
  const guest = await CliProcess.start([
    'join',
    loopbackInvite(invite, proxy.port),
    '--json',
    '--name',
    'Guesty',
    '--download-dir',
    downloads,
  ]);
  started.push(guest);
  await guest.waitFor((e) => e.event === 'ready');
  return { guest, proxy, downloads };
}

/** Offers `path` from the host, has the guest accept it while the host's bytes are held: the transfer stays in the middle. */
async function sendAndHold(type: (line: string) => void, path: string, guest: CliProcess, proxy: TcpProxy) {
  type(`/send ${path}`);
  const offer = await guest.waitFor((e) => e.event === 'file-offer');
  proxy.pause('to-guest');
  guest.type(`/accept ${offer.id}`);
  return offer;
}

const progressLines = (lines: string[]) => lines.filter((l) => l.includes('Sending big.bin:'));

test('at a terminal the progress is one line just above the prompt, redrawn in place; typing meanwhile leaves no copy of it behind', async () => {
  const host = await TerminalCli.start(['host', '--no-upnp', '--name', 'Hosty'], { columns: 100 });
  started.push(host);
  const startLines = await host.waitForText('/help lists the commands');
  const invite = loopbackInvite(startLines.map((l) => l.match(/porthole:\/\/\S+/)?.[0]).find(Boolean)!);
  const { guest, proxy, downloads } = await guestThroughProxy(invite);
  await host.waitForText('Guesty joined');
  const file = await randomFile(await tempDir(), 'big.bin', 40_000_000);

  await sendAndHold((line) => host.type(line + KEY.enter), file, guest, proxy);
  const moving = await host.waitFor((lines) => progressLines(lines).length > 0, 'the progress line');
  assert.equal(progressLines(moving).length, 1, moving.join('\n'));
  assert.match(progressLines(moving)[0]!, /^Sending big\.bin: \d+ % of 40 MB/);
  assert.equal(moving.at(-2), progressLines(moving)[0], 'just above the prompt');
  assert.equal(moving.at(-1), '> ');

  // Chat and a command while it is moving: their lines go above, and the progress line is never copied into the scrollback.
  host.type(`still here${KEY.enter}`);
  await host.waitFor((lines) => lines.some((l) => l.endsWith('Hosty: still here')), 'the chat line');
  host.type(`/files${KEY.enter}`);
  const during = await host.waitFor((lines) => lines.some((l) => /↑ big\.bin \(40 MB\)\s+(sending|offered)/.test(l)), 'the /files line');
  assert.equal(progressLines(during).length, 1, during.join('\n'));
  assert.equal(during.at(-1), '> ');
  assert.match(during.at(-2) ?? '', /^Sending big\.bin: /);

  // Let the bytes through: the progress line goes, a line says it was sent and Guesty has it, the
  // file arrives whole.
  proxy.resume();
  const done = await host.waitForText('Sent big.bin (40 MB): Guesty has it.', 60_000);
  await guest.waitFor((e) => e.event === 'file-saved', 60_000);
  const after = await host.waitFor((lines) => progressLines(lines).length === 0, 'the progress line gone');
  assert.equal(after.at(-1), '> ', done.join('\n'));
  assert.deepEqual(await readFile(join(downloads, 'big.bin')), await readFile(file));
});

test('without a terminal the progress is plain lines, no escape sequences; a folder in /send is one offer', async () => {
  const configDir = await mkdtemp(join(tmpdir(), 'porthole-plain-'));
  const host = new PlainCli(['host', '--no-upnp', '--name', 'Hosty'], configDir);
  started.push(host);
  await host.waitFor('stdout', /porthole:\/\/\S+/);
  const invite = loopbackInvite(host.stdout.match(/porthole:\/\/\S+/)![0]);
  const { guest, proxy } = await guestThroughProxy(invite);
  await host.waitFor('stdout', /Guesty joined/);

  const file = await randomFile(await tempDir(), 'big.bin', 40_000_000);
  await sendAndHold((line) => host.type(line), file, guest, proxy);
  await host.waitFor('stdout', /^Sending big\.bin: \d+ % of 40 MB/m);
  proxy.resume();
  await host.waitFor('stdout', /^Sent big\.bin \(40 MB\): Guesty has it\.$/m, 60_000);
  const progress = host.stdout.split('\n').filter((l) => l.startsWith('Sending big.bin:'));
  assert.ok(progress.length >= 1 && progress.length <= 11, `a line per 10 % at most:\n${progress.join('\n')}`);
  assert.equal(host.stdout.includes('\x1b'), false, 'no terminal control sequences in a pipe');

  // A folder: one offer named after it, holding every file.
  const dir = await tempDir();
  await mkdir(join(dir, 'Holiday', 'empty'), { recursive: true });
  await writeFile(join(dir, 'Holiday', 'beach.jpg'), 'sand');
  await writeFile(join(dir, 'Holiday', 'sea.jpg'), 'water');
  host.type(`/send ${join(dir, 'Holiday')}`);
  const offer = await guest.waitFor((e) => e.event === 'file-offer' && e.name === 'Holiday');
  assert.equal(offer.files, 2);
  assert.equal(offer.size, 9);
  await host.waitFor('stdout', /^Offered Holiday \(2 files, 9 B\) to everyone \(id \w+\)\.$/m);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(guest.events.filter((e) => e.event === 'file-offer').length, 2, 'big.bin, then the folder as one offer');
});
