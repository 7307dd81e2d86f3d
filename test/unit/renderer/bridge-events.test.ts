import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventName, Events, Member, PortholeApi, RoomEvent, TransferView } from '../../../src-preload/contract';
import type { BatchAction } from '../../../src-renderer/state/app-state';
import { connectBridge } from '../../../src-renderer/state/bridge-events';
import type { Notifier } from '../../../src-renderer/state/desktop-notifications';
import { ana, bo, chat, lanEntry, roomInvite, transfer } from './room-fixtures';

/** A bridge whose events the test pushes by hand, counting live listeners. */
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
  const live = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  return { api, emit, live };
}

function setup(me: Member | null = bo) {
  const bridge = fakeBridge();
  const batches: BatchAction[] = [];
  const notified: string[] = [];
  const notifier: Notifier = {
    roomEvent: (event: RoomEvent, replayed: boolean, who: Member | null) =>
      notified.push(`event ${event.seq} replayed=${replayed} me=${who?.id}`),
    offer: (view: TransferView) => notified.push(`offer ${view.id}`),
  };
  let pending: (() => void) | null = null;
  const disconnect = connectBridge(bridge.api, (a) => batches.push(a), {
    me: () => me,
    notifier,
    schedule: (flush) => {
      pending = flush;
      return () => (pending = null);
    },
  });
  const flush = () => {
    const run = pending;
    pending = null;
    run?.();
  };
  return { ...bridge, batches, notified, disconnect, flush, hasPending: () => pending !== null };
}

test('subscribes to every pushed event once, and unsubscribes them all', () => {
  const s = setup();
  assert.equal(s.live(), 17); // every event but room:typing, which its component follows itself
  s.disconnect();
  assert.equal(s.live(), 0);
});

test('events wait for the next turn and arrive as one batch, in order', () => {
  const s = setup();
  s.emit('room:status', { state: 'reconnecting', attempt: 1 });
  s.emit('room:members', [ana]);
  assert.equal(s.batches.length, 0);
  s.flush();
  assert.equal(s.batches.length, 1);
  assert.deepEqual(
    s.batches[0]?.actions.map((a) => a.type),
    ['status-changed', 'members-changed'],
  );
});

test('room:invite becomes invite-changed with the whole new invite, between its neighbours', () => {
  const s = setup();
  const invite = roomInvite([{ host: '2001:db8::7', port: 41234, kind: 'ipv6', internet: true }, lanEntry()]);
  s.emit('room:port-mapping', { code: 'mapped', message: 'ok', internalPort: 41234 });
  s.emit('room:invite', invite);
  s.emit('room:members', [ana]);
  s.flush();
  const actions = s.batches[0]!.actions;
  assert.deepEqual(
    actions.map((a) => a.type),
    ['port-mapping-changed', 'invite-changed', 'members-changed'],
  );
  assert.deepEqual(actions[1], { type: 'invite-changed', invite });
});

test('a burst of room events becomes one events action, so history replays in one render', () => {
  const s = setup();
  for (let i = 1; i <= 300; i++) s.emit('room:event', { event: chat(i), replayed: true });
  s.emit('room:members', [ana, bo]);
  s.emit('room:event', { event: chat(301), replayed: false });
  s.flush();
  const actions = s.batches[0]!.actions;
  assert.deepEqual(
    actions.map((a) => a.type),
    ['events-received', 'members-changed', 'events-received'],
  );
  const first = actions[0]!;
  assert.equal(first.type === 'events-received' && first.events.length, 300);
});

test('every room event and offer goes past the notifier with who "me" is', () => {
  const s = setup();
  s.emit('room:event', { event: chat(7), replayed: true });
  s.emit('transfer:offer', transfer('t9'));
  s.emit('transfer:update', transfer('t9', { state: 'receiving' }));
  assert.deepEqual(s.notified, ['event 7 replayed=true me=bo22', 'offer t9']);
});

test('warnings and endings turn into sentences; a refused line goes back to the composer with why', () => {
  const s = setup();
  s.emit('room:warning', { code: 'rate-limited', message: 'Slow down.' });
  s.emit('chat:send-failed', { id: 'x', text: 'hi\n there', error: { code: 'not-connected', message: 'Not connected.' } });
  s.emit('room:ended', { error: { code: 'room-closed', message: 'The host closed the room.' } });
  s.emit('room:ended', {});
  s.flush();
  assert.deepEqual(s.batches[0]?.actions, [
    { type: 'notice-added', text: 'Slow down.' },
    { type: 'send-refused', text: 'hi\n there', why: 'Not connected.' },
    { type: 'room-ended', error: { code: 'room-closed', message: 'The host closed the room.' } },
    { type: 'room-ended' },
  ]);
});

test('disconnecting drops what was queued and cancels the flush', () => {
  const s = setup();
  s.emit('room:members', [ana]);
  assert.ok(s.hasPending());
  s.disconnect();
  assert.ok(!s.hasPending());
  s.flush();
  assert.equal(s.batches.length, 0);
});
