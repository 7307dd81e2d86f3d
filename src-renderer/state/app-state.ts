// The window's whole state, and every change that can happen to it.
import type {
  AppError,
  AppSnapshot,
  Member,
  PortMappingStatus,
  RelayStatus,
  RoomEvent,
  RoomInvite,
  RoomOpening,
  RoomView,
  SessionStatus,
  SettingsView,
  TransferView,
} from '../../src-preload/contract';

/** The room as the window keeps it: the snapshot's RoomView, kept current by pushed events. */
export type RoomState = RoomView;

/** A sentence shown above the chat until dismissed (a warning, a failed send, a file that could not be offered). */
export interface Notice {
  id: number;
  text: string;
}

export interface AppState {
  /** 'loading' until the first snapshot answers; 'failed' if it could not be read. */
  phase: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  settings: SettingsView | null;
  suggestedName: string;
  room: RoomState | null;
  /**
   * A host or join the window found on its way when it loaded (it was reloaded meanwhile), so no
   * form of its own waits for the answer: the start screen shows it busy until the room opens.
   */
  opening: RoomOpening | null;
  /**
   * A room opened, ended or failed to open while the first snapshot was on its way: that event is
   * newer than what the snapshot says about the room, so the snapshot does not undo it.
   */
  roomHeardEarly: boolean;
  /** Why the last room ended, shown on the start screen. */
  endedMessage: string | null;
  notices: Notice[];
  nextNoticeId: number;
  /**
   * A line the room refused after the composer let it go (`chat:send-failed`): the composer puts
   * the text back in the box and says why, then clears this. `id` grows with each refusal.
   */
  refusedSend: { id: number; text: string; why: string } | null;
  /**
   * An invite a porthole:// link opened, for the Join form to show and focus; `id` grows with each
   * link, so the same invite opened twice is shown twice. Cleared when a room opens.
   */
  openedInvite: { invite: string; id: number } | null;
}

/** Before the first snapshot answers. */
export const initialState: AppState = {
  phase: 'loading',
  loadError: null,
  settings: null,
  suggestedName: '',
  room: null,
  opening: null,
  roomHeardEarly: false,
  endedMessage: null,
  notices: [],
  nextNoticeId: 1,
  refusedSend: null,
  openedInvite: null,
};

export type Action =
  | { type: 'snapshot-loaded'; snapshot: AppSnapshot }
  | { type: 'snapshot-failed'; error: AppError }
  | { type: 'room-opened'; room: RoomView }
  | { type: 'room-open-failed'; error: AppError }
  | { type: 'room-ended'; error?: AppError }
  | { type: 'status-changed'; status: SessionStatus }
  | { type: 'events-received'; events: RoomEvent[] }
  | { type: 'members-changed'; members: Member[] }
  | { type: 'removed-changed'; removed: string[] }
  | { type: 'me-changed'; me: Member; formerIds: string[] }
  | { type: 'invite-changed'; invite: RoomInvite }
  | { type: 'port-mapping-changed'; portMapping: PortMappingStatus }
  | { type: 'relay-changed'; relay: RelayStatus }
  | { type: 'transfer-changed'; transfer: TransferView }
  /** Finished transfers main forgot (Clear finished). */
  | { type: 'transfers-cleared'; ids: string[] }
  | { type: 'settings-changed'; settings: SettingsView }
  | { type: 'notice-added'; text: string }
  | { type: 'notice-dismissed'; id: number }
  | { type: 'ended-message-dismissed' }
  | { type: 'send-refused'; text: string; why: string }
  | { type: 'refused-send-taken' }
  | { type: 'invite-opened'; invite: string };

/** Several actions applied in one render: pushed events arrive in bursts (history replay). */
export type BatchAction = { type: 'batch'; actions: Action[] };
