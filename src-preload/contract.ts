// The IPC contract between the window and the main process, and the domain types both sides
// share. Each call and event is declared once, in CALLS and EVENTS below; main and preload import
// them, the renderer uses `import type` only. No electron, Node or zod import, so every side can
// load it. Values the renderer needs at run time live beside it, in domain-values.ts.
import type { AppError } from '../src-main/wire/errors';
import type { RoomInvite } from '../src-main/session/room-invite';
import type { Member } from '../src-main/wire/protocol';
import type { SessionStatus } from '../src-main/room/session-events';
import type { RoomEvent, SendFailure } from '../src-main/session/room-session';
import type { PortMappingStatus } from '../src-main/nat/port-mapping-status';
import type { RelayStatus } from '../src-main/relay/relay-status';
import type { TransferView } from '../src-main/features/files/transfer-events';
import type { RecentRoomSummary } from '../src-main/config/recent-rooms';

export type { AppError, ErrorCode } from '../src-main/wire/errors';
export type { RoomInvite, InviteEntry, InviteAddressKind } from '../src-main/session/room-invite';
export type { Member } from '../src-main/wire/protocol';
export type { RoomEvent, ChatEvent, SendFailure } from '../src-main/session/room-session';
export type { SessionStatus } from '../src-main/room/session-events';
export type { RecentRoomSummary } from '../src-main/config/recent-rooms';
export type { PortMappingStatus, PortMappingCode, MappingMethod, Ipv6Opening } from '../src-main/nat/port-mapping-status';
export type { RelayStatus } from '../src-main/relay/relay-status';
export type {
  TransferView,
  TransferState,
  RecipientView,
  RecipientState,
  TransferPeer,
  EndReason,
  TransferEndReason,
} from '../src-main/features/files/transfer-events';

/** What every IPC call answers: data, or an error with a stable code and a sentence. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };

/** The settings a person can see and change in the window. */
export interface SettingsView {
  /** Empty until the person picked one; the window then suggests the login name. */
  displayName: string;
  /** Where accepted files are saved. */
  downloadDir: string;
  /** True while `downloadDir` is the default (Downloads/Porthole). */
  downloadDirIsDefault: boolean;
  /** The port a hosted room listens on; null picks a free one (and remembers it). */
  port: number | null;
  /** Ask the router to let friends in (UPnP, NAT-PMP, PCP, IPv6 pinholes) when hosting. */
  upnp: boolean;
  /** An address forwarded by hand (`HOST[:PORT]`), added to the invite; empty when none. */
  publicAddress: string;
  /** The relay a hosted room joins (`relay://HOST:PORT/?id=…`); empty or absent when none (there is no default). */
  relay?: string;
  /** Room size: how many people a room you host lets in, you included (the default until the person chose); main always says it. */
  maxPeople?: number;
}

/** What the person may change directly; the download folder changes only through the folder picker. */
export interface SettingsPatch {
  displayName?: string | undefined;
  port?: number | null | undefined;
  upnp?: boolean | undefined;
  /** Empty clears it. */
  publicAddress?: string | undefined;
  /** A relay URI; empty clears it. */
  relay?: string | undefined;
  /** Room size, you included; applies at once to a room you are hosting (nobody present is removed). */
  maxPeople?: number | undefined;
}

/** The room the window shows: everything needed to draw it from scratch (e.g. after a reload). */
export interface RoomView {
  role: 'host' | 'guest';
  me: Member;
  members: Member[];
  status: SessionStatus;
  /** Host only: the invite to copy, with what each of its addresses is for; it grows as the router answers. */
  invite?: RoomInvite;
  /** Host only: the router port-forwarding state; absent when UPnP is off or for guests. */
  portMapping?: PortMappingStatus;
  /** Host only: the relay connection's state; absent when no relay is set or for guests. */
  relay?: RelayStatus;
  /** Chat and join/leave lines so far, oldest first (the newest few thousand). */
  events: RoomEvent[];
  /** Host only: names removed and not let back in (Let back in). */
  removed?: string[];
  transfers: TransferView[];
}

