import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppSnapshot, SettingsView } from '../../../src-preload/contract';
import { initialState, type AppState } from '../../../src-renderer/state/app-state';
import { MAX_NOTICES, reducer } from '../../../src-renderer/state/reducer';
import { ana, bo, chat, lanEntry, roomInvite, roomView, transfer } from './room-fixtures';

const settings: SettingsView = {
  displayName: '',
  downloadDir: '/d',
  downloadDirIsDefault: true,
  port: null,
  upnp: false,
  publicAddress: '',
};
const snapshot = (room: AppSnapshot['room']): AppSnapshot => ({ settings, room, suggestedName: 'robin' });
const inRoom = (patch = {}): AppState => reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(roomView(patch)) });

test('the first snapshot makes the window ready, on the start screen or in the room', () => {
  const start = reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(null) });
  assert.equal(start.phase, 'ready');
  assert.equal(start.room, null);
  assert.equal(start.suggestedName, 'robin');
  assert.equal(start.settings, settings);
  const room = inRoom({ events: [chat(1), chat(1), chat(2)] });
  assert.equal(room.room?.role, 'guest');
  assert.deepEqual(
    room.room?.events.map((e) => e.seq),
    [1, 2],
    'the snapshot history is de-duplicated too',
  );
});

test('a failed snapshot keeps its sentence', () => {
  const state = reducer(initialState, { type: 'snapshot-failed', error: { code: 'internal', message: 'Broken.' } });
  assert.equal(state.phase, 'failed');
  assert.equal(state.loadError, 'Broken.');
});

test('pushed room changes update the open room and leave the input untouched', () => {
  const before = inRoom();
  const frozen = structuredClone(before);
  let state = reducer(before, { type: 'events-received', events: [chat(1), chat(2)] });
  state = reducer(state, { type: 'members-changed', members: [ana] });
  state = reducer(state, { type: 'status-changed', status: { state: 'reconnecting', attempt: 2 } });
  state = reducer(state, { type: 'invite-changed', invite: roomInvite([lanEntry()]) });
  state = reducer(state, { type: 'port-mapping-changed', portMapping: { code: 'mapped', message: 'ok', internalPort: 1 } });
  assert.deepEqual(
    state.room?.events.map((e) => e.seq),
    [1, 2],
  );
  assert.deepEqual(state.room?.members, [ana]);
  assert.deepEqual(state.room?.status, { state: 'reconnecting', attempt: 2 });
  assert.equal(state.room?.invite?.addresses.length, 1);
  assert.equal(state.room?.portMapping?.code, 'mapped');
  assert.deepEqual(before, frozen, 'the reducer is pure');
});

test('a changed invite replaces the whole invite: an address added, then one removed', () => {
  const lan = lanEntry();
  const pub = { host: '203.0.113.7', port: 41234, kind: 'public', internet: true } as const;
  let state = inRoom({ role: 'host', me: ana, invite: roomInvite([lan]) });
  const grown = roomInvite([pub, lan]);
  state = reducer(state, { type: 'invite-changed', invite: grown });
  assert.equal(state.room?.invite, grown);
  assert.deepEqual(
    state.room?.invite?.addresses.map((a) => a.kind),
    ['public', 'lan'],
  );
  state = reducer(state, { type: 'invite-changed', invite: roomInvite([lan]) });
  assert.deepEqual(state.room?.invite?.addresses, [lan]);
  assert.equal(state.room?.invite?.invite, 'porthole://192.168.1.20:41234/fingerprint/secret');
});

test('room events with no room open are dropped', () => {
  const start = reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(null) });
  assert.equal(reducer(start, { type: 'events-received', events: [chat(1)] }), start);
  assert.equal(reducer(start, { type: 'transfer-changed', transfer: transfer('t1') }), start);
  assert.equal(reducer(start, { type: 'members-changed', members: [ana] }), start);
  assert.equal(reducer(start, { type: 'invite-changed', invite: roomInvite([lanEntry()]) }), start);
});

test('a replayed event already shown does not change the state object', () => {
  const state = reducer(inRoom(), { type: 'events-received', events: [chat(1)] });
  assert.equal(reducer(state, { type: 'events-received', events: [chat(1)] }), state);
});

test('transfers are kept one per id, updated in place', () => {
  let state = inRoom({ transfers: [transfer('t1')] });
  state = reducer(state, { type: 'transfer-changed', transfer: transfer('t2', { direction: 'outgoing' }) });
  state = reducer(state, { type: 'transfer-changed', transfer: transfer('t1', { state: 'receiving', bytes: 500, percent: 50 }) });
  assert.deepEqual(
    state.room?.transfers.map((t) => `${t.id}:${t.state}`),
    ['t1:receiving', 't2:offered'],
  );
});

