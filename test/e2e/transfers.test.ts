// Files from the window (issue 12), in Debian's Chromium with the real main-side code behind each
// window: a folder dropped on a person goes to that person only, as one line with its count and
// size; Send files… to ticked people; progress with speed and time left over a slow link; Cancel,
// then Retry; a download cut by a lost connection shows Paused and Resume, and arrives whole;
// Clear finished. Screenshots go to test-results/screenshots/.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RoomView } from '../../src-preload/contract';
import { parseInvite } from '../../src-main/link/invite';
import type { DesktopInstance } from '../fixtures/desktop/desktop-instance';
import { dropFiles, e2eHarness, SCREENSHOTS, setFilePaths } from '../fixtures/desktop/e2e-harness';
import { loopbackInvite } from '../fixtures/loopback-invite';
import { TcpProxy, closeProxies } from '../fixtures/tcp-proxy';
import { randomFile } from '../fixtures/transfer-files';

const harness = e2eHarness();

afterEach(async () => {
  for (const i of harness.windows) assert.deepEqual(i.problems, [], 'no page errors, console errors or CSP violations');
  await harness.closeWindows();
  await closeProxies();
});

const hostSection = (page: Page) => page.getByRole('region', { name: 'Host a room' });
const joinSection = (page: Page) => page.getByRole('region', { name: 'Join a room' });
const chatLog = (page: Page) => page.getByRole('log', { name: 'Chat' });
const people = (page: Page) => page.getByRole('region', { name: /^People/ });
const person = (page: Page, name: string) => people(page).getByRole('listitem').filter({ hasText: name });
const filesPanel = (page: Page) => page.getByRole('region', { name: /^Files/ });
const card = (page: Page, name: string) => page.getByTestId('transfer').filter({ hasText: name });

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Hosts a room as Hosty; resolves with its invite on loopback. */
async function hostRoom(host: DesktopInstance): Promise<string> {
  await hostSection(host.page).getByLabel('Your name').fill('Hosty');
  await hostSection(host.page).getByRole('button', { name: 'Host a room' }).click();
  await waitUntil(() => host.pushed.some((p) => p.event === 'room:opened'), 'the host’s room opened');
  const opened = host.pushed.find((p) => p.event === 'room:opened')!.payload as RoomView;
  return loopbackInvite(opened.invite!.invite);
}

async function joinRoom(guest: DesktopInstance, invite: string, name: string): Promise<void> {
  await joinSection(guest.page).getByLabel('Invite').fill(invite);
  await joinSection(guest.page).getByLabel('Your name').fill(name);
  await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
  await chatLog(guest.page).waitFor();
}

/** The calls a window made on `channel`, their first arguments. */
const callsOf = (i: DesktopInstance, channel: string) => i.calls.filter((c) => c.channel === channel).map((c) => c.args[0]);

/** A slow link: the host's bytes to the guest flow for a moment, then are held, over and over. Returns the way to stop it. */
function slowLink(proxy: TcpProxy, openMs = 15, everyMs = 400): () => void {
  const timer = setInterval(() => {
    proxy.resume();
    setTimeout(() => proxy.pause('to-guest'), openMs);
  }, everyMs);
  proxy.pause('to-guest');
  return () => {
    clearInterval(timer);
    setTimeout(() => proxy.resume(), openMs + 5);
  };
}

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

