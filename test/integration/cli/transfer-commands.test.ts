// The CLI's file commands against real rooms on loopback: /send to chosen people or the room,
// several paths at once, a folder refused with a sentence, and a sentence for every wrong id.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliOutput } from '../../../src-main/cli/cli-output';
import { runTransferCommand } from '../../../src-main/cli/transfer-commands';
import type { AppError } from '../../../src-main/wire/errors';
import { closeAll, join as joinRoom, startHost, waitFor } from '../../fixtures/room';
import { removeTempDirs, tempDir } from '../../fixtures/transfer-files';

afterEach(closeAll);
afterEach(removeTempDirs);

/** A CliOutput that keeps the errors and notes; everything else is ignored. */
function recordingOutput() {
  const errors: AppError[] = [];
  const notes: string[] = [];
  const output = new Proxy({} as CliOutput, {
    get: (_target, name) => {
      if (name === 'error') return (error: AppError) => errors.push(error);
      if (name === 'note') return (text: string) => notes.push(text);
      return () => {};
    },
  });
  return { output, errors, notes };
}

test('/send --to NAME offers to that person only; without --to, to the room; several paths in one /send', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'for bob.txt'), 'bob');
  await writeFile(join(dir, 'a.txt'), 'a');
  await writeFile(join(dir, 'b.txt'), 'b');
  const host = await startHost();
  const alice = await joinRoom(host, 'Alice');
  const bob = await joinRoom(host, 'Bob');
  const { output, errors } = recordingOutput();

  runTransferCommand(host, output, `/send --to bob '${join(dir, 'for bob.txt')}'`);
  await waitFor(bob, () => bob.transfers.list().length === 1, 5000, 'Bob is offered the file');
  assert.equal(bob.transfers.list()[0]?.fileName, 'for bob.txt');
  assert.equal(alice.transfers.list().length, 0, 'Alice is not offered it');

  runTransferCommand(host, output, `/send ${join(dir, 'a.txt')} ${join(dir, 'b.txt')}`);
  await waitFor(alice, () => alice.transfers.list().length === 2, 5000, 'Alice is offered both');
  assert.deepEqual(
    alice.transfers
      .list()
      .map((t) => t.fileName)
      .sort(),
    ['a.txt', 'b.txt'],
  );
  assert.deepEqual(errors, []);
});

test('a folder, an unknown name and wrong or missing ids each get a sentence; nothing is sent', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'Holiday'));
  await writeFile(join(dir, 'mine.txt'), 'mine');
  const host = await startHost();
  const bob = await joinRoom(host, 'Bob');
  const { output, errors, notes } = recordingOutput();

  runTransferCommand(host, output, '/files');
  assert.deepEqual(notes, ['No transfers yet. /send PATH offers a file to the room.']);
  runTransferCommand(host, output, `/send ${join(dir, 'Holiday')}`);
  runTransferCommand(host, output, `/send --to Zed ${join(dir, 'mine.txt')}`);
  runTransferCommand(host, output, '/accept nosuchid');
  runTransferCommand(host, output, '/decline');
  runTransferCommand(host, output, '/cancel nosuchid');
  await waitFor(host, () => errors.length === 5, 5000, 'five sentences');
  const said = errors.map((e) => `${e.code}: ${e.message}`);
  assert.ok(
    said.some((s) => /^file-unreadable: .*Holiday is a folder: folders cannot be sent yet/.test(s)),
    said.join('\n'),
  );
  assert.ok(said.includes('not-found: Nobody called "Zed" is in the room. /who lists who is.'), said.join('\n'));
  assert.ok(said.includes('not-found: There is no transfer nosuchid here. /files lists them.'), said.join('\n'));
  assert.ok(
    said.some((s) => s.startsWith('invalid-message: Usage: /decline ID')),
    said.join('\n'),
  );
  assert.equal(bob.transfers.list().length, 0);

  // Your own offer cannot be accepted by you; an answered offer cannot be answered again.
  runTransferCommand(host, output, `/send ${join(dir, 'mine.txt')}`);
  await waitFor(bob, () => bob.transfers.list().length === 1, 5000, 'Bob is offered mine.txt');
  const own = host.transfers.list()[0]!;
  runTransferCommand(host, output, `/accept ${own.id}`);
  const offered = bob.transfers.list()[0]!;
  const bobSays = recordingOutput();
  runTransferCommand(bob, bobSays.output, `/decline ${offered.id}`);
  await waitFor(bob, () => bob.transfers.list()[0]?.state === 'declined', 5000, 'declined');
  runTransferCommand(bob, bobSays.output, `/accept ${offered.id}`);
  runTransferCommand(bob, bobSays.output, `/cancel ${offered.id}`);
  assert.match(errors.at(-1)?.message ?? '', /is your own offer: only its recipients can accept it/);
  assert.deepEqual(
    bobSays.errors.map((e) => e.message),
    [`Transfer ${offered.id} was answered already (declined).`, `Transfer ${offered.id} is over already (declined).`],
  );
});
