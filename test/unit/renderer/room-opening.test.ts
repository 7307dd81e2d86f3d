// The window opens a room from the room:opened event (ordered before every later event of that
// room), not from the host or join call's answer; and a window reloaded during a host or join
// shows it on its way, then the room, or why it gave up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppSnapshot, EventName, Events, PortholeApi, SettingsView } from '../../../src-preload/contract';
import { initialState, type AppState } from '../../../src-renderer/state/app-state';
import { connectBridge } from '../../../src-renderer/state/bridge-events';
import { reducer } from '../../../src-renderer/state/reducer';
import { ana, bo, chat, roomView } from './room-fixtures';

const settings: SettingsView = {
  displayName: 'Bo',
  downloadDir: '/d',
  downloadDirIsDefault: true,
  port: null,
  upnp: true,
  publicAddress: '',
};
const snapshot = (patch: Partial<AppSnapshot> = {}): AppSnapshot => ({ settings, room: null, suggestedName: 'bo', ...patch });
const loaded = (patch: Partial<AppSnapshot> = {}) => reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(patch) });

/** The real bridge module over pushed events, feeding the real reducer; flushed by hand. */
function windowOn(start: AppState) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const api = {
    on: (event: EventName, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  } as unknown as PortholeApi;
  let state = start;
  let pending: (() => void) | null = null;
  connectBridge(api, (batch) => (state = reducer(state, batch)), {
    me: () => state.room?.me ?? null,
    notifier: { roomEvent: () => {}, offer: () => {} },
    schedule: (flush) => {
      pending = flush;
      return () => (pending = null);
    },
  });
  const push = <E extends EventName>(event: E, payload: Events[E]) => listeners.get(event)?.(payload);
  const flush = () => {
    const run = pending;
    pending = null;
    run?.();
  };
  return { push, flush, state: () => state };
}

test('room:opened opens the room, and the warning and first port-mapping status pushed after it are kept', () => {
  const window = windowOn(loaded());
  const view = roomView({ role: 'host', me: ana, members: [ana], portMapping: { code: 'stopped', message: 'Off.', internalPort: 4000 } });
  window.push('room:opened', view);
  window.push('room:warning', { code: 'internal', message: 'The saved host identity was damaged.' });
  window.push('room:port-mapping', { code: 'starting', message: 'Asking your router.', internalPort: 4000 });
  window.push('room:event', { event: chat(1), replayed: false });
  window.flush();
  const { room, notices } = window.state();
  assert.equal(room?.role, 'host');
  assert.deepEqual(
    notices.map((n) => n.text),
    ['The saved host identity was damaged.'],
  );
  assert.equal(room?.portMapping?.code, 'starting');
  assert.deepEqual(
    room?.events.map((e) => e.seq),
    [1],
  );
});

test('a reload during a join shows it on its way, then the room when room:opened comes', () => {
  const state = loaded({ opening: 'joining' });
  assert.equal(state.opening, 'joining');
  assert.equal(state.room, null);
  const window = windowOn(state);
  window.push('room:opened', roomView({ events: [chat(1)] }));
  window.push('room:members', [ana, bo]);
  window.flush();
  assert.equal(window.state().opening, null);
  assert.equal(window.state().room?.role, 'guest');
});

test("a reload during a join that then fails shows why; a cancelled one, and the asking window's own failure, say nothing", () => {
  const failed = reducer(loaded({ opening: 'joining' }), {
    type: 'room-open-failed',
    error: { code: 'host-unreachable', message: 'The host could not be reached.' },
  });
  assert.equal(failed.opening, null);
  assert.equal(failed.endedMessage, 'The host could not be reached.');

  const cancelled = reducer(loaded({ opening: 'hosting' }), {
    type: 'room-open-failed',
    error: { code: 'cancelled', message: 'Hosting was cancelled.' },
  });
  assert.equal(cancelled.opening, null);
  assert.equal(cancelled.endedMessage, null);

  // The window that asked shows the answer's sentence in its form; the event adds nothing.
  const asking = loaded();
  assert.equal(reducer(asking, { type: 'room-open-failed', error: { code: 'name-taken', message: 'Taken.' } }), asking);
});

test('a room that opened while the first snapshot was on its way is not undone by that snapshot', () => {
  let state = reducer(initialState, { type: 'room-opened', room: roomView() });
  state = reducer(state, { type: 'events-received', events: [chat(1)] });
  // Read just before the room opened, answered just after.
  state = reducer(state, { type: 'snapshot-loaded', snapshot: snapshot({ opening: 'joining' }) });
  assert.equal(state.phase, 'ready');
  assert.equal(state.opening, null);
  assert.deepEqual(
    state.room?.events.map((e) => e.seq),
    [1],
  );
  assert.equal(state.settings, settings);

  // Later snapshots (Try again, say) are taken as they are.
  const next = reducer(state, { type: 'snapshot-loaded', snapshot: snapshot() });
  assert.equal(next.room, null);
});
