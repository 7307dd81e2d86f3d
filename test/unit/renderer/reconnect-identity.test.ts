// After a reconnect to a restarted host the window gets `room:me`: from then on it is the new you,
// your earlier lines stay yours, and your own new messages raise no notification even when they
// arrive in the same turn as `room:me` (before the store has caught up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventName, Events, Member, PortholeApi, RoomEvent } from '../../../src-preload/contract';
import { initialState, type AppState, type BatchAction } from '../../../src-renderer/state/app-state';
import { connectBridge } from '../../../src-renderer/state/bridge-events';
import { createNotifier, type NotificationHost } from '../../../src-renderer/state/desktop-notifications';
import { reducer } from '../../../src-renderer/state/reducer';
import { ana, bo, chat, roomView } from './room-fixtures';

const boAgain: Member = { ...bo, id: 'bo99' };

function fakeBridge() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api = {
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  } as unknown as PortholeApi;
  const emit = <E extends EventName>(event: E, payload: Events[E]) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, emit };
}

/** A notification host in the background, with permission, recording what it shows. */
function backgroundHost() {
  const shown: string[] = [];
  const host: NotificationHost = {
    hasFocus: () => false,
    permission: () => 'granted',
    requestPermission: async () => 'granted',
    show: (title, body) => void shown.push(`${title}: ${body}`),
  };
  return { host, shown };
}

test('me-changed: the room’s me is the new one and lines under the earlier id are still mine', () => {
  const ready: AppState = { ...initialState, phase: 'ready' };
  const opened = reducer(ready, {
    type: 'room-opened',
    room: roomView({ me: bo, members: [ana, bo], events: [chat(1, 'from ana'), chat(2, 'mine before', bo)] }),
  });
  const after = reducer(opened, { type: 'me-changed', me: boAgain, formerIds: [bo.id] });
  assert.equal(after.room?.me.id, 'bo99');
  const lines = after.room!.events.filter((e) => e.type === 'chat');
  assert.deepEqual(
    lines.map((e) => [e.text, e.from.id]),
    [
      ['from ana', 'ana1'],
      ['mine before', 'bo99'],
    ],
  );
  // With no room open there is nothing to change.
  assert.equal(reducer(ready, { type: 'me-changed', me: boAgain, formerIds: [bo.id] }), ready);
});

test('no notification for my own message under my new id, even in the same turn as room:me', () => {
  const bridge = fakeBridge();
  const { host, shown } = backgroundHost();
  let state: AppState = { ...initialState, phase: 'ready' };
  const dispatched: BatchAction[] = [];
  let pending: (() => void) | null = null;
  connectBridge(
    bridge.api,
    (batch) => {
      dispatched.push(batch);
      state = reducer(state, batch);
    },
    {
      me: () => state.room?.me ?? null,
      notifier: createNotifier(host),
      schedule: (flush) => {
        pending = flush;
        return () => (pending = null);
      },
    },
  );
  bridge.emit('room:opened', roomView({ me: bo, members: [ana, bo], events: [] }));
  pending!();
  // The host restarted: room:me, then a line of mine and one of Ana's, all before the next flush.
  bridge.emit('room:me', { me: boAgain, formerIds: [bo.id] });
  const mine: RoomEvent = chat(3, 'hello again', boAgain);
  bridge.emit('room:event', { event: mine, replayed: false });
  bridge.emit('room:event', { event: chat(4, 'welcome back', ana), replayed: false });
  pending!();
  assert.deepEqual(shown, ['Ana: welcome back']);
  assert.equal(state.room?.me.id, 'bo99');
  assert.deepEqual(
    dispatched.at(-1)?.actions.map((a) => a.type),
    ['me-changed', 'events-received'],
  );
});
