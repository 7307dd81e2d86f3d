// What the desktop core needs from the shell around it. Electron provides these in
// src-main/app; the end-to-end tests provide their own, so the core never imports electron.
import type { CallArgs, CallData, CallName, EventName, Events } from '../../src-preload/contract';
import type { ForkFn } from '../nat/port-mapper';
import type { OsSecretStorage } from '../config/recent-rooms-secret';

export interface DesktopPlatform {
  /** The system folder picker; undefined when the person cancels. */
  /** A folder: where received files go (`download`, the default), or one to send (`send`). */
  chooseFolder(defaultPath: string, purpose?: 'download' | 'send'): Promise<string | undefined>;
  /** The system file picker; empty when the person cancels. */
  chooseFiles(): Promise<string[]>;
  /** Shows a file selected in the system file manager. */
  showInFolder(path: string): void;
  /** Opens an already checked http(s) URL in the default browser. */
  openExternal(url: string): Promise<void>;
  copyText(text: string): void;
  /**
   * The system keychain for recent rooms' invites (Electron safeStorage); absent, or unavailable,
   * and the invites are not kept (the rooms and their lines are).
   */
  secretStorage?: OsSecretStorage;
  /** The unread count on the dock/taskbar badge, 0 to clear it; absent where the shell has none (tests). */
  setBadgeCount?(count: number): void;
  /** How the UPnP child process is started (Electron: utilityProcess); child_process.fork when absent. */
  forkUpnp?: ForkFn;
}

/** Pushes one event to the window. */
export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void;

/** One handler per IPC call, taking the already validated argument. */
export type CallHandlers = { [C in CallName]: (...args: CallArgs<C>) => Promise<CallData<C>> };
