// A porthole:// link, end to end from the core on: the shell hands the link to the desktop core
// (core.openInvite, as app-shell.ts does on second-instance and open-url; the Electron side is
// unit-tested in test/unit/app/app-shell.test.ts), the core checks it and pushes app:open-invite,
// and the real renderer in Chromium fills and focuses the Join form, which then joins a real room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RoomView } from '../../src-preload/contract';
import { e2eHarness, SCREENSHOTS } from '../fixtures/desktop/e2e-harness';
import { loopbackInvite } from '../fixtures/loopback-invite';

const harness = e2eHarness();
const instance = () => harness.window();

const joinSection = (page: Page) => page.getByRole('region', { name: 'Join a room' });
const inviteField = (page: Page) => joinSection(page).getByLabel('Invite');

async function waitUntil(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a porthole:// link fills the Join form and focuses it; joining from there opens the room', async () => {
  const host = await instance();
  const guest = await instance();
  await host.page.getByRole('region', { name: 'Host a room' }).getByRole('button', { name: 'Host a room' }).click();
  await waitUntil(() => host.pushed.some((p) => p.event === 'room:opened'), 'the host’s room opened');
  const opened = host.pushed.find((p) => p.event === 'room:opened')!.payload as RoomView;
  const invite = loopbackInvite(opened.invite!.invite);

  await inviteField(guest.page).waitFor();
  // The guest's window has loaded (it asked for its snapshot), so the link comes as an event.
  assert.equal(guest.core.openInvite(invite), true);
  await waitUntil(() => guest.pushed.some((p) => p.event === 'app:open-invite'), 'app:open-invite was pushed');
  await guest.page.waitForFunction((expected) => {
    const field = document.activeElement as HTMLInputElement | null;
    return field?.value === expected && field.getAttribute('placeholder') === 'porthole://…';
  }, invite);
  assert.equal(await inviteField(guest.page).inputValue(), invite);
  await guest.page.screenshot({ path: join(SCREENSHOTS, 'deep-link-join-form.png') });

  // A link that is not an invite changes nothing.
  assert.equal(guest.core.openInvite('porthole://example.org:1/not/an-invite'), false);
  assert.equal(guest.pushed.filter((p) => p.event === 'app:open-invite').length, 1);

  await joinSection(guest.page).getByLabel('Your name').fill('Linky');
  await joinSection(guest.page).getByRole('button', { name: 'Join' }).click();
  await guest.page.getByRole('log', { name: 'Chat' }).waitFor();
  await host.page.getByRole('log', { name: 'Chat' }).getByText('Linky joined').waitFor();

  // In a room, a second link says where it waits instead of leaving the room.
  assert.equal(guest.core.openInvite(invite), true);
  await guest.page.getByText(/You opened an invite: leave this room to join it/).waitFor();
  assert.deepEqual(guest.problems, []);
  assert.deepEqual(host.problems, []);
});