test('a folder dropped on a person goes to them only, as one line with its count and size; accepted once, saved as the folder; Clear finished', async () => {
  const host = await harness.window();
  const bob = await harness.window();
  const cy = await harness.window();
  const invite = await hostRoom(host);
  await joinRoom(bob, invite, 'Bob');
  await joinRoom(cy, invite, 'Cy');
  await person(host.page, 'Cy').waitFor();

  const outbox = await mkdtemp(join(tmpdir(), 'porthole-e2e-outbox-'));
  const holiday = join(outbox, 'Holiday');
  await mkdir(join(holiday, 'trip', 'empty'), { recursive: true });
  await writeFile(join(holiday, 'beach.jpg'), Buffer.alloc(1000, 1));
  await writeFile(join(holiday, 'sea.jpg'), Buffer.alloc(2000, 2));
  await writeFile(join(holiday, 'trip', 'notes.txt'), 'x'.repeat(500));

  // The folder, as the file manager drags it, dropped on Bob in the member list.
  await setFilePaths(host.page, { Holiday: holiday });
  const bobRow = person(host.page, 'Bob');
  const bobId = await bobRow.getAttribute('data-drop-member');
  assert.ok(bobId);
  await dropFiles(host.page, [{ name: 'Holiday', bytes: Buffer.alloc(0) }], bobRow);
  await waitUntil(() => callsOf(host, 'transfer:offer-paths').length === 1, 'the drop was offered');
  assert.deepEqual(callsOf(host, 'transfer:offer-paths'), [{ paths: [holiday], to: [bobId] }]);

  // One line for Bob: its name, count and size, from whom.
  const offered = card(bob.page, 'Holiday');
  await offered.getByRole('button', { name: 'Accept' }).waitFor();
  assert.equal(await offered.getAttribute('aria-label'), 'Incoming files Holiday — 3 files, 3.5 kB');
  assert.match((await offered.locator('.transfer-meta').textContent()) ?? '', /^3 files, 3\.5 kB · from Hosty$/);
  assert.equal(await bob.page.getByTestId('transfer').count(), 1, 'one item, not one per file');
  // Yours: to Bob only, Bob waiting.
  const mine = card(host.page, 'Holiday');
  await mine.locator('.recipient').filter({ hasText: 'Bob' }).filter({ hasText: 'Waiting' }).waitFor();
  assert.match((await mine.locator('.transfer-meta').textContent()) ?? '', /^3 files, 3\.5 kB · to Bob$/);
  assert.equal(await mine.locator('.recipient').count(), 1);
  await host.page.screenshot({ path: join(SCREENSHOTS, 'files-bundle-to-one-person.png') });

  await offered.getByRole('button', { name: 'Accept' }).click();
  await offered.and(bob.page.locator('[data-state="done"]')).waitFor({ timeout: 30_000 });
  await mine.locator('.recipient').filter({ hasText: 'Received' }).waitFor({ timeout: 30_000 });
  // Saved under one new folder named after it, with the folder's relative paths.
  const saved = await readdir(join(bob.downloadDir, 'Holiday'), { recursive: true });
  const notes = saved.filter((p) => p.endsWith(join('trip', 'notes.txt')));
  assert.equal(notes.length, 1, saved.join(', '));
  assert.equal(await readFile(join(bob.downloadDir, 'Holiday', notes[0]!), 'utf8'), 'x'.repeat(500));
  assert.ok(
    saved.some((p) => p.endsWith(join('trip', 'empty'))),
    'the empty folder too',
  );
  // Cy was never offered it.
  assert.equal(await cy.page.getByTestId('transfer').count(), 0);
  assert.equal(cy.pushed.filter((p) => p.event === 'transfer:offer').length, 0);

  // Two files dropped on the window at once: one item, for everyone.
  await dropFiles(host.page, [
    { name: 'a.txt', bytes: Buffer.from('alpha') },
    { name: 'b.txt', bytes: Buffer.from('beta') },
  ]);
  const both = cy.page.getByTestId('transfer').filter({ hasText: '2 files, 9 B' });
  await both.getByRole('button', { name: 'Accept' }).waitFor();
  assert.equal(await cy.page.getByTestId('transfer').count(), 1);
  assert.equal(callsOf(host, 'upload:offer').length, 1, 'kept aside, then offered once');

  // Clear finished: Bob's saved folder leaves the list; the waiting offer stays.
  await filesPanel(bob.page).getByRole('button', { name: 'Clear finished' }).click();
  await offered.waitFor({ state: 'detached' });
  assert.equal(callsOf(bob, 'transfer:clear-finished').length, 1);
  await card(bob.page, '2 files, 9 B').getByRole('button', { name: 'Accept' }).waitFor();
  assert.equal(await filesPanel(bob.page).getByRole('button', { name: 'Clear finished' }).count(), 0, 'nothing finished left to clear');
});

