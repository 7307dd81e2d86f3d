// The real desktop core behind registerIpc, called the way the window calls it: settings kept in
// a temp config dir, links and the clipboard handed to a recording platform, and rooms hosted
// and joined on 127.0.0.1 only (UPnP off, so nothing is sent to the network).
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { OfferOutcome, Result, RoomView, SettingsView, AppSnapshot } from '../../../src-preload/contract';
import { createDesktopCore } from '../../../src-main/desktop/desktop-core';
import { parseInvite } from '../../../src-main/link/invite';
import { loopbackInvite } from '../../fixtures/loopback-invite';
import { desktopApp, recordingPlatform, recordingSink } from './ipc-harness';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const app = (settings: Record<string, unknown> = {}) => desktopApp(cleanups, settings);

function data<T>(result: Result<T>): T {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  return (result as { ok: true; data: T }).data;
}

function refused(result: Result<unknown>, code: string): string {
  assert.equal(result.ok, false, `expected ${code}, got ${JSON.stringify(result)}`);
  const { error } = result as { ok: false; error: { code: string; message: string } };
  assert.equal(error.code, code, error.message);
  // A sentence; it may open by quoting what the person typed ("x y" is not an address…).
  assert.match(error.message, /^(?:"[^"]*"|[A-Z]).{10,}[.!?]$/s);
  return error.message;
}

describe('settings through IPC', () => {
  test('the snapshot shows the saved settings and no room', async () => {
    const { call, config } = await app();
    const snapshot = data(await call<AppSnapshot>('app:snapshot'));
    assert.equal(snapshot.room, null);
    assert.equal(snapshot.settings.upnp, false);
    assert.equal(snapshot.settings.downloadDir, config.downloadDir);
    assert.equal(snapshot.settings.downloadDirIsDefault, false);
    assert.equal(typeof snapshot.suggestedName, 'string');
  });

  test('a bad display name is refused with name-invalid and nothing is saved', async () => {
    const { call, config, events } = await app({ displayName: 'Ada' });
    const before = await readFile(join(config.configDir, 'settings.json'), 'utf8');
    for (const name of ['   ', 'x'.repeat(33), 'Ada\u0007', 'Ada\u202Egpj.exe']) {
      refused(await call('settings:update', { displayName: name }), 'name-invalid');
    }
    assert.equal(await readFile(join(config.configDir, 'settings.json'), 'utf8'), before);
    assert.deepEqual(events.of('settings:changed'), []);
  });

  test('a change is saved in the config dir, pushed to the window, and read back by the next start', async () => {
    const first = await app();
    const view = data(await first.call<SettingsView>('settings:update', { displayName: '  Ada Lovelace ', port: 45678, upnp: false }));
    assert.equal(view.displayName, 'Ada Lovelace', 'trimmed like a wire name');
    assert.equal(view.port, 45678);
    assert.deepEqual(first.events.of('settings:changed'), [view]);

    const saved = JSON.parse(await readFile(join(first.config.configDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(saved.displayName, 'Ada Lovelace');
    assert.equal(saved.port, 45678);
    assert.equal(saved.upnp, false);

    // A second core on the same folder is the next start of the app.
    const platform = recordingPlatform();
    const next = createDesktopCore({ configDir: first.config.configDir, platform: platform.platform, sink: recordingSink().sink });
    cleanups.push(next.shutdown);
    const again = await next.handlers['app:snapshot']();
    assert.equal(again.settings.displayName, 'Ada Lovelace');
    assert.equal(again.settings.port, 45678);

    const cleared = data(await first.call<SettingsView>('settings:update', { port: null }));
    assert.equal(cleared.port, null);
    assert.equal(cleared.displayName, 'Ada Lovelace', 'other settings are kept');
  });

  test('a public address: a bad one is refused with a sentence and nothing saved; a good one is kept, trimmed, and empty clears it', async () => {
    const { call, config, events } = await app();
    const before = await readFile(join(config.configDir, 'settings.json'), 'utf8');
    for (const bad of ['not an address', 'home.example.org:99999', '203.0.113.7:0', '[203.0.113.7]:41234']) {
      const sentence = refused(await call('settings:update', { publicAddress: bad }), 'invalid-request');
      assert.match(sentence, /not an address friends can use/);
    }
    assert.equal(await readFile(join(config.configDir, 'settings.json'), 'utf8'), before);
    assert.deepEqual(events.of('settings:changed'), []);

    const kept = data(await call<SettingsView>('settings:update', { publicAddress: '  203.0.113.7:41234 ' }));
    assert.equal(kept.publicAddress, '203.0.113.7:41234');
    assert.equal(data(await call<AppSnapshot>('app:snapshot')).settings.publicAddress, '203.0.113.7:41234');
    const saved = JSON.parse(await readFile(join(config.configDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(saved.publicAddress, '203.0.113.7:41234');
    assert.equal(
      data(await call<SettingsView>('settings:update', { upnp: false })).publicAddress,
      '203.0.113.7:41234',
      'other changes keep it',
    );
    assert.equal(data(await call<SettingsView>('settings:update', { publicAddress: '' })).publicAddress, '');
  });

  test('a public address in the settings joins the invite of the next room, marked as added by hand', async () => {
    const { call } = await app({ publicAddress: 'home.example.org' });
    const room = data(await call<RoomView>('room:host', { name: 'Ada' }));
    const roomPort = room.invite!.addresses.find((a) => a.kind === 'lan')!.port;
    const manual = room.invite!.addresses.filter((a) => a.kind === 'manual');
    assert.deepEqual(
      manual,
      [{ host: 'home.example.org', port: roomPort, kind: 'manual', internet: true }],
      "the room's port fills in a missing one",
    );
    assert.ok(parseInvite(room.invite!.invite).addresses.some((a) => a.host === 'home.example.org' && a.port === roomPort));
    assert.equal(data(await call('room:leave')), null);
  });

  test('the download folder changes only through the picker; cancelling keeps it; reset goes back to the default', async () => {
    const { call, platform, config } = await app();
    const chosen = join(config.root, 'chosen');
    platform.pickedFolders.push(chosen, undefined);
    const picked = data(await call<SettingsView>('settings:choose-download-folder'));
    assert.equal(picked.downloadDir, chosen);
    assert.deepEqual(platform.calls.chooseFolder, [config.downloadDir], 'the picker opens at the current folder');
    const cancelled = data(await call<SettingsView>('settings:choose-download-folder'));
    assert.equal(cancelled.downloadDir, chosen);
    const reset = data(await call<SettingsView>('settings:reset-download-folder'));
    assert.equal(reset.downloadDirIsDefault, true);
    assert.notEqual(reset.downloadDir, chosen);
  });
});

describe('links and the clipboard through IPC', () => {
  test('only plain http(s) links reach the platform, normalized', async () => {
    const { call, platform } = await app();
    const refusedLinks = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'http://user:pw@example.com/',
      'https://user@example.com/',
      'vbscript:msgbox(1)',
      'smb://server/share',
      'app://porthole/index.html',
      '//example.com/',
      'example.com',
      '',
    ];
    for (const url of refusedLinks) refused(await call('link:open', url), 'not-allowed');
    assert.deepEqual(platform.calls.openExternal, []);

    assert.equal(data(await call('link:open', 'https://example.com')), null);
    assert.equal(data(await call('link:open', 'HTTP://Example.COM/a b?q=1#x')), null);
    assert.deepEqual(platform.calls.openExternal, ['https://example.com/', 'http://example.com/a%20b?q=1#x']);
  });

  test('clipboard:write hands the exact text to the platform', async () => {
    const { call, platform } = await app();
    const text = 'porthole://192.0.2.1:41234/abc/def\nsecond line ✓';
    assert.equal(data(await call('clipboard:write', text)), null);
    assert.deepEqual(platform.calls.copyText, [text]);
  });
});

describe('room calls through IPC', () => {
  test('calls that need a room answer not-connected when there is none, and the pickers stay closed', async () => {
    const { call, platform } = await app();
    refused(await call('chat:send', 'hello'), 'not-connected');
    for (const channel of ['transfer:accept', 'transfer:decline', 'transfer:cancel', 'transfer:retry'] as const) {
      refused(await call(channel, 'unknown_id'), 'not-connected');
    }
    refused(await call('transfer:clear-finished'), 'not-connected');
    refused(await call('transfer:offer-paths', { paths: [join(tmpdir(), 'a.txt')] }), 'not-connected');
    refused(await call('transfer:choose-files', {}), 'not-connected');
    refused(await call('transfer:choose-folder', {}), 'not-connected');
    refused(await call('upload:offer', { uploadIds: [], paths: [join(tmpdir(), 'a.txt')] }), 'not-connected');
    refused(await call('upload:begin', { name: 'a.txt', size: 3 }), 'not-connected');
    refused(await call('upload:chunk', { uploadId: 'unknown', offset: 0, bytes: new Uint8Array(3) }), 'not-found');
    refused(await call('transfer:show-in-folder', 'unknown_id'), 'not-found');
    assert.equal(platform.calls.chooseFiles, 0);
    assert.deepEqual(platform.calls.chooseFolder, []);
    assert.deepEqual(platform.calls.showInFolder, []);
    assert.equal(data(await call('room:leave')), null, 'leaving when in no room is harmless');
  });

  test('hosting on loopback: a host RoomView with the invite; a second host or join is busy; leaving ends the room', async () => {
    const { call, events, core, config } = await app();
    const room = data(await call<RoomView>('room:host', { name: 'Ada' }));
    assert.equal(room.role, 'host');
    assert.equal(room.me.name, 'Ada');
    assert.equal(room.status.state, 'connected');
    assert.equal(room.portMapping, undefined, 'UPnP is off');
    const invite = room.invite!;
    assert.ok(invite.addresses.length > 0);
    assert.deepEqual(
      parseInvite(invite.invite).addresses,
      invite.addresses.map(({ host, port }) => ({ host: host.toLowerCase(), port })),
      'the invite names exactly the addresses listed, in order',
    );
    for (const entry of invite.addresses) {
      assert.equal(entry.kind, 'lan', 'no router and no public address: LAN addresses only');
      assert.equal(entry.internet, false);
    }

    refused(await call('room:host', { name: 'Ada' }), 'busy');
    refused(await call('room:join', { invite: invite.invite, name: 'Bob' }), 'busy');

    const sent = data(await call<{ id: string }>('chat:send', 'hello room'));
    assert.match(sent.id, /^[A-Za-z0-9_-]+$/);
    await events.next('room:event', ({ event }) => event.type === 'chat' && event.text === 'hello room');
    assert.equal(data(await call<AppSnapshot>('app:snapshot')).room?.role, 'host');

    const saved = JSON.parse(await readFile(join(config.configDir, 'settings.json'), 'utf8')) as { port?: number; displayName?: string };
    assert.equal(saved.displayName, 'Ada');
    assert.equal(typeof saved.port, 'number', 'the port is remembered so invites survive a restart');

    assert.equal(data(await call('room:leave')), null);
    assert.deepEqual(events.of('room:ended'), [{}]);
    assert.equal(data(await call<AppSnapshot>('app:snapshot')).room, null);
    refused(await call('chat:send', 'anyone?'), 'not-connected');
    await core.shutdown();
  });

  test('a guest joins on loopback, sends a dropped file with no path in pieces, and the host saves exactly those bytes', async () => {
    const host = await app();
    const guest = await app();
    const room = data(await host.call<RoomView>('room:host', { name: 'Host' }));
    const invite = loopbackInvite(room.invite!.invite);

    const joined = data(await guest.call<RoomView>('room:join', { invite, name: 'Guest' }));
    assert.equal(joined.role, 'guest');
    assert.deepEqual(joined.members.map((m) => m.name).sort(), ['Guest', 'Host']);

    // What the preload does for a File with no path: begin, pieces in order, finish, then offer it.
    const earlier = new Set(await readdir(tmpdir()));
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const { uploadId } = data(await guest.call<{ uploadId: string }>('upload:begin', { name: 'notes.bin', size: bytes.length }));
    for (let offset = 0; offset < bytes.length; offset += 100_000) {
      assert.equal(data(await guest.call('upload:chunk', { uploadId, offset, bytes: bytes.subarray(offset, offset + 100_000) })), null);
    }
    assert.equal(data(await guest.call('upload:finish', { uploadId })), null);
    const outcome = data(await guest.call<OfferOutcome>('upload:offer', { uploadIds: [uploadId], paths: [] }));
    assert.ok(outcome.transferId, JSON.stringify(outcome));
    refused(await guest.call('upload:offer', { uploadIds: [uploadId], paths: [] }), 'not-found');

    const offer = await host.events.next('transfer:offer', (v) => v.fileName === 'notes.bin');
    assert.equal(offer.size, bytes.length);
    assert.equal(data(await host.call('transfer:accept', offer.id)), null);
    const done = await host.events.next('transfer:update', (v) => v.id === offer.id && v.state === 'done');
    assert.ok(done.savedPath);
    assert.equal(dirname(done.savedPath), host.config.downloadDir);
    assert.deepEqual(new Uint8Array(await readFile(done.savedPath)), bytes);

    assert.equal(data(await host.call('transfer:show-in-folder', offer.id)), null);
    assert.deepEqual(host.platform.calls.showInFolder, [done.savedPath]);

    // The offer stays open for people who join later, so the guest's staged copy stays while the room does.
    const staged = () =>
      readdir(tmpdir()).then((names) =>
        names.filter((n) => !earlier.has(n) && n.startsWith('porthole-upload-') && existsSync(join(tmpdir(), n, 'notes.bin'))),
      );
    assert.equal((await staged()).length, 1, 'the staged notes.bin is kept while its offer is open');

    // The host closing the room ends it for the guest too, and the staged copy goes.
    assert.equal(data(await host.call('room:leave')), null);
    await guest.events.next('room:ended');
    for (let i = 0; i < 100 && (await staged()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await staged(), [], 'no staged notes.bin left');
    assert.equal(data(await guest.call<AppSnapshot>('app:snapshot')).room, null);
  });

  test('several paths, a folder among them, are ONE offer to the member chosen; the folder picker offers a folder; retry and clear answer sentences', async () => {
    const host = await app();
    const bob = await app();
    const cy = await app();
    const room = data(await host.call<RoomView>('room:host', { name: 'Host' }));
    const invite = loopbackInvite(room.invite!.invite);
    const bobView = data(await bob.call<RoomView>('room:join', { invite, name: 'Bob' }));
    data(await cy.call<RoomView>('room:join', { invite, name: 'Cy' }));
    await host.events.next('room:members', (members) => members.length === 3);

    const dir = join(host.config.root, 'send');
    await mkdir(join(dir, 'Holiday', 'empty'), { recursive: true });
    await writeFile(join(dir, 'Holiday', 'beach.jpg'), 'sand');
    await writeFile(join(dir, 'notes.txt'), 'notes');

    // Nobody outside the room, and not yourself.
    refused(await host.call('transfer:offer-paths', { paths: [join(dir, 'notes.txt')], to: ['nobody_here'] }), 'not-found');
    refused(await host.call('transfer:offer-paths', { paths: [join(dir, 'notes.txt')], to: [room.me.id] }), 'not-allowed');
    refused(await host.call('transfer:choose-folder', { to: ['nobody_here'] }), 'not-found');
    assert.deepEqual(host.platform.calls.chooseFolder, [], 'the picker stays closed for a refused recipient');

    const { transferId } = data(
      await host.call<OfferOutcome>('transfer:offer-paths', { paths: [join(dir, 'Holiday'), join(dir, 'notes.txt')], to: [bobView.me.id] }),
    );
    assert.ok(transferId);
    const offered = await bob.events.next('transfer:offer');
    assert.equal(offered.files, 2, 'one item holding both files');
    assert.equal(offered.size, 'sand'.length + 'notes'.length);
    assert.equal(offered.from?.name, 'Host');
    const mine = await host.events.next('transfer:update', (v) => v.direction === 'outgoing' && v.state !== 'queued');
    assert.deepEqual(
      mine.to?.map((p) => p.name),
      ['Bob'],
    );

    // The folder picker: cancelled answers null; a folder picked is one offer, to everyone.
    host.platform.pickedFolders.push(undefined, join(dir, 'Holiday'));
    assert.equal(data(await host.call('transfer:choose-folder', {})), null);
    const folder = data(await host.call<OfferOutcome>('transfer:choose-folder', {}));
    assert.ok(folder.transferId);
    const holiday = await cy.events.next('transfer:offer', (v) => v.fileName === 'Holiday');
    assert.equal(holiday.files, 1);
    assert.equal((await cy.events.next('transfer:offer')).fileName, 'Holiday', 'Cy was never offered the first one');

    // Retry of something that is not there, or cannot be retried, says why.
    refused(await host.call('transfer:retry', 'nosuchid'), 'not-found');
    refused(await cy.call('transfer:retry', holiday.id), 'not-allowed');
    // Declined: finished, so Clear finished forgets it (and answers its id); a second clear has nothing.
    assert.equal(data(await cy.call('transfer:decline', holiday.id)), null);
    await cy.events.next('transfer:update', (v) => v.id === holiday.id && v.state === 'declined');
    assert.deepEqual(data(await cy.call<string[]>('transfer:clear-finished')), [holiday.id]);
    assert.deepEqual(data(await cy.call<string[]>('transfer:clear-finished')), []);
    assert.equal(
      data(await cy.call<AppSnapshot>('app:snapshot')).room?.transfers.some((t) => t.id === holiday.id),
      false,
    );
  });
});
