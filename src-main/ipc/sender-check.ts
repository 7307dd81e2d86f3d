// Which IPC senders are ours: the main frame of our own window, showing our own page. Written
// against the few properties it reads, so it is tested without Electron.
import { logger } from '../log/logger';

const log = logger('ipc');

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  url: string;
  parent: unknown;
}

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface InvokeEventLike {
  sender: unknown;
  senderFrame: FrameLike | null | undefined;
}

export interface OurWindow {
  webContents: unknown;
  /** The URL the window loads (the page itself, without query or fragment). */
  pageUrl: string;
}

export type SenderCheck = (event: InvokeEventLike) => boolean;

/**
 * True only for a call from our window's web contents, from its top frame (not an iframe),
 * while that frame shows our page (not a page it was navigated to).
 */
export function createSenderCheck(ourWindow: () => OurWindow | undefined): SenderCheck {
  return (event) => {
    const refusal = whyNotOurs(event, ourWindow());
    if (refusal) log.warn('refused an IPC sender', { reason: refusal, origin: originOf(event) });
    return refusal === undefined;
  };
}

function whyNotOurs(event: InvokeEventLike, expected: OurWindow | undefined): string | undefined {
  if (!expected) return 'no-window';
  if (event.sender !== expected.webContents) return 'other-web-contents';
  const frame = event.senderFrame;
  if (!frame) return 'no-frame';
  if (frame.parent !== null) return 'subframe';
  if (!samePage(frame.url, expected.pageUrl)) return 'other-page';
  return undefined;
}

/** Scheme and host only: a page's path or query may hold anything, a data: URL a whole page. */
function originOf(event: InvokeEventLike): string | undefined {
  try {
    const parsed = new URL(event.senderFrame?.url ?? '');
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : parsed.protocol;
  } catch {
    return undefined;
  }
}

function samePage(actual: string, expected: string): boolean {
  try {
    const a = new URL(actual);
    const b = new URL(expected);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