test('Send files… to a ticked person; over a slow link the progress shows speed and time left; Cancel, then Retry offers it again', async () => {
  const host = await harness.window();
  const bob = await harness.window();
  const cy = await harness.window();
  const invite = await hostRoom(host);
  const proxy = await TcpProxy.start(parseInvite(invite).addresses[0]!.port);
  await joinRoom(bob, loopbackInvite(invite, proxy.port), 'Bob');
  await joinRoom(cy, invite, 'Cy');
  await person(host.page, 'Cy').waitFor();
  const bobId = await person(host.page, 'Bob').getAttribute('data-drop-member');

  const big = await randomFile(await mkdtemp(join(tmpdir(), 'porthole-e2e-big-')), 'big.bin', 120_000_000);
  host.platform.pickFiles.push([big]);
  await filesPanel(host.page).getByRole('button', { name: 'Send files…' }).click();
  const dialog = host.page.getByRole('dialog', { name: 'Send files' });
  await dialog.getByRole('radio', { name: 'Only the people I choose' }).check();
  assert.equal(await dialog.getByRole('button', { name: 'Choose files…' }).isDisabled(), true, 'nobody ticked yet');
  await dialog.getByRole('checkbox', { name: 'Bob' }).check();
  await host.page.screenshot({ path: join(SCREENSHOTS, 'files-send-dialog.png') });
  await dialog.getByRole('button', { name: 'Choose files…' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(callsOf(host, 'transfer:choose-files'), [{ to: [bobId] }]);

  const stop = slowLink(proxy);
  try {
    const incoming = card(bob.page, 'big.bin');
    await incoming.getByRole('button', { name: 'Accept' }).click();
    // Progress while it moves: percent, speed and time left, on both sides.
    const mine = card(host.page, 'big.bin');
    for (const side of [mine, incoming]) {
      await side.locator('.transfer-left').waitFor({ timeout: 30_000 });
      assert.match((await side.locator('.transfer-left').textContent()) ?? '', /^(\d+ (h|min|s)( \d+ (min|s))?|less than a second) left$/);
      assert.match((await side.locator('.transfer-speed').textContent()) ?? '', /^\d+(\.\d)? (B|kB|MB|GB)\/s$/);
      assert.match((await side.locator('.transfer-percent').textContent()) ?? '', /^\d+(\.\d)?%$/);
    }
    await mine
      .locator('.recipient')
      .filter({ hasText: /Bob.*Receiving · \d+%/ })
      .waitFor();
    await host.page.screenshot({ path: join(SCREENSHOTS, 'files-progress-sender.png') });
    await bob.page.screenshot({ path: join(SCREENSHOTS, 'files-progress-recipient.png') });

    // Cancel, then Retry: the same files are offered again.
    await mine.getByRole('button', { name: 'Cancel' }).click();
    const retry = mine.getByRole('button', { name: /^(Retry|Resume)$/ });
    await retry.waitFor();
    const offersBefore = bob.pushed.filter((p) => p.event === 'transfer:offer').length;
    await retry.click();
    await waitUntil(() => callsOf(host, 'transfer:retry').length === 1, 'Retry called transfer:retry');
    assert.equal(typeof callsOf(host, 'transfer:retry')[0], 'string');
    await waitUntil(() => bob.pushed.filter((p) => p.event === 'transfer:offer').length > offersBefore, 'Bob is offered it again', 15_000);
  } finally {
    stop();
  }
  assert.equal(cy.pushed.filter((p) => p.event === 'transfer:offer').length, 0, 'Cy was not ticked');
});

// This test found that the host sent open offers before a reconnecting guest's welcome.
test('a download cut by a lost connection shows Paused with Resume, and arrives whole once the connection is back', async () => {
  const host = await harness.window();
  const bob = await harness.window();
  const invite = await hostRoom(host);
  const proxy = await TcpProxy.start(parseInvite(invite).addresses[0]!.port);
  await joinRoom(bob, loopbackInvite(invite, proxy.port), 'Bob');
  await person(host.page, 'Bob').waitFor();

  const big = await randomFile(await mkdtemp(join(tmpdir(), 'porthole-e2e-big-')), 'cut.bin', 60_000_000);
  host.platform.pickFiles.push([big]);
  await filesPanel(host.page).getByRole('button', { name: 'Send files…' }).click();
  await host.page.getByRole('dialog', { name: 'Send files' }).getByRole('button', { name: 'Choose files…' }).click();
  const stop = slowLink(proxy);
  const incoming = card(bob.page, 'cut.bin');
  try {
    await incoming.getByRole('button', { name: 'Accept' }).click();
    await incoming.locator('.transfer-left').waitFor({ timeout: 30_000 });
  } finally {
    stop();
  }
  // The network goes: everything held, every connection cut; Bob's window says it is paused and offers Resume.
  proxy.pause();
  proxy.cutAll();
  await incoming.and(bob.page.locator('[data-state="paused"]')).waitFor({ timeout: 30_000 });
  const resume = incoming.getByRole('button', { name: 'Resume' });
  await resume.waitFor();
  assert.match((await incoming.locator('.transfer-wait').textContent()) ?? '', /Interrupted/);
  await bob.page.screenshot({ path: join(SCREENSHOTS, 'files-paused-resume.png') });
  await resume.click();
  await waitUntil(() => callsOf(bob, 'transfer:retry').length === 1, 'Resume called transfer:retry');
  // The network comes back: the download continues where it stopped and saves the very bytes sent.
  proxy.resume();
  await incoming.and(bob.page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
  assert.equal(await sha256(join(bob.downloadDir, 'cut.bin')), await sha256(big));
});