/** A host or join on its way to a room. */
export type RoomOpening = 'joining' | 'hosting';

export interface AppSnapshot {
  settings: SettingsView;
  /** The room in progress, or null on the start screen. */
  room: RoomView | null;
  /**
   * A host or join on its way (room is null then), so a window reloaded meanwhile shows it; it
   * ends with `room:opened` or `room:open-failed`. Absent when none is.
   */
  opening?: RoomOpening;
  /** The login name, suggested when no display name is saved yet. */
  suggestedName: string;
  /**
   * An invite a porthole:// link opened before the window listened (the link that launched the
   * app): the Join form shows it. Handed over once; later links come as `app:open-invite`.
   */
  openInvite?: string;
}

export interface HostRequest {
  /** Display name; saved as the new default. */
  name: string;
  /** Reopen this recent room (its key): the same secret and port, so its invite works again. */
  recent?: string | undefined;
}

export interface JoinRequest {
  /** Ignored (may be empty) when `recent` names a room whose invite was kept. */
  invite: string;
  name: string;
  /** Rejoin this recent room (its key) with the invite kept for it. */
  recent?: string | undefined;
}

/**
 * What an offer became: ONE item, however many files and folders it holds. `transferId` is its
 * id in the list (a queued one's is 'q1'… until the room numbers it; the update that numbers it
 * carries `was`).
 */
export interface OfferOutcome {
  transferId: string;
}

/**
 * What one window call is. `method` names the `window.porthole` function that makes the call as
 * is, passing on `arity` arguments and no more; null when the preload makes the call inside a
 * function of its own (see `PreloadOwnMethods`). `signature` is for the type checker only and
 * never set: the call's argument, and the data its `Result` carries.
 */
export interface CallSpec<Method extends string | null, Signature extends (...args: never[]) => unknown> {
  readonly method: Method;
  readonly arity: Parameters<Signature>['length'];
  readonly signature?: Signature;
}

/** Declares one call: `call<(argument: A) => Data>()(method, arity)`; a wrong arity does not compile. */
const call =
  <Signature extends (...args: never[]) => unknown>() =>
  <const Method extends string | null>(method: Method, arity: Parameters<Signature>['length']): CallSpec<Method, Signature> => ({
    method,
    arity,
  });

/**
 * Every request/response call, renderer → main, declared once: its name, the preload method that
 * makes it, its argument and its answer. The call-name list, the `window.porthole` functions
 * and main's `CallHandlers` derive from this table; main's argument schemas
 * (src-main/ipc/call-schemas.ts) are keyed by the same names and fail to compile when one is
 * missing. Every call takes at most one argument and is answered with `Result<data>`.
 */