test('a queued offer the room numbered (`was`) takes the queued entry’s place: one item, where it was', () => {
  let state = inRoom({ transfers: [transfer('3', { state: 'done' })] });
  const queued = transfer('q1', { direction: 'outgoing', state: 'queued', fileName: 'Holiday', files: 312, size: 2_100_000_000 });
  state = reducer(state, { type: 'transfer-changed', transfer: queued });
  state = reducer(state, { type: 'transfer-changed', transfer: transfer('4', { direction: 'outgoing', state: 'sending' }) });
  const numbered = { ...queued, id: '7', state: 'offered' as const, was: 'q1' };
  state = reducer(state, { type: 'transfer-changed', transfer: numbered });
  assert.deepEqual(
    state.room?.transfers.map((t) => `${t.id}:${t.state}`),
    ['3:done', '7:offered', '4:sending'],
  );
  assert.equal('was' in (state.room?.transfers[1] ?? {}), false, 'the store keeps views, not what they replaced');
  // Later updates of 7 (with or without `was`) update it in place.
  state = reducer(state, { type: 'transfer-changed', transfer: { ...numbered, state: 'sending', was: 'q1' } });
  const { was: _was, ...plain } = numbered;
  state = reducer(state, { type: 'transfer-changed', transfer: { ...plain, state: 'done' } });
  assert.deepEqual(
    state.room?.transfers.map((t) => `${t.id}:${t.state}`),
    ['3:done', '7:done', '4:sending'],
  );
});

test('an update under the new id that overtook the numbering is merged, never shown twice', () => {
  let state = inRoom({ transfers: [transfer('q2', { direction: 'outgoing', state: 'queued' })] });
  state = reducer(state, { type: 'transfer-changed', transfer: transfer('8', { direction: 'outgoing', state: 'offered' }) });
  state = reducer(state, {
    type: 'transfer-changed',
    transfer: { ...transfer('8', { direction: 'outgoing', state: 'sending' }), was: 'q2' },
  });
  assert.deepEqual(
    state.room?.transfers.map((t) => `${t.id}:${t.state}`),
    ['8:sending'],
  );
});

test('Clear finished removes exactly the ids main forgot; nothing to remove keeps the state object', () => {
  const state = inRoom({
    transfers: [transfer('1', { state: 'done' }), transfer('2', { state: 'receiving' }), transfer('3', { state: 'failed' })],
  });
  const cleared = reducer(state, { type: 'transfers-cleared', ids: ['1', '3'] });
  assert.deepEqual(
    cleared.room?.transfers.map((t) => t.id),
    ['2'],
  );
  assert.equal(reducer(cleared, { type: 'transfers-cleared', ids: ['1', 'gone'] }), cleared);
  assert.equal(reducer(cleared, { type: 'transfers-cleared', ids: [] }), cleared);
  const start = reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(null) });
  assert.equal(reducer(start, { type: 'transfers-cleared', ids: ['1'] }), start);
});

test('the room ending returns to the start screen with its sentence', () => {
  const state = reducer(inRoom(), { type: 'room-ended', error: { code: 'room-closed', message: 'The host closed the room.' } });
  assert.equal(state.room, null);
  assert.equal(state.endedMessage, 'The host closed the room.');
  const again = reducer(state, { type: 'room-ended' });
  assert.equal(again, state, 'a later "ended" (our own leave answer) changes nothing');
  assert.equal(reducer(state, { type: 'room-ended', error: { code: 'internal', message: 'Late.' } }), state, 'nor does a late error');
  assert.equal(reducer(again, { type: 'ended-message-dismissed' }).endedMessage, null);
  assert.equal(reducer(inRoom(), { type: 'room-ended' }).endedMessage, null, 'leaving on purpose says nothing');
});

test('opening a room clears the last ending and old notices', () => {
  let state = reducer(inRoom(), { type: 'notice-added', text: 'old' });
  state = reducer(state, { type: 'room-ended', error: { code: 'room-closed', message: 'Closed.' } });
  state = reducer(state, { type: 'room-opened', room: roomView({ role: 'host', me: ana }) });
  assert.equal(state.room?.role, 'host');
  assert.equal(state.endedMessage, null);
  assert.deepEqual(state.notices, []);
});

test('notices get increasing ids, can be dismissed, and only the newest few are kept', () => {
  let state = inRoom();
  for (let i = 0; i < MAX_NOTICES + 2; i++) state = reducer(state, { type: 'notice-added', text: `n${i}` });
  assert.equal(state.notices.length, MAX_NOTICES);
  assert.equal(state.notices.at(-1)?.text, `n${MAX_NOTICES + 1}`);
  const ids = state.notices.map((n) => n.id);
  assert.deepEqual(
    ids,
    ids.toSorted((a, b) => a - b),
  );
  const first = state.notices[0]!;
  state = reducer(state, { type: 'notice-dismissed', id: first.id });
  assert.ok(!state.notices.some((n) => n.id === first.id));
});

test('settings changes replace the settings, in or out of a room', () => {
  const next = { ...settings, displayName: 'Robin' };
  assert.equal(reducer(initialState, { type: 'settings-changed', settings: next }).settings, next);
  assert.equal(reducer(inRoom(), { type: 'settings-changed', settings: next }).settings, next);
});

test('a batch applies its actions in order', () => {
  const state = reducer(inRoom(), {
    type: 'batch',
    actions: [
      { type: 'events-received', events: [chat(1)] },
      { type: 'members-changed', members: [bo] },
      { type: 'room-ended', error: { code: 'room-closed', message: 'Closed.' } },
      { type: 'events-received', events: [chat(2)] },
    ],
  });
  assert.equal(state.room, null);
  assert.equal(state.endedMessage, 'Closed.');
});
