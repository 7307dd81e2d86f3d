// The one pure function that changes the window's state. Room-scoped events that arrive with
// no room open belong to a room the window no longer (or not yet) shows, so they are dropped:
// the RoomView that opens a room already holds everything up to that moment.
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
      const { settings, room, suggestedName } = action.snapshot;
      return { ...state, phase: 'ready', loadError: null, settings, suggestedName, room: room && openRoom(room) };
    }
    case 'snapshot-failed':
      return { ...state, phase: 'failed', loadError: action.error.message };
    case 'room-opened':
      return { ...state, room: openRoom(action.room), endedMessage: null, notices: [] };
    case 'room-ended':
      // With no room open there is nothing to end: a failed join already shows its own sentence.
      if (state.room === null) return state;
      return { ...state, room: null, notices: [], endedMessage: action.error?.message ?? null };
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

/** A RoomView as the window keeps it: the history bounded and without repeats. */
function openRoom(room: RoomState): RoomState {
  return { ...room, events: appendEvents([], room.events) };
}

function withRoom(state: AppState, change: (room: RoomState) => RoomState): AppState {
  if (state.room === null) return state;
  const room = change(state.room);
  return room === state.room ? state : { ...state, room };
}
