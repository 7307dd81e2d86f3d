// "Who is typing" (typing/1) in the window, in Debian's Chromium with the real main-side code
// behind two instances: typing shows "… is typing" to the other, sending clears it at once,
// emptying the box clears it, and it is never shown to the one typing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2eHarness } from '../fixtures/desktop/e2e-harness';
import { loopbackInvite } from '../fixtures/loopback-invite';

const harness = e2eHarness();
const instance = () => harness.window();

const messageBox = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const typingLine = (page: Page) => page.locator('form.composer p[aria-live="polite"]');

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('typing shows under the chat for the other person, and is gone once the line is sent or the box emptied', async () => {
  const host = await instance();
  const guest = await instance();
  const hostForm = host.page.getByRole('region', { name: 'Host a room' });
  await hostForm.getByLabel('Your name').fill('Ada');
  await hostForm.getByRole('button', { name: 'Host a room' }).click();
  await host.page.getByRole('button', { name: 'Copy invite', exact: true }).click();
  await waitUntil(() => host.platform.copied.length === 1, 'the invite reached the clipboard');
  const joinForm = guest.page.getByRole('region', { name: 'Join a room' });
  await joinForm.getByLabel('Invite').fill(loopbackInvite(host.platform.copied[0]!));
  await joinForm.getByLabel('Your name').fill('Bob');
  await joinForm.getByRole('button', { name: 'Join' }).click();
  await messageBox(guest.page).waitFor();

  await messageBox(guest.page).pressSequentially('hello th', { delay: 20 });
  await typingLine(host.page).filter({ hasText: 'Bob is typing…' }).waitFor();
  assert.equal(((await typingLine(guest.page).textContent()) ?? '').trim(), '', 'never shown to the one typing');

  await messageBox(guest.page).press('Enter');
  await host.page.getByRole('log', { name: 'Chat' }).getByText('hello th').waitFor();
  await typingLine(host.page).filter({ hasText: /^\s*$/ }).waitFor();

  await messageBox(host.page).fill('a reply');
  await typingLine(guest.page).filter({ hasText: 'Ada is typing…' }).waitFor();
  await messageBox(host.page).fill('');
  await typingLine(guest.page).filter({ hasText: /^\s*$/ }).waitFor();
});
