// The CLI's file commands against real rooms on loopback: /send of several paths or a folder is
// ONE offer, to chosen people or the room; --to names that match nobody, several people or you get
// a sentence; /retry, /clear and every wrong id answer with a sentence.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliOutput } from '../../../src-main/cli/cli-output';
import { runTransferCommand } from '../../../src-main/cli/transfer-commands';
import type { TransferView } from '../../../src-main/features/files/transfer-events';
import type { AppError } from '../../../src-main/wire/errors';
import { closeAll, join as joinRoom, startHost, waitFor } from '../../fixtures/room';
import { removeTempDirs, tempDir } from '../../fixtures/transfer-files';

afterEach(closeAll);
afterEach(removeTempDirs);

/** A CliOutput that keeps the errors, notes and transfer updates; everything else is ignored. */
function recordingOutput() {
  const errors: AppError[] = [];
  const notes: string[] = [];
  const updates: TransferView[] = [];
  const output = new Proxy({} as CliOutput, {
    get: (_target, name) => {
      if (name === 'error') return (error: AppError) => errors.push(error);
      if (name === 'note') return (text: string) => notes.push(text);
      if (name === 'transfer') return (_notice: string, view: TransferView) => updates.push(view);
      return () => {};
    },
  });
  return { output, errors, notes, updates };
}

const said = (errors: AppError[]) => errors.map((e) => `${e.code}: ${e.message}`);

test('/send of a folder and a file is ONE offer; --to NAME (repeatable, any case, a unique start) offers to those people only', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'Holiday', 'empty'), { recursive: true });
  await writeFile(join(dir, 'Holiday', 'beach.jpg'), 'sand');
  await writeFile(join(dir, 'Holiday', 'sea.jpg'), 'water');
  await writeFile(join(dir, 'for bob.txt'), 'bob');
  const host = await startHost();
  const alice = await joinRoom(host, 'Alice');
  const bob = await joinRoom(host, 'Bobby Tables');
  const cy = await joinRoom(host, 'Cy');
  const { output, errors } = recordingOutput();

  runTransferCommand(host, output, `/send --to bob --to=cy '${join(dir, 'for bob.txt')}' ${join(dir, 'Holiday')}`);
  await waitFor(bob, () => bob.transfers.list().length === 1, 10_000, 'Bob is offered one item');
  await waitFor(cy, () => cy.transfers.list().length === 1, 10_000, 'Cy is offered the same item');
  const offered = bob.transfers.list()[0]!;
  assert.equal(offered.files, 3, 'one item with all three files');
  assert.equal(offered.size, 'bob'.length + 'sand'.length + 'water'.length);
  assert.equal(offered.id, cy.transfers.list()[0]!.id, 'the same short id for everyone');
  assert.equal(alice.transfers.list().length, 0, 'Alice is not offered it');
  const mine = host.transfers.list().find((v) => v.direction === 'outgoing')!;
  assert.deepEqual(mine.to?.map((p) => p.name).sort(), ['Bobby Tables', 'Cy']);

  // Without --to, a folder alone goes to the room, as one item named after it, and saves as that folder.
  runTransferCommand(host, output, `/send ${join(dir, 'Holiday')}/`);
  await waitFor(alice, () => alice.transfers.list().length === 1, 10_000, 'Alice is offered the folder');
  const folder = alice.transfers.list()[0]!;
  assert.equal(folder.fileName, 'Holiday');
  assert.equal(folder.files, 2);
  const downloads = await tempDir();
  await alice.transfers.accept(folder.id, downloads);
  await waitFor(alice, () => alice.transfers.list()[0]?.state === 'done', 15_000, 'Alice saved the folder');
  // Under one new folder named after it (where the folder's own name goes inside is the receiving side's choice).
  const saved = (await readdir(join(downloads, 'Holiday'), { recursive: true })).filter((p) => p.endsWith('sea.jpg'));
  assert.equal(saved.length, 1, saved.join(', '));
  assert.equal(await readFile(join(downloads, 'Holiday', saved[0]!), 'utf8'), 'water');
  assert.deepEqual(said(errors), []);
});

