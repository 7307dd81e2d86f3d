// The window's finish (issue 13), in Debian's Chromium with the real main-side code behind it:
// the minimum window size with Files one click away (screenshots, light and dark, small and
// large), paste-to-offer reaching the other side, Cancel while joining, refused text kept in the
// box, day separators and the unread count while the window is in the background.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DesktopInstance } from '../fixtures/desktop/desktop-instance';
import { e2eHarness, SCREENSHOTS } from '../fixtures/desktop/e2e-harness';
import { loopbackInvite } from '../fixtures/loopback-invite';

const harness = e2eHarness();
const instance = () => harness.window();

const hostSection = (page: Page) => page.getByRole('region', { name: 'Host a room' });
const joinSection = (page: Page) => page.getByRole('region', { name: 'Join a room' });
const chatLog = (page: Page) => page.getByRole('log', { name: 'Chat' });
const messageBox = (page: Page) => page.getByRole('textbox', { name: 'Message' });

async function say(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether the element's whole box is inside the viewport (nothing to scroll to reach it). */
async function inView(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

/** A host and a guest in one room on loopback. */
async function room(): Promise<{ host: DesktopInstance; guest: DesktopInstance; invite: string }> {
  const host = await instance();
  const guest = await instance();
  await hostSection(host.page).getByLabel('Your name').fill('Hosty');
  await hostSection(host.page).getByRole('button', { name: 'Host a room' }).click();
  const copy = host.page.getByRole('button', { name: 'Copy invite', exact: true });
  await copy.click();
  await waitUntil(() => host.platform.copied.length === 1, 'the invite reached the clipboard');
  const invite = loopbackInvite(host.platform.copied[0]!);
  await joinSection(guest.page).getByLabel('Invite').fill(invite);
  await joinSection(guest.page).getByLabel('Your name').fill('Guesty Longname-Wolfeschlegel');
  await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
  await chatLog(guest.page).waitFor();
  await chatLog(host.page)
    .getByText(/joined/)
    .waitFor();
  return { host, guest, invite };
}

test('at the minimum window size (720×480) Files and Send files are one click away, light and dark; wide windows show both columns', async () => {
  const { host, guest } = await room();
  await say(host.page, 'hello there');
  await say(guest.page, 'hi!');
  await chatLog(host.page).getByText('hi!').waitFor();

  for (const scheme of ['light', 'dark'] as const) {
    await host.page.emulateMedia({ colorScheme: scheme });
    await host.page.setViewportSize({ width: 720, height: 480 });
    const tabs = host.page.getByRole('tablist', { name: 'People and files' });
    await tabs.waitFor();
    const filesTab = tabs.getByRole('tab', { name: /^Files/ });
    assert.ok(await inView(host.page, filesTab), `the Files tab is in view at 720×480 (${scheme})`);
    assert.ok(await inView(host.page, messageBox(host.page)), `the message box is in view at 720×480 (${scheme})`);
    await tabs.getByRole('tab', { name: 'People' }).click();
    await host.page.screenshot({ path: join(SCREENSHOTS, `polish-720x480-people-${scheme}.png`) });
    await filesTab.click();
    const send = host.page.getByRole('button', { name: /Send files/ });
    await send.waitFor();
    assert.ok(await inView(host.page, send), `Send files… is in view at 720×480 (${scheme})`);
    await host.page.screenshot({ path: join(SCREENSHOTS, `polish-720x480-files-${scheme}.png`) });

    await host.page.setViewportSize({ width: 1600, height: 1000 });
    await host.page.getByRole('tablist').waitFor({ state: 'detached' });
    assert.ok(await inView(host.page, host.page.getByRole('button', { name: /Send files/ })), 'a wide window shows Files beside the chat');
    assert.ok(await inView(host.page, host.page.getByRole('region', { name: 'Invite people' })));
    await host.page.getByRole('button', { name: 'QR code' }).click();
    await host.page.getByRole('img', { name: 'QR code of the invite' }).waitFor();
    await host.page.screenshot({ path: join(SCREENSHOTS, `polish-1600x1000-${scheme}.png`) });
    await host.page.getByRole('button', { name: 'Hide QR code' }).click();
  }

  // The guest's long name is cut in the list, whole on hover and for screen readers.
  const longName = 'Guesty Longname-Wolfeschlegel';
  const nameInList = host.page.locator('.member-name', { hasText: 'Guesty' });
  assert.equal(await nameInList.getAttribute('title'), longName);
  assert.equal(await nameInList.textContent(), longName);
  // Today's lines sit under a "Today" separator.
  await chatLog(host.page).getByText('Today', { exact: true }).first().waitFor();

  for (const i of [host, guest]) assert.deepEqual(i.problems, [], 'no page errors, console errors or CSP violations');
});

test('an image pasted into the window is offered to the room and arrives byte for byte', async () => {
  const { host, guest } = await room();
  const bytes = randomBytes(200_000);
  await messageBox(host.page).focus();
  await host.page.evaluate(
    ([base64]) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([data], 'pasted.png', { type: 'image/png' }));
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
    },
    [bytes.toString('base64')] as const,
  );
  assert.equal(await messageBox(host.page).inputValue(), '', 'a pasted file is not pasted as text');
  // At the default size the guest's Files column is in view; the offer arrives there.
  const offer = guest.page.getByTestId('transfer').filter({ hasText: 'pasted.png' });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await guest.page.locator('[data-testid="transfer"][data-state="done"]').waitFor({ timeout: 60_000 });
  const saved = await readFile(join(guest.downloadDir, 'pasted.png'));
  assert.equal(createHash('sha256').update(saved).digest('hex'), createHash('sha256').update(bytes).digest('hex'));

  // Pasted text still goes into the message box.
  await messageBox(host.page).focus();
  await host.page.evaluate(() => {
    const clipboard = new DataTransfer();
    clipboard.setData('text/plain', 'just text');
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
  });
  assert.equal(await host.page.getByTestId('transfer').count(), 1, 'pasted text offers nothing');
});