export const CALLS = {
  'app:snapshot': call<() => AppSnapshot>()('snapshot', 0),
  'settings:update': call<(patch: SettingsPatch) => SettingsView>()('updateSettings', 1),
  /** Opens the system folder picker; the settings unchanged when the person cancels. */
  'settings:choose-download-folder': call<() => SettingsView>()('chooseDownloadFolder', 0),
  'settings:reset-download-folder': call<() => SettingsView>()('resetDownloadFolder', 0),
  /** Hosting and joining answer the view they also push first as `room:opened`, which the window draws from. */
  'room:host': call<(request: HostRequest) => RoomView>()('host', 1),
  'room:join': call<(request: JoinRequest) => RoomView>()('join', 1),
  /** Leaves the room (a guest) or stops hosting (closes the room for everyone). */
  'room:leave': call<() => null>()('leave', 0),
  /** Host only: removes a member, who sees `reason`; the same invite does not let them back in. */
  'room:remove': call<(request: { member: string; reason?: string | undefined }) => null>()('removeMember', 1),
  /** Host only: lets a removed name join again with the invite. */
  'room:allow': call<(name: string) => null>()('allowMember', 1),
  /** Host only: a new secret, so the invite sent so far stops working; everyone present stays. Answers the new invite. */
  'room:revoke-invite': call<() => RoomInvite>()('revokeInvite', 0),
  /** Rooms this machine was in, most recent first (never their secrets). */
  'rooms:recent': call<() => RecentRoomSummary[]>()('recentRooms', 0),
  /** The lines kept of a recent room, oldest first. */
  'rooms:history': call<(key: string) => RoomEvent[]>()('roomHistory', 1),
  /** Forgets a recent room, its invite and its lines. */
  'rooms:forget': call<(key: string) => null>()('forgetRoom', 1),
  /** Sends a chat message; answers its client message id. */
  'chat:send': call<(text: string) => { id: string }>()('sendChat', 1),
  /** Says whether the person is typing (true while typing, false once sent or cleared); shown to the others. */
  'typing:set': call<(active: boolean) => null>()('setTyping', 1),
  /**
   * Offers files and folders that are on disk, by path, as ONE item (a bundle when there are
   * several, or a folder), to the room or to the members `to` names. Made by the preload's
   * offerFiles only, with paths it got from the dropped File objects themselves; the renderer
   * never names a path.
   */
  'transfer:offer-paths': call<(request: { paths: string[]; to?: string[] | undefined }) => OfferOutcome>()(null, 1),
  /** Opens the system file picker and offers what the person picked as one item (made by chooseFiles); null when cancelled. */
  'transfer:choose-files': call<(request: { to?: string[] | undefined }) => OfferOutcome | null>()(null, 1),
  /** Opens the system folder picker and offers the folder picked, with everything in it (made by chooseFolder); null when cancelled. */
  'transfer:choose-folder': call<(request: { to?: string[] | undefined }) => OfferOutcome | null>()(null, 1),
  /**
   * A dropped file with no path on disk (dragged from a browser, say) is streamed in pieces by
   * offerFiles and kept aside by `upload:finish`; `upload:offer` then offers the kept files and any
   * files on disk as one item.
   */
  'upload:begin': call<(request: { name: string; size: number }) => { uploadId: string }>()(null, 1),
  'upload:chunk': call<(request: { uploadId: string; offset: number; bytes: Uint8Array }) => null>()(null, 1),
  'upload:finish': call<(request: { uploadId: string }) => null>()(null, 1),
  'upload:abort': call<(request: { uploadId: string }) => null>()(null, 1),
  'upload:offer': call<(request: { uploadIds: string[]; paths: string[]; to?: string[] | undefined }) => OfferOutcome>()(null, 1),
  'transfer:accept': call<(id: string) => null>()('accept', 1),
  'transfer:decline': call<(id: string) => null>()('decline', 1),
  'transfer:cancel': call<(id: string) => null>()('cancel', 1),
  /** Tries an interrupted or failed transfer again: resumed from what was kept, or offered again. */
  'transfer:retry': call<(id: string) => null>()('retry', 1),
  /** Forgets every finished transfer (saved, sent, declined, cancelled, failed); answers their ids. */
  'transfer:clear-finished': call<() => string[]>()('clearFinished', 0),
  /** Shows a received file in the system file manager. */
  'transfer:show-in-folder': call<(id: string) => null>()('showInFolder', 1),
  'clipboard:write': call<(text: string) => null>()('copyText', 1),
  /** Opens an http(s) link in the default browser. */
  'link:open': call<(url: string) => null>()('openLink', 1),
  /** The unread count on the dock/taskbar badge (0 clears it), while the window is in the background. */
  'app:set-badge': call<(count: number) => null>()('setBadge', 1),
};

/** Declares one pushed event and the type of its payload. */
const event = <Payload>(): EventSpec<Payload> => ({});

/** What one pushed event is; `payload` is for the type checker only and never set. */
export interface EventSpec<Payload> {
  readonly payload?: Payload;
}