test('--to names nobody, several people, or you: a sentence, and nothing is offered', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'mine.txt'), 'mine');
  const host = await startHost();
  const ann = await joinRoom(host, 'Ann');
  await joinRoom(host, 'Andy');
  const { output, errors } = recordingOutput();
  for (const to of ['Zed', 'an', 'host']) runTransferCommand(host, output, `/send --to ${to} ${join(dir, 'mine.txt')}`);
  assert.deepEqual(said(errors), [
    'not-found: Nobody called "Zed" is in the room. /who lists who is.',
    'not-found: "an" could be Ann or Andy: use the whole name, in quotes if it has spaces.',
    'not-found: "host" is you: name someone else with --to.',
  ]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(host.transfers.list().length, 0);
  assert.equal(ann.transfers.list().length, 0);
});

test('/retry and /clear answer every time: no id, an unknown id, a transfer that cannot be retried, nothing to clear, and what was cleared', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'mine.txt'), 'mine');
  const host = await startHost();
  const bob = await joinRoom(host, 'Bob');
  const { output, errors, notes } = recordingOutput();

  runTransferCommand(host, output, '/files');
  runTransferCommand(host, output, '/clear');
  runTransferCommand(host, output, '/retry');
  runTransferCommand(host, output, '/retry 999');
  runTransferCommand(host, output, '/accept nosuchid');
  runTransferCommand(host, output, '/decline');
  runTransferCommand(host, output, '/cancel nosuchid');
  assert.deepEqual(notes, [
    'No transfers yet. /send PATH offers a file or a folder to the room.',
    'There are no finished transfers to clear.',
  ]);
  assert.deepEqual(said(errors), [
    'invalid-message: Usage: /retry ID  (/files lists the transfers and their ids)',
    'not-found: There is no transfer 999 here. /files lists them.',
    'not-found: There is no transfer nosuchid here. /files lists them.',
    'invalid-message: Usage: /decline ID  (/files lists the transfers and their ids)',
    'not-found: There is no transfer nosuchid here. /files lists them.',
  ]);
  errors.length = 0;
  notes.length = 0;

  runTransferCommand(host, output, `/send ${join(dir, 'mine.txt')}`);
  await waitFor(bob, () => bob.transfers.list().length === 1, 10_000, 'Bob is offered mine.txt');
  const offer = bob.transfers.list()[0]!;
  const own = host.transfers.list()[0]!;
  runTransferCommand(host, output, `/accept ${own.id}`);
  runTransferCommand(host, output, `/retry ${own.id}`);
  assert.match(errors.at(-2)?.message ?? '', /is your own offer: only its recipients can accept it/);
  assert.match(errors.at(-1)?.message ?? '', new RegExp(`^Transfer ${own.id} is (offered|sending) already; there is nothing to retry\\.$`));

  const bobSays = recordingOutput();
  runTransferCommand(bob, bobSays.output, `/retry ${offer.id}`);
  runTransferCommand(bob, bobSays.output, `/decline ${offer.id}`);
  await waitFor(bob, () => bob.transfers.list()[0]?.state === 'declined', 5000, 'declined');
  runTransferCommand(bob, bobSays.output, `/accept ${offer.id}`);
  runTransferCommand(bob, bobSays.output, `/cancel ${offer.id}`);
  runTransferCommand(bob, bobSays.output, '/files');
  runTransferCommand(bob, bobSays.output, '/clear');
  runTransferCommand(bob, bobSays.output, '/files');
  assert.deepEqual(said(bobSays.errors), [
    `not-allowed: Transfer ${offer.id} is waiting for your answer: /accept ${offer.id}.`,
    `not-allowed: Transfer ${offer.id} was answered already (declined).`,
    `not-allowed: Transfer ${offer.id} is over already (declined).`,
  ]);
  assert.deepEqual(bobSays.notes, [
    `${offer.id}  ↓ mine.txt (4 B)  declined 0 %  from Host`,
    'Cleared 1 finished transfer from /files.',
    'No transfers yet. /send PATH offers a file or a folder to the room.',
  ]);
});
