// The Room size in the window (real renderer in Chromium, real main-side code): the dialog shows
// 50 until chosen, refuses a size out of range with the range under the field, keeps one in
// range, and a room being hosted follows a change made while it is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RoomClient } from '../../src-main/session/room-client';
import { PortholeError } from '../../src-main/wire/errors';
import { e2eHarness, hostSection, SCREENSHOTS } from '../fixtures/desktop/e2e-harness';
import { loopbackInvite } from '../fixtures/loopback-invite';

const harness = e2eHarness();

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  return { dialog, field: dialog.getByLabel('Room size', { exact: true }) };
}

test('Room size: 50 until chosen; out of range refused with the range and nothing saved; a hosted room follows a change', async () => {
  const host = await harness.window();
  const guests: RoomClient[] = [];
  try {
    const { dialog, field } = await openSettings(host.page);
    assert.equal(await field.inputValue(), '50');
    await field.fill('1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'A room takes from 2 to 300 people, you included' }).waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await host.page.screenshot({ path: join(SCREENSHOTS, 'settings-room-size-refused.png') });
    assert.equal((await host.core.handlers['app:snapshot']()).settings.maxPeople, 50, 'nothing was saved');

    await field.fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await host.core.handlers['app:snapshot']()).settings.maxPeople, 2);

    await hostSection(host.page).getByLabel('Your name').fill('Hosty');
    await hostSection(host.page).getByRole('button', { name: 'Host a room' }).click();
    await host.page.getByRole('button', { name: 'Copy invite', exact: true }).click();
    await waitUntil(() => host.platform.copied.length === 1);
    const invite = loopbackInvite(host.platform.copied[0]!);
    const enter = async (name: string) => {
      const guest = await RoomClient.join(invite, { name });
      guests.push(guest);
    };
    await enter('Alice');
    await assert.rejects(enter('Bob'), (err: unknown) => err instanceof PortholeError && err.code === 'room-full');

    // Made bigger while hosting: Bob gets in without the room starting again.
    const again = await openSettings(host.page);
    assert.equal(await again.field.inputValue(), '2');
    await again.field.fill('3');
    await again.dialog.getByRole('button', { name: 'Save' }).click();
    await again.dialog.waitFor({ state: 'detached' });
    await enter('Bob');
    assert.equal((await host.core.handlers['app:snapshot']()).room?.members.length, 3);
    assert.deepEqual(host.problems, []);
  } finally {
    await Promise.all(guests.map((g) => g.close()));
  }
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