/** Every event pushed main → renderer, declared once, with its payload. */
export const EVENTS = {
  /**
   * A host or join became the window's room: its whole view, pushed before any other event of
   * that room, so the window opens the room from here (not from the call's answer) and misses
   * nothing pushed after it.
   */
  'room:opened': event<RoomView>(),
  /** A host or join gave up (refused, failed or cancelled) with no room; its call answers the same error. */
  'room:open-failed': event<{ error: AppError }>(),
  'room:status': event<SessionStatus>(),
  'room:event': event<{ event: RoomEvent; replayed: boolean }>(),
  'room:members': event<Member[]>(),
  /** Host only: the names removed and not let back in, after each change. */
  'room:removed': event<string[]>(),
  /**
   * You are in the room under a new member id (a reconnect to a restarted host): `me` from now on;
   * lines from `formerIds` are yours too. Pushed before the new connection's events.
   */
  'room:me': event<{ me: Member; formerIds: string[] }>(),
  /** Host only: the invite gained or lost an address. */
  'room:invite': event<RoomInvite>(),
  'room:port-mapping': event<PortMappingStatus>(),
  /** Host only: the relay connection's state changed. */
  'room:relay': event<RelayStatus>(),
  /** Something the person should know; the room goes on. */
  'room:warning': event<AppError>(),
  /** The room is over (left, stopped, or ended by the host); the window returns to the start. */
  'room:ended': event<{ error?: AppError }>(),
  'chat:send-failed': event<SendFailure>(),
  /** Who else is typing right now; empty when nobody is. */
  'room:typing': event<Member[]>(),
  /** A new incoming offer (also sent as a transfer:update). */
  'transfer:offer': event<TransferView>(),
  'transfer:update': event<TransferView>(),
  'settings:changed': event<SettingsView>(),
  /** A porthole:// link was opened: a valid invite (checked by main), for the Join form. */
  'app:open-invite': event<{ invite: string }>(),
};

export type CallName = keyof typeof CALLS;
export type EventName = keyof typeof EVENTS;
/** Each call's signature: its argument(s) and the data its Result carries. */
export type Calls = { [C in CallName]: (typeof CALLS)[C] extends CallSpec<string | null, infer Signature> ? Signature : never };
export type Events = { [E in EventName]: (typeof EVENTS)[E] extends EventSpec<infer Payload> ? Payload : never };
export type CallArgs<C extends CallName> = Parameters<Calls[C]>;
export type CallData<C extends CallName> = ReturnType<Calls[C]>;

/** Every call and event name, so main and preload can refuse anything else at run time. */
export const CALL_NAMES = Object.keys(CALLS) as readonly CallName[];
export const EVENT_NAMES = Object.keys(EVENTS) as readonly EventName[];

/** The `window.porthole` functions that make one call as is, named by the table's `method`. */
export type CallMethods = {
  [C in CallName as (typeof CALLS)[C]['method'] & string]: (...args: CallArgs<C>) => Promise<Result<CallData<C>>>;
};

/** The `window.porthole` functions the preload builds itself, on top of the calls. */
export interface PreloadOwnMethods {
  /** Offers dropped or pasted File objects as ONE item to the room, or to the members `to` names (transfer:offer-paths, upload:*). */
  offerFiles(files: File[], to?: string[]): Promise<Result<OfferOutcome>>;
  /** Lets the person pick files and offers them as one item (transfer:choose-files); null data when cancelled. */
  chooseFiles(to?: string[]): Promise<Result<OfferOutcome | null>>;
  /** Lets the person pick a folder and offers it (transfer:choose-folder); null data when cancelled. */
  chooseFolder(to?: string[]): Promise<Result<OfferOutcome | null>>;
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** What the preload exposes to the window as `window.porthole`: named functions only. */
export interface PortholeApi extends CallMethods, PreloadOwnMethods {}

declare global {
  interface Window {
    porthole: PortholeApi;
  }
}
