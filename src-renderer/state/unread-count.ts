// The unread count while the window is in the background: new chat lines from others, shown in
// the window title ("(3) Porthole") and on the dock/taskbar badge, cleared when the window is
// looked at again. Fed by the bridge module (a notifier beside the system notifications).
import type { Member, RoomEvent } from '../../src-preload/contract';

/** The largest count the badge shows (the main side refuses more). */
export const MAX_UNREAD = 9999;

/** What the counter needs from the window; a fake in tests. */
export interface AttentionHost {
  /** True while the window is hidden or another window has the focus. */
  isAway(): boolean;
  /** Shows the count (0: nothing) in the title and on the badge. */
  show(count: number): void;
}

/** The count after one pushed event: +1 for a live chat line from someone else while away. */
export function unreadAfter(count: number, event: RoomEvent, replayed: boolean, me: Member | null, away: boolean): number {
  if (!away || replayed || event.type !== 'chat' || event.from.id === me?.id) return count;
  return Math.min(MAX_UNREAD, count + 1);
}

/** The window title with the count in front when there is one. */
export function titleWithCount(base: string, count: number): string {
  return count > 0 ? `(${count}) ${base}` : base;
}

export interface UnreadCounter {
  roomEvent(event: RoomEvent, replayed: boolean, me: Member | null): void;
  /** The window was looked at: back to zero. */
  seen(): void;
}

/** Counts while away and shows each change once. */
export function createUnreadCounter(host: AttentionHost): UnreadCounter {
  let count = 0;
  const set = (next: number) => {
    if (next === count) return;
    count = next;
    host.show(count);
  };
  return {
    roomEvent: (event, replayed, me) => set(unreadAfter(count, event, replayed, me, host.isAway())),
    seen: () => set(0),
  };
}

/**
 * The browser side: away while the document is hidden or unfocused; the count goes to the title
 * and to `setBadge` (the main side's dock/taskbar badge). Calls `onSeen` when the window is
 * focused or shown again; returns the function that stops listening.
 */
export function browserAttentionHost(setBadge: (count: number) => void): AttentionHost & { listen(onSeen: () => void): () => void } {
  const baseTitle = document.title;
  return {
    isAway: () => document.hidden || !document.hasFocus(),
    show(count) {
      document.title = titleWithCount(baseTitle, count);
      setBadge(count);
    },
    listen(onSeen) {
      const onFocus = () => onSeen();
      const onVisibility = () => {
        if (!document.hidden && document.hasFocus()) onSeen();
      };
      window.addEventListener('focus', onFocus);
      document.addEventListener('visibilitychange', onVisibility);
      return () => {
        window.removeEventListener('focus', onFocus);
        document.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}
