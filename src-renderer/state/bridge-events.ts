// The one place the window listens to the main process. Every pushed event becomes a store
// action; components only read the store. Events are queued and applied together on the next
// turn, because a (re)join replays history as hundreds of separate events and one render for
// the lot keeps the window responsive.
import type { Member, PortholeApi, RoomEvent } from '../../src-preload/contract';
import type { Action, BatchAction } from './app-state';
import type { Notifier } from './desktop-notifications';

export interface BridgeOptions {
  /** The person in the room now, so their own messages do not notify them. */
  me: () => Member | null;
  notifier: Notifier;
  /** Runs the flush later; a timer in the app, something controllable in tests. */
  schedule?: (flush: () => void) => () => void;
}

const nextTurn = (flush: () => void) => {
  const timer = setTimeout(flush, 0);
  return () => clearTimeout(timer);
};

/** Subscribes to every pushed event and dispatches them as batches; returns the function that undoes it all. */
export function connectBridge(api: PortholeApi, dispatch: (action: BatchAction) => void, options: BridgeOptions): () => void {
  const schedule = options.schedule ?? nextTurn;
  let queue: Action[] = [];
  let cancelFlush: (() => void) | null = null;
  /** You, as the latest `room:opened` or `room:me` said; until then, the store's. */
  let me: Member | null = null;

  const flush = () => {
    cancelFlush = null;
    const actions = queue;
    queue = [];
    if (actions.length > 0) dispatch({ type: 'batch', actions: mergeEvents(actions) });
  };
  const enqueue = (action: Action) => {
    queue.push(action);
    cancelFlush ??= schedule(flush);
  };

  const unsubscribes = [
    api.on('room:opened', (room) => {
      me = room.me;
      enqueue({ type: 'room-opened', room });
    }),
    api.on('room:open-failed', ({ error }) => enqueue({ type: 'room-open-failed', error })),
    api.on('room:status', (status) => enqueue({ type: 'status-changed', status })),
    api.on('room:me', ({ me: now, formerIds }) => {
      me = now;
      enqueue({ type: 'me-changed', me: now, formerIds });
    }),
    api.on('room:event', ({ event, replayed }) => {
      // Who you are as of this event: the store lags the queue by a turn.
      options.notifier.roomEvent(event, replayed, me ?? options.me());
      enqueue({ type: 'events-received', events: [event] });
    }),
    api.on('room:members', (members) => enqueue({ type: 'members-changed', members })),
    api.on('room:removed', (removed) => enqueue({ type: 'removed-changed', removed })),
    api.on('room:invite', (invite) => enqueue({ type: 'invite-changed', invite })),
    api.on('room:port-mapping', (portMapping) => enqueue({ type: 'port-mapping-changed', portMapping })),
    api.on('room:relay', (relay) => enqueue({ type: 'relay-changed', relay })),
    api.on('room:warning', (error) => enqueue({ type: 'notice-added', text: error.message })),
    api.on('room:ended', ({ error }) => {
      me = null;
      enqueue(error ? { type: 'room-ended', error } : { type: 'room-ended' });
    }),
    // The composer puts the text back and says why next to the box.
    api.on('chat:send-failed', (failure) => enqueue({ type: 'send-refused', text: failure.text, why: failure.error.message })),
    api.on('transfer:offer', (transfer) => {
      options.notifier.offer(transfer);
      enqueue({ type: 'transfer-changed', transfer });
    }),
    api.on('transfer:update', (transfer) => enqueue({ type: 'transfer-changed', transfer })),
    api.on('settings:changed', (settings) => enqueue({ type: 'settings-changed', settings })),
    api.on('app:open-invite', ({ invite }) => enqueue({ type: 'invite-opened', invite })),
  ];

  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    cancelFlush?.();
    cancelFlush = null;
    queue = [];
  };
}

/** Joins neighbouring room events into one action, so a replayed history is copied once, not per line. */
function mergeEvents(actions: Action[]): Action[] {
  const merged: Action[] = [];
  let run: RoomEvent[] | null = null;
  for (const action of actions) {
    if (action.type !== 'events-received') {
      run = null;
      merged.push(action);
    } else if (run === null) {
      run = [...action.events];
      merged.push({ type: 'events-received', events: run });
    } else {
      run.push(...action.events);
    }
  }
  return merged;
}
