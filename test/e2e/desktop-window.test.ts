// Two Porthole instances, each the real main-side code in Node plus the real renderer bundle in
// Debian's Chromium, joined only by a test transport in place of Electron's IPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { PortMappingStatus, RoomInvite } from '../../src-preload/contract';
import { lanAddresses } from '../../src-main/nat/local-addresses';
import { formatInvite, parseInvite } from '../../src-main/link/invite';
import { RoomClient } from '../../src-main/session/room-client';
import { dropFile, e2eHarness, SCREENSHOTS } from '../fixtures/desktop/e2e-harness';
import { loopbackInvite } from '../fixtures/loopback-invite';

const harness = e2eHarness();
const instance = () => harness.window();

const hostSection = (page: Page) => page.getByRole('region', { name: 'Host a room' });
const joinSection = (page: Page) => page.getByRole('region', { name: 'Join a room' });
const chatLog = (page: Page) => page.getByRole('log', { name: 'Chat' });
const invitePanel = (page: Page) => page.getByRole('region', { name: 'Invite people' });
const inviteAddresses = (page: Page) => invitePanel(page).getByRole('list', { name: 'Addresses in the invite' });

/** Shows `detail` in this window as if main had pushed it (the window cannot tell). */
async function push(page: Page, event: string, detail: unknown): Promise<void> {
  await page.evaluate(([e, p]) => (window as unknown as { __portholePush: (e: string, p: unknown) => void }).__portholePush(e, p), [
    event,
    detail,
  ] as const);
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

test('host, join by invite, chat both ways, drop a file, HTML shows as text', async () => {
  const host = await instance();
  const guest = await instance();

  await hostSection(host.page).getByRole('button', { name: 'Host a room' }).waitFor();
  await host.page.screenshot({ path: join(SCREENSHOTS, 'start-screen.png') });

  // Host: one click, with a name.
  await hostSection(host.page).getByLabel('Your name').fill('Hosty');
  await hostSection(host.page).getByRole('button', { name: 'Host a room' }).click();
  const copy = host.page.getByRole('button', { name: 'Copy invite', exact: true });
  await copy.waitFor();
  assert.equal(await host.page.getByRole('button', { name: /^Copy/ }).count(), 1, 'one invite, one Copy button');
  await copy.click();
  await waitUntil(() => host.platform.copied.length === 1, 'the invite reached the clipboard');
  const copied = host.platform.copied[0]!;
  assert.equal(
    copied,
    (await invitePanel(host.page).locator('.invite-text').textContent())?.trim(),
    'Copy invite copies exactly the invite shown',
  );
  // The details name this machine's LAN address as one for the same network.
  const [lan] = await lanAddresses();
  await invitePanel(host.page)
    .getByText(/^\d+ address/)
    .click();
  const lanItem = inviteAddresses(host.page)
    .getByRole('listitem')
    .filter({ hasText: lan!.includes(':') ? `[${lan}]:` : `${lan}:` });
  await lanItem.waitFor();
  assert.match((await lanItem.textContent()) ?? '', /Same network \(LAN\).*Works only on this network/);
  assert.ok(
    parseInvite(copied).addresses.some((a) => a.host === lan!.toLowerCase()),
    'and the copied invite holds it',
  );
  // The invite names this machine's LAN addresses; the test stays on loopback.
  const invite = loopbackInvite(copied);

  // Said before anyone joined: the guest must see it in the history it gets when joining.
  await say(host.page, 'welcome, early bird');

  // A wrong secret is refused with the error's sentence, and the form stays usable.
  const wrong = formatInvite({ ...parseInvite(invite), secret: randomBytes(32).toString('base64url') });
  await joinSection(guest.page).getByLabel('Invite').fill(wrong);
  await joinSection(guest.page).getByLabel('Your name').fill('Guesty');
  await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
  await guest.page
    .getByText(/secret/i)
    .first()
    .waitFor();

  await joinSection(guest.page).getByLabel('Invite').fill(invite);
  await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
  await chatLog(guest.page).waitFor();
  await chatLog(host.page).getByText('Guesty joined').waitFor();
  await chatLog(guest.page).getByText('welcome, early bird').waitFor();

  // Chat both ways; Shift+Enter makes a second line.
  await say(guest.page, 'hello from the guest');
  await chatLog(host.page).getByText('hello from the guest').waitFor();
  const box = host.page.getByRole('textbox', { name: 'Message' });
  await box.fill('line one');
  await box.press('Shift+Enter');
  await box.pressSequentially('line two');
  await box.press('Enter');
  const twoLines = chatLog(guest.page).locator('.chat-text', { hasText: 'line one' });
  await twoLines.waitFor();
  assert.equal(await twoLines.textContent(), 'line one\nline two');

  // HTML and script in a message are shown as the characters typed, never run.
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
  await say(host.page, hostile);
  const shown = chatLog(guest.page).locator('.chat-text', { hasText: 'onerror' });
  await shown.waitFor();
  assert.equal(await shown.textContent(), hostile);
  assert.equal(await chatLog(guest.page).locator('img, script, b').count(), 0, 'no element was made from the text');
  assert.equal(await guest.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

  // Links are clickable and open outside through main's check.
  await say(guest.page, 'see https://example.com/docs?x=1 for more');
  const link = chatLog(host.page).getByRole('link', { name: 'https://example.com/docs?x=1' });
  await link.click();
  await waitUntil(() => host.platform.opened.length === 1, 'the link went to the default browser');
  assert.equal(host.platform.opened[0], 'https://example.com/docs?x=1');
  assert.equal(host.page.url(), harness.pageUrl(), 'the window did not navigate');

  // A file dropped on the host's window reaches the guest byte for byte once accepted.
  const bytes = randomBytes(3 * 1024 * 1024 + 12345);
  await dropFile(host.page, 'holiday photos.bin', bytes);
  const offer = guest.page.getByTestId('transfer').filter({ hasText: 'holiday photos.bin' });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await guest.page.locator('[data-testid="transfer"][data-state="done"]').waitFor({ timeout: 60_000 });
  // The host's offer to the room stays open for people who join later; its recipient has it.
  await host.page
    .getByTestId('transfer')
    .locator('.recipient')
    .filter({ hasText: 'Guesty' })
    .filter({ hasText: 'Received' })
    .waitFor({ timeout: 60_000 });
  const saved = join(guest.downloadDir, 'holiday photos.bin');
  assert.equal(sha256(await readFile(saved)), sha256(bytes));
  const beside = await readdir(guest.downloadDir, { recursive: true, withFileTypes: true });
  assert.deepEqual(
    beside.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)),
    [saved],
    'no partial file is left beside it, nor kept data out of sight',
  );
  await offer.getByRole('button', { name: 'Show in folder' }).click();
  await waitUntil(() => guest.platform.shown.includes(saved), 'Show in folder names the saved file');

  await host.page.screenshot({ path: join(SCREENSHOTS, 'busy-room-host.png') });
  await guest.page.screenshot({ path: join(SCREENSHOTS, 'busy-room-guest.png') });

  // Stopping the room takes the guest back to the start screen with the reason.
  await host.page.getByRole('button', { name: 'Stop hosting', exact: true }).click();
  await host.page.getByRole('dialog').getByRole('button', { name: 'Stop hosting' }).click();
  await joinSection(guest.page).waitFor();
  await guest.page
    .getByText(/host closed the room/i)
    .first()
    .waitFor();

  for (const i of [host, guest]) assert.deepEqual(i.problems, [], 'no page errors, console errors or CSP violations');
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a chat of 10,000 messages stays virtualized, follows the newest line, and holds still when scrolled up', async () => {
  const host = await instance();
  await hostSection(host.page).getByLabel('Your name').fill('Talker');
  await hostSection(host.page).getByRole('button', { name: 'Host a room' }).click();
  const log = chatLog(host.page);
  await log.waitFor();
  for (let i = 1; i <= 10_000; i++) await host.core.handlers['chat:send'](`message number ${i}`);
  await log.getByText('message number 10000', { exact: true }).waitFor({ timeout: 60_000 });
  const rendered = await log.locator('.chat-text').count();
  assert.ok(rendered > 0 && rendered < 200, `only the visible lines are in the page (${rendered})`);

  // Scrolled up, someone else's new message does not pull the view down; a button offers the
  // way back. (Your own message does bring you down.)
  await log.hover();
  for (let i = 0; i < 10; i++) await host.page.mouse.wheel(0, -2000);
  await log.getByText('message number 10000', { exact: true }).waitFor({ state: 'detached' });
  const { room } = await host.core.handlers['app:snapshot']();
  const friend = await RoomClient.join(loopbackInvite(room!.invite!.invite), { name: 'Friend' });
  friend.send('one more while you read');
  const jump = host.page.getByRole('button', { name: /New messages/ });
  await jump.waitFor();
  assert.equal(await log.getByText('one more while you read').count(), 0, 'the view stayed where the reader was');
  await jump.click();
  await log.getByText('one more while you read').waitFor();
  await friend.close();

  // A reload draws the same room from the snapshot, newest line in view.
  await host.page.reload();
  await chatLog(host.page).getByText('one more while you read').waitFor();
  await host.page.screenshot({ path: join(SCREENSHOTS, 'long-chat.png') });
  assert.deepEqual(host.problems, []);
});

