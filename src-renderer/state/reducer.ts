// The one pure function that changes the window's state. A room opens with the `room:opened`
// event, pushed before any other event of that room on the same channel. Room-scoped events that
// arrive with no room open belong to a room the window no longer shows, so they are dropped: the
// RoomView that opens a room already holds everything up to that moment.
import { appendEvents } from './chat-log';
import { upsertTransfer, withoutTransfers } from './transfer-list';
import type { Member } from '../../src-preload/contract';
import type { Action, AppState, BatchAction, RoomState } from './app-state';

/** Notices kept at once; older ones make room for new ones. */
export const MAX_NOTICES = 4;

/** Applies one action (or a batch, in order) to the state. */
export function reducer(state: AppState, action: Action | BatchAction): AppState {
  if (action.type === 'batch') return action.actions.reduce(apply, state);
  return apply(state, action);
}

function apply(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'snapshot-loaded': {
      const { settings, room, opening, suggestedName, openInvite } = action.snapshot;
      const loaded = { ...state, phase: 'ready' as const, loadError: null, settings, suggestedName, roomHeardEarly: false };
      const ready = openInvite === undefined ? loaded : withOpenedInvite(loaded, openInvite);
      if (state.roomHeardEarly) return ready;
      return { ...ready, room: room && openRoom(room), opening: room ? null : (opening ?? null) };
    }
    case 'snapshot-failed':
      return { ...state, phase: 'failed', loadError: action.error.message };
    case 'room-opened':
      return { ...heard(state), room: openRoom(action.room), opening: null, endedMessage: null, notices: [], openedInvite: null };
    case 'room-open-failed': {
      // The form that asked shows the sentence itself; a window reloaded meanwhile has no such form.
      if (state.opening === null) return heard(state);
      const said = action.error.code === 'cancelled' ? state.endedMessage : action.error.message;
      return { ...heard(state), opening: null, endedMessage: said };
    }
    case 'room-ended':
      // With no room open there is nothing to end: a failed join already shows its own sentence.
      if (state.room === null) return heard(state);
      return { ...heard(state), room: null, notices: [], refusedSend: null, endedMessage: action.error?.message ?? null };
    case 'status-changed':
      return withRoom(state, (room) => ({ ...room, status: action.status }));
    case 'events-received':
      return withRoom(state, (room) => {
        const events = appendEvents(room.events, action.events);
        return events === room.events ? room : { ...room, events };
      });
    case 'members-changed':
      return withRoom(state, (room) => ({ ...room, members: action.members }));
    case 'removed-changed':
      return withRoom(state, (room) => ({ ...room, removed: action.removed }));
    case 'me-changed':
      // A new id after the host restarted: lines under an earlier id of yours stay yours.
      return withRoom(state, (room) => ({ ...room, me: action.me, events: asMine(room.events, action.me, action.formerIds) }));
    case 'invite-changed':
      return withRoom(state, (room) => ({ ...room, invite: action.invite }));
    case 'port-mapping-changed':
      return withRoom(state, (room) => ({ ...room, portMapping: action.portMapping }));
    case 'relay-changed':
      return withRoom(state, (room) => ({ ...room, relay: action.relay }));
    case 'transfer-changed':
      return withRoom(state, (room) => ({ ...room, transfers: upsertTransfer(room.transfers, action.transfer) }));
    case 'transfers-cleared':
      return withRoom(state, (room) => {
        const transfers = withoutTransfers(room.transfers, action.ids);
        return transfers === room.transfers ? room : { ...room, transfers };
      });
    case 'settings-changed':
      return { ...state, settings: action.settings };
    case 'notice-added': {
      const notice = { id: state.nextNoticeId, text: action.text };
      return { ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES), nextNoticeId: state.nextNoticeId + 1 };
    }
    case 'notice-dismissed':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case 'ended-message-dismissed':
      return { ...state, endedMessage: null };
    case 'send-refused': {
      if (state.room === null) return state;
      // Several refused before the composer took them: their texts go back together, in order.
      const earlier = state.refusedSend;
      const text = earlier ? `${earlier.text}\n${action.text}` : action.text;
      return { ...state, refusedSend: { id: (earlier?.id ?? 0) + 1, text, why: action.why } };
    }
    case 'refused-send-taken':
      return state.refusedSend === null ? state : { ...state, refusedSend: null };
    case 'invite-opened':
      return withOpenedInvite(state, action.invite);
  }
}

/** An invite from a porthole:// link for the Join form; in a room, a notice says where it waits. */
function withOpenedInvite(state: AppState, invite: string): AppState {
  const opened = { ...state, openedInvite: { invite, id: (state.openedInvite?.id ?? 0) + 1 } };
  if (state.room === null) return opened;
  return apply(opened, {
    type: 'notice-added',
    text: 'You opened an invite: leave this room to join it (it is waiting in the Join form).',
  });
}

/** Notes a room's opening or ending heard before the first snapshot (see AppState.roomHeardEarly). */
function heard(state: AppState): AppState {
  return state.phase === 'ready' || state.roomHeardEarly ? state : { ...state, roomHeardEarly: true };
}

/** A RoomView as the window keeps it: the history bounded and without repeats. */
function openRoom(room: RoomState): RoomState {
  return { ...room, events: appendEvents([], room.events) };
}

/** Your chat lines under an earlier member id, given your current one. */
function asMine(events: RoomState['events'], me: Member, formerIds: readonly string[]): RoomState['events'] {
  return events.map((e) => (e.type === 'chat' && formerIds.includes(e.from.id) ? { ...e, from: { ...e.from, id: me.id } } : e));
}

function withRoom(state: AppState, change: (room: RoomState) => RoomState): AppState {
  if (state.room === null) return state;
  const room = change(state.room);
  return room === state.room ? state : { ...state, room };
}