test('Cancel while joining gives the form back at once, with no error', async () => {
  // A "host" that takes the connection and never answers the TLS handshake.
  const sockets: Socket[] = [];
  const silent: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { invite } = await room();
    const guest = await instance();
    const unanswered = loopbackInvite(invite, (silent.address() as AddressInfo).port);
    await joinSection(guest.page).getByLabel('Invite').fill(unanswered);
    await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
    await joinSection(guest.page).getByText('Connecting…').waitFor();
    await guest.page.screenshot({ path: join(SCREENSHOTS, 'polish-joining-cancel.png') });
    const started = Date.now();
    await joinSection(guest.page).getByRole('button', { name: 'Cancel' }).click();
    await joinSection(guest.page).getByRole('button', { name: 'Join' }).and(guest.page.locator(':enabled')).waitFor({ timeout: 5000 });
    assert.ok(Date.now() - started < 5000, 'cancelled well before any connect timeout');
    assert.equal(await joinSection(guest.page).getByRole('button', { name: 'Cancel' }).count(), 0);
    assert.equal((await joinSection(guest.page).getByRole('alert').allTextContents()).join('').trim(), '', 'no error for a cancel');
    assert.equal(await joinSection(guest.page).getByLabel('Invite').inputValue(), unanswered, 'the invite is still there to retry');
    // An empty invite is said next to the Invite field, which names the sentence.
    await joinSection(guest.page).getByLabel('Invite').fill('');
    await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
    const field = joinSection(guest.page).getByLabel('Invite');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const describedBy = (await field.getAttribute('aria-describedby'))!;
    assert.match((await guest.page.locator(`#${describedBy}`).textContent()) ?? '', /Paste the invite/);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('the composer keeps text the room refused and says why next to the box', async () => {
  const { host, guest } = await room();
  // Refused at once: over the length limit.
  const long = 'x'.repeat(4001);
  await messageBox(guest.page).fill(long);
  await messageBox(guest.page).press('Enter');
  const why = guest.page.locator('#composer-error');
  await why.getByText(/longer than 4000 characters/).waitFor();
  assert.equal(await messageBox(guest.page).inputValue(), long, 'the text is still in the box');
  assert.equal(await messageBox(guest.page).getAttribute('aria-invalid'), 'true');
  assert.match((await messageBox(guest.page).getAttribute('aria-describedby')) ?? '', /composer-error/);

  // Refused later (chat:send-failed, e.g. the host said no after the box was cleared): the text comes back.
  await messageBox(guest.page).fill('');
  await guest.page.evaluate(() =>
    (window as unknown as { __portholePush: (e: string, p: unknown) => void }).__portholePush('chat:send-failed', {
      id: 'x1',
      text: 'the line the host refused',
      error: { code: 'rate-limited', message: 'You are sending messages too fast.' },
    }),
  );
  await why.getByText('Not sent: You are sending messages too fast.').waitFor();
  assert.equal(await messageBox(guest.page).inputValue(), 'the line the host refused');
  // Sending it now works and clears the sentence.
  await messageBox(guest.page).press('Enter');
  await chatLog(host.page).getByText('the line the host refused').waitFor();
  assert.equal((await why.textContent())?.trim(), '');
});

test('while the window is in the background, new lines from others count in the title and on the badge; focus clears it', async () => {
  const { host, guest } = await room();
  // Headless pages always have focus: the guest's window is made to look unfocused.
  // (A string, so the test runner's transform adds no helper the page lacks.)
  const focused = (yes: boolean) =>
    `Object.defineProperty(document, 'hasFocus', { value: function () { return ${yes}; }, configurable: true })`;
  await guest.page.evaluate(focused(false));
  await say(host.page, 'one');
  await say(host.page, 'two');
  await chatLog(guest.page).getByText('two').waitFor();
  await waitUntil(() => guest.platform.badges.at(-1) === 2, 'the badge shows 2');
  assert.equal(await guest.page.title(), '(2) Porthole');
  await say(guest.page, 'my own line does not count');
  await chatLog(host.page).getByText('my own line does not count').waitFor();
  assert.equal(await guest.page.title(), '(2) Porthole');

  await guest.page.evaluate(focused(true));
  await guest.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await waitUntil(() => guest.platform.badges.at(-1) === 0, 'the badge is cleared');
  assert.equal(await guest.page.title(), 'Porthole');
  assert.deepEqual(guest.platform.badges, [1, 2, 0]);
});
