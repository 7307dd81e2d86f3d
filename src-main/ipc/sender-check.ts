// Which IPC senders are ours: the main frame of our own window, showing our own page. Written
// against the few properties it reads, so it is tested without Electron.

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
    const expected = ourWindow();
    if (!expected || event.sender !== expected.webContents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return samePage(frame.url, expected.pageUrl);
  };
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
