// The IPC contract between the window and the main process, and the domain types both sides
// share. Declared once: main and preload import it, the renderer uses `import type` only.
// No electron import and no Node import, so every side can load it.
import type { AppError } from '../src-main/room/errors';
import type { RoomInvite } from '../src-main/session/room-invite';
import type { Member, RoomEvent } from '../src-main/room/protocol';
import type { SendFailure, SessionStatus } from '../src-main/room/session-events';
import type { PortMappingStatus } from '../src-main/nat/port-mapping-status';
import type { TransferView } from '../src-main/transfer/transfer-events';

export type { AppError, ErrorCode } from '../src-main/room/errors';
export type { RoomInvite, InviteEntry, InviteAddressKind } from '../src-main/session/room-invite';
export type { Member, RoomEvent, ChatEvent } from '../src-main/room/protocol';
export type { SessionStatus, SendFailure } from '../src-main/room/session-events';
export type { PortMappingStatus, PortMappingCode, MappingMethod, Ipv6Opening } from '../src-main/nat/port-mapping-status';
export type { TransferView, TransferState, RecipientView, RecipientState, TransferPeer, EndReason } from '../src-main/transfer/transfer-events';

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
}

/** What the person may change directly; the download folder changes only through the folder picker. */
export interface SettingsPatch {
  displayName?: string;
  port?: number | null;
  upnp?: boolean;
  /** Empty clears it. */
  publicAddress?: string;
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
  /** Chat and join/leave lines so far, oldest first (the newest few thousand). */
  events: RoomEvent[];
  transfers: TransferView[];
}

export interface AppSnapshot {
  settings: SettingsView;
  /** The room in progress, or null on the start screen. */
  room: RoomView | null;
  /** The login name, suggested when no display name is saved yet. */
  suggestedName: string;
}

export interface HostRequest {
  /** Display name; saved as the new default. */
  name: string;
}

export interface JoinRequest {
  invite: string;
  name: string;
}

/** Per file: the transfer id it got, or why it was not offered. */
export interface OfferOutcome {
  name: string;
  transferId?: string;
  error?: AppError;
}

/**
 * Request/response calls, renderer → main. Every call takes at most one argument and is
 * answered with `Result<data>`; main validates the argument with a schema before using it.
 */
export interface Calls {
  'app:snapshot': () => AppSnapshot;
  'settings:update': (patch: SettingsPatch) => SettingsView;
  /** Opens the system folder picker; the settings unchanged when the person cancels. */
  'settings:choose-download-folder': () => SettingsView;
  'settings:reset-download-folder': () => SettingsView;
  'room:host': (request: HostRequest) => RoomView;
  'room:join': (request: JoinRequest) => RoomView;
  /** Leaves the room (a guest) or stops hosting (closes the room for everyone). */
  'room:leave': () => null;
  /** Sends a chat message; answers its client message id. */
  'chat:send': (text: string) => { id: string };
  /**
   * Offers files that are on disk, by path. Called by the preload only, with paths it got from
   * the dropped File objects themselves; the renderer never names a path.
   */
  'transfer:offer-paths': (request: { paths: string[]; to?: string }) => OfferOutcome[];
  /** Opens the system file picker and offers what the person picked. */
  'transfer:choose-files': (request: { to?: string }) => OfferOutcome[];
  /** A dropped file with no path on disk (dragged from a browser, say) is streamed in pieces. */
  'upload:begin': (request: { name: string; size: number; to?: string }) => { uploadId: string };
  'upload:chunk': (request: { uploadId: string; offset: number; bytes: Uint8Array }) => null;
  'upload:finish': (request: { uploadId: string }) => OfferOutcome;
  'upload:abort': (request: { uploadId: string }) => null;
  'transfer:accept': (id: string) => null;
  'transfer:decline': (id: string) => null;
  'transfer:cancel': (id: string) => null;
  /** Shows a received file in the system file manager. */
  'transfer:show-in-folder': (id: string) => null;
  'clipboard:write': (text: string) => null;
  /** Opens an http(s) link in the default browser. */
  'link:open': (url: string) => null;
}

/** Events pushed main → renderer. */
export interface Events {
  'room:status': SessionStatus;
  'room:event': { event: RoomEvent; replayed: boolean };
  'room:members': Member[];
  /** Host only: the invite gained or lost an address. */
  'room:invite': RoomInvite;
  'room:port-mapping': PortMappingStatus;
  /** Something the person should know; the room goes on. */
  'room:warning': AppError;
  /** The room is over (left, stopped, or ended by the host); the window returns to the start. */
  'room:ended': { error?: AppError };
  'chat:send-failed': SendFailure;
  /** A new incoming offer (also sent as a transfer:update). */
  'transfer:offer': TransferView;
  'transfer:update': TransferView;
  'settings:changed': SettingsView;
}

export type CallName = keyof Calls;
export type EventName = keyof Events;
export type CallArgs<C extends CallName> = Parameters<Calls[C]>;
export type CallData<C extends CallName> = ReturnType<Calls[C]>;

/** Every call and event name, so main and preload can refuse anything else at run time. */
export const CALL_NAMES = [
  'app:snapshot',
  'settings:update',
  'settings:choose-download-folder',
  'settings:reset-download-folder',
  'room:host',
  'room:join',
  'room:leave',
  'chat:send',
  'transfer:offer-paths',
  'transfer:choose-files',
  'upload:begin',
  'upload:chunk',
  'upload:finish',
  'upload:abort',
  'transfer:accept',
  'transfer:decline',
  'transfer:cancel',
  'transfer:show-in-folder',
  'clipboard:write',
  'link:open',
] as const satisfies readonly CallName[];

export const EVENT_NAMES = [
  'room:status',
  'room:event',
  'room:members',
  'room:invite',
  'room:port-mapping',
  'room:warning',
  'room:ended',
  'chat:send-failed',
  'transfer:offer',
  'transfer:update',
  'settings:changed',
] as const satisfies readonly EventName[];

/** Bytes per upload:chunk call. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** What the preload exposes to the window as `window.porthole`: named functions only. */
export interface PortholeApi {
  snapshot(): Promise<Result<AppSnapshot>>;
  updateSettings(patch: SettingsPatch): Promise<Result<SettingsView>>;
  chooseDownloadFolder(): Promise<Result<SettingsView>>;
  resetDownloadFolder(): Promise<Result<SettingsView>>;
  host(request: HostRequest): Promise<Result<RoomView>>;
  join(request: JoinRequest): Promise<Result<RoomView>>;
  leave(): Promise<Result<null>>;
  sendChat(text: string): Promise<Result<{ id: string }>>;
  /** Offers dropped or picked File objects to the room, or to one member. */
  offerFiles(files: File[], to?: string): Promise<Result<OfferOutcome[]>>;
  chooseFiles(to?: string): Promise<Result<OfferOutcome[]>>;
  accept(id: string): Promise<Result<null>>;
  decline(id: string): Promise<Result<null>>;
  cancel(id: string): Promise<Result<null>>;
  showInFolder(id: string): Promise<Result<null>>;
  copyText(text: string): Promise<Result<null>>;
  openLink(url: string): Promise<Result<null>>;
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

declare global {
  interface Window {
    porthole: PortholeApi;
  }
}
