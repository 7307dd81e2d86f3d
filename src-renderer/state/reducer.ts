// The one pure function that changes the window's state. A room opens with the `room:opened`
// event, pushed before any other event of that room on the same channel. Room-scoped events that
// arrive with no room open belong to a room the window no longer shows, so they are dropped: the
// RoomView that opens a room already holds everything up to that moment.
import { appendEvents } from './chat-log';
import { upsertTransfer } from './transfer-list';
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
      const { settings, room, opening, suggestedName } = action.snapshot;
      const ready = { ...state, phase: 'ready' as const, loadError: null, settings, suggestedName, roomHeardEarly: false };
      if (state.roomHeardEarly) return ready;
      return { ...ready, room: room && openRoom(room), opening: room ? null : (opening ?? null) };
    }
    case 'snapshot-failed':
      return { ...state, phase: 'failed', loadError: action.error.message };
    case 'room-opened':
      return { ...heard(state), room: openRoom(action.room), opening: null, endedMessage: null, notices: [] };
    case 'room-open-failed': {
      // The form that asked shows the sentence itself; a window reloaded meanwhile has no such form.
      if (state.opening === null) return heard(state);
      const said = action.error.code === 'cancelled' ? state.endedMessage : action.error.message;
      return { ...heard(state), opening: null, endedMessage: said };
    }
    case 'room-ended':
      // With no room open there is nothing to end: a failed join already shows its own sentence.
      if (state.room === null) return heard(state);
      return { ...heard(state), room: null, notices: [], endedMessage: action.error?.message ?? null };
    case 'status-changed':
      return withRoom(state, (room) => ({ ...room, status: action.status }));
    case 'events-received':
      return withRoom(state, (room) => {
        const events = appendEvents(room.events, action.events);
        return events === room.events ? room : { ...room, events };
      });
    case 'members-changed':
      return withRoom(state, (room) => ({ ...room, members: action.members }));
    case 'invite-changed':
      return withRoom(state, (room) => ({ ...room, invite: action.invite }));
    case 'port-mapping-changed':
      return withRoom(state, (room) => ({ ...room, portMapping: action.portMapping }));
    case 'transfer-changed':
      return withRoom(state, (room) => ({ ...room, transfers: upsertTransfer(room.transfers, action.transfer) }));
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
  }
}

/** Notes a room's opening or ending heard before the first snapshot (see AppState.roomHeardEarly). */
function heard(state: AppState): AppState {
  return state.phase === 'ready' || state.roomHeardEarly ? state : { ...state, roomHeardEarly: true };
}

/** A RoomView as the window keeps it: the history bounded and without repeats. */
function openRoom(room: RoomState): RoomState {
  return { ...room, events: appendEvents([], room.events) };
}

function withRoom(state: AppState, change: (room: RoomState) => RoomState): AppState {
  if (state.room === null) return state;
  const room = change(state.room);
  return room === state.room ? state : { ...state, room };
}