test('the invite grows as the router answers: every address says what it is for, and a copied invite that changed asks to be copied again', async () => {
  const host = await instance();
  await hostSection(host.page).getByLabel('Your name').fill('Hosty');
  await hostSection(host.page).getByRole('button', { name: 'Host a room' }).click();
  const copy = host.page.getByRole('button', { name: 'Copy invite', exact: true });
  await copy.click();
  await waitUntil(() => host.platform.copied.length === 1, 'the invite reached the clipboard');
  const first = parseInvite(host.platform.copied[0]!);
  const changed = invitePanel(host.page).getByText('The invite changed — copy it again.');
  assert.equal(await changed.count(), 0, 'nothing changed yet');

  // What main pushes when the router forwards and opens an IPv6 pinhole.
  const port = first.port;
  const ipv6 = { address: '2001:db8::7', port, method: 'pcp', leaseSeconds: 7200 } as const;
  const status: PortMappingStatus = {
    code: 'mapped',
    message: `Port ${port} on 203.0.113.7 forwards to this machine: friends anywhere can join with the invite.`,
    externalAddress: '203.0.113.7',
    externalPort: port,
    internalAddress: first.host,
    internalPort: port,
    method: 'upnp-igd',
    ipv6,
  };
  const addresses: RoomInvite['addresses'] = [
    { host: '203.0.113.7', port, kind: 'public', internet: true },
    { host: '2001:db8::7', port, kind: 'ipv6', internet: true },
    { host: 'home.example.org', port: 41000, kind: 'manual', internet: true },
    ...first.addresses.map((a) => ({ ...a, kind: 'lan' as const, internet: false })),
  ];
  const grown: RoomInvite = { invite: formatInvite({ addresses, fingerprint: first.fingerprint, secret: first.secret }), addresses };
  await push(host.page, 'room:port-mapping', status);
  await push(host.page, 'room:invite', grown);

  await changed.waitFor();
  assert.equal(
    (await invitePanel(host.page).locator('.invite-text').textContent())?.trim(),
    grown.invite,
    'the panel shows the new invite',
  );
  assert.equal((await copy.textContent())?.trim(), 'Copy invite', '"Copied" was about the old invite');
  await invitePanel(host.page).getByText(`${addresses.length} addresses`).click();
  const items = inviteAddresses(host.page).getByRole('listitem');
  assert.equal(await items.count(), addresses.length);
  const said = (await items.allTextContents()).join('\n');
  for (const words of [
    /203\.0\.113\.7:\d+Internet — forwarded by your routerWorks from the internet/,
    /\[2001:db8::7\]:\d+Internet over IPv6 — opened in your router's firewallWorks from the internet/,
    /home\.example\.org:41000Added by you — forwarded by handWorks from the internet/,
    /Same network \(LAN\) — your Wi-Fi or office networkWorks only on this network/,
  ])
    assert.match(said, words);
  const mapping = host.page.getByRole('status', { name: 'Port forwarding' });
  await mapping.getByText('Reachable from the internet').waitFor();
  await mapping.getByText(`Friends with IPv6 can join too: [2001:db8::7]:${port} is open in your router's firewall.`).waitFor();

  await host.page.screenshot({ path: join(SCREENSHOTS, 'host-invite.png') });
  await host.page.setViewportSize({ width: 720, height: 480 });
  await host.page.screenshot({ path: join(SCREENSHOTS, 'host-invite-720x480.png') });
  await host.page.setViewportSize({ width: 1200, height: 800 });

  // Copying again copies the new invite, and the warning goes.
  await copy.click();
  await waitUntil(() => host.platform.copied.length === 2, 'the new invite reached the clipboard');
  assert.equal(host.platform.copied[1], grown.invite);
  await changed.waitFor({ state: 'detached' });

  // The router goes away: no router to the internet, still looking; the invite shrinks back.
  await push(host.page, 'room:port-mapping', {
    code: 'no-gateway',
    message: 'This machine has no router to the internet: friends must be on this network to join.',
    internalPort: port,
    searching: true,
  } satisfies PortMappingStatus);
  await push(host.page, 'room:invite', { invite: host.platform.copied[0]!, addresses: addresses.slice(3) } satisfies RoomInvite);
  await mapping.getByText('No router to the internet', { exact: true }).waitFor();
  await mapping.getByText('Still looking… this updates by itself.').waitFor();
  await changed.waitFor();
  assert.equal(await items.count(), addresses.length - 3);
  await host.page.screenshot({ path: join(SCREENSHOTS, 'host-no-gateway.png') });
  assert.deepEqual(host.problems, []);
});

