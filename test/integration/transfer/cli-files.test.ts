import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { CliProcess } from '../../fixtures/cli-process';
import { randomFile, removeTempDirs, sha256File, tempDir } from '../../fixtures/transfer-files';

const started: CliProcess[] = [];
afterEach(() => started.splice(0).forEach((p) => p.kill()));
afterEach(removeTempDirs);

async function cli(args: string[]): Promise<CliProcess> {
  const p = await CliProcess.start(args);
  started.push(p);
  return p;
}

test('CLI: /send offers a file; --accept-files saves it to --download-dir; --json reports offer, progress, path and SHA-256', async () => {
  const [inbox, src] = await Promise.all([tempDir(), tempDir()]);
  const host = await cli(['host', '--json', '--name', 'Hosty', '--no-upnp', '--accept-files', '--download-dir', inbox]);
  const ready = await host.waitFor((e) => e.event === 'ready');
  const invite = loopbackInvite(ready.invite as string);
  const guest = await cli(['join', invite, '--json', '--name', 'Guesty']);
  await guest.waitFor((e) => e.event === 'ready');

  const path = await randomFile(src, 'notes.bin', 3 * 1024 * 1024 + 5);
  guest.type(`/send ${path}`);
  const offer = await host.waitFor((e) => e.event === 'file-offer');
  assert.deepEqual([offer.name, offer.size, (offer.from as { name: string }).name], ['notes.bin', 3 * 1024 * 1024 + 5, 'Guesty']);
  const saved = await host.waitFor((e) => e.event === 'file-saved');
  assert.equal(saved.path, `${inbox}/notes.bin`);
  assert.equal(saved.sha256, await sha256File(path));
  assert.equal(await sha256File(`${inbox}/notes.bin`), saved.sha256);
  const sent = await guest.waitFor((e) => e.event === 'file-sent');
  assert.deepEqual(
    (sent.recipients as Array<{ state: string }>).map((r) => r.state),
    ['done'],
  );
  assert.ok(
    guest.events.some((e) => e.event === 'file-progress'),
    'progress was reported',
  );

  guest.type('/send /no/such/file');
  const err = await guest.waitFor((e) => e.event === 'error');
  assert.equal(err.code, 'file-unreadable');
  guest.type('/quit');
  assert.equal((await guest.exited).code, 0);
});
