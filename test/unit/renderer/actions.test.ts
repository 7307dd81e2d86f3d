import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PortholeApi, Result } from '../../../src-preload/contract';
import type { Action } from '../../../src-renderer/state/app-state';
import { createActions } from '../../../src-renderer/state/actions';
import { roomView } from './room-fixtures';

const ok = <T>(data: T): Promise<Result<T>> => Promise.resolve({ ok: true, data });

function setup(api: Partial<PortholeApi>) {
  const dispatched: Action[] = [];
  const actions = createActions(api as PortholeApi, (a) => dispatched.push(a));
  return { actions, dispatched };
}

test('joining hands back the answer; the room opens with the room:opened event, not here; a refusal only hands back the sentence', async () => {
  const room = roomView();
  const joined = setup({ join: () => ok(room) });
  assert.ok((await joined.actions.join('porthole://x', 'Bo')).ok);
  assert.deepEqual(joined.dispatched, [], 'room:opened (ordered before every later event) opens it');
  const hosted = setup({ host: () => ok(roomView({ role: 'host' })) });
  assert.ok((await hosted.actions.host('Ana')).ok);
  assert.deepEqual(hosted.dispatched, []);

  const refused = setup({
    join: async () => ({ ok: false, error: { code: 'name-taken', message: 'Someone in the room already uses that name.' } }),
  });
  const result = await refused.actions.join('porthole://x', 'Bo');
  assert.equal(!result.ok && result.error.message, 'Someone in the room already uses that name.');
  assert.deepEqual(refused.dispatched, []);
});

test('an offer that was refused becomes one notice naming what was not sent; an offer made says nothing', async () => {
  const unreadable = { code: 'file-unreadable', message: 'There is no file to send at /x/b.txt.' } as const;
  const refused = setup({ offerFiles: async () => ({ ok: false as const, error: unreadable }) });
  await refused.actions.offerFiles([new File(['a'], 'a.txt'), new File(['b'], 'b.txt'), new File(['c'], 'c.txt')]);
  await refused.actions.offerFiles([new File(['a'], 'a.txt')]);
  assert.deepEqual(refused.dispatched, [
    { type: 'notice-added', text: 'a.txt and 2 more were not sent: There is no file to send at /x/b.txt.' },
    { type: 'notice-added', text: 'a.txt was not sent: There is no file to send at /x/b.txt.' },
  ]);

  const passed: unknown[] = [];
  const made = setup({
    offerFiles: async (_files, to) => {
      passed.push(to);
      return { ok: true, data: { transferId: 'q1' } };
    },
  });
  const result = await made.actions.offerFiles([new File(['a'], 'a.txt')], ['m1']);
  assert.deepEqual(result, { ok: true, data: { transferId: 'q1' } });
  assert.deepEqual(passed, [['m1']]);
  assert.deepEqual(made.dispatched, []);
});

test('a picker that was cancelled says nothing; a refused pick says why', async () => {
  const cancelled = setup({ chooseFiles: () => ok(null), chooseFolder: () => ok(null) });
  assert.deepEqual(await cancelled.actions.chooseFiles(), { ok: true, data: null });
  assert.deepEqual(await cancelled.actions.chooseFolder(['m1']), { ok: true, data: null });
  assert.deepEqual(cancelled.dispatched, []);
  const gone = { code: 'not-found', message: 'Someone you chose is no longer in the room. Choose again.' } as const;
  const refused = setup({ chooseFolder: async () => ({ ok: false as const, error: gone }) });
  await refused.actions.chooseFolder(['m1']);
  assert.deepEqual(refused.dispatched, [{ type: 'notice-added', text: gone.message }]);
});

test('Clear finished drops the ids main forgot; Retry that fails says why', async () => {
  const cleared = setup({ clearFinished: () => ok(['3', '5']) });
  await cleared.actions.clearFinished();
  assert.deepEqual(cleared.dispatched, [{ type: 'transfers-cleared', ids: ['3', '5'] }]);
  const notAllowed = { code: 'not-allowed', message: 'Holiday cannot be tried again now.' } as const;
  const retried: string[] = [];
  const retry = setup({
    retry: async (id) => {
      retried.push(id);
      return { ok: false as const, error: notAllowed };
    },
  });
  await retry.actions.retry('7');
  assert.deepEqual(retried, ['7']);
  assert.deepEqual(retry.dispatched, [{ type: 'notice-added', text: notAllowed.message }]);
});

test('a bridge call that throws becomes a failed Result with a sentence, not a rejection', async () => {
  const { actions, dispatched } = setup({ snapshot: () => Promise.reject(new Error('channel closed')) });
  const result = await actions.loadSnapshot();
  assert.equal(result.ok, false);
  assert.equal(dispatched[0]?.type, 'snapshot-failed');
  assert.match(!result.ok ? result.error.message : '', /channel closed/);
});

test('settings answers update the store; refused ones do not', async () => {
  const saved = {
    displayName: 'Bo',
    downloadDir: '/d',
    downloadDirIsDefault: true,
    port: 4000,
    upnp: true,
    publicAddress: '203.0.113.7:41234',
  };
  const good = setup({ updateSettings: () => ok(saved) });
  await good.actions.updateSettings({ port: 4000, publicAddress: '203.0.113.7:41234' });
  assert.deepEqual(good.dispatched, [{ type: 'settings-changed', settings: saved }]);
  const bad = setup({ updateSettings: async () => ({ ok: false, error: { code: 'name-invalid', message: 'The name is empty.' } }) });
  const result = await bad.actions.updateSettings({ displayName: '' });
  assert.equal(result.ok, false);
  assert.deepEqual(bad.dispatched, []);
  const sentence = '"a b" is not an address friends can use: the host is not an IP address or a name.';
  const badAddress = setup({ updateSettings: async () => ({ ok: false, error: { code: 'invalid-request', message: sentence } }) });
  const refused = await badAddress.actions.updateSettings({ publicAddress: 'a b' });
  assert.equal(!refused.ok && refused.error.message, sentence, "the form gets main's sentence to show");
  assert.deepEqual(badAddress.dispatched, [], 'a refused address is not a notice: the form shows it');
});

test('leaving ends the room in the window once main agrees', async () => {
  const { actions, dispatched } = setup({ leave: () => ok(null) });
  await actions.leave();
  assert.deepEqual(dispatched, [{ type: 'room-ended' }]);
});