test('settings: a public address main refuses shows its sentence; an accepted one is kept for next time', async () => {
  const host = await instance();
  await host.page.getByRole('button', { name: 'Settings' }).click();
  const dialog = host.page.getByRole('dialog', { name: 'Settings' });
  const field = dialog.getByLabel('Public address', { exact: true });
  await field.fill('not an address');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const sentence = dialog.getByRole('alert').filter({ hasText: 'not an address friends can use' });
  await sentence.waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal((await host.core.handlers['app:snapshot']()).settings.publicAddress, '', 'nothing was saved');
  await host.page.screenshot({ path: join(SCREENSHOTS, 'settings-public-address.png') });
  await host.page.setViewportSize({ width: 720, height: 480 });
  await sentence.scrollIntoViewIfNeeded();
  await host.page.screenshot({ path: join(SCREENSHOTS, 'settings-public-address-720x480.png') });
  await host.page.setViewportSize({ width: 1200, height: 800 });

  await field.fill(' 203.0.113.7:41234 ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await host.core.handlers['app:snapshot']()).settings.publicAddress, '203.0.113.7:41234');

  await host.page.getByRole('button', { name: 'Settings' }).click();
  assert.equal(
    await host.page.getByRole('dialog', { name: 'Settings' }).getByLabel('Public address', { exact: true }).inputValue(),
    '203.0.113.7:41234',
  );
  assert.deepEqual(host.problems, []);
});
