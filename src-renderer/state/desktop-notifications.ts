// System notifications for what happens while the window is in the background: a message from
// someone else, or a file offered to you. Fed by the bridge module, never by components.
import type { Member, RoomEvent, TransferView } from '../../src-preload/contract';
import { contentsWords } from '../format/byte-units';

/** What the notifier needs from the browser; a fake in tests. */
export interface NotificationHost {
  hasFocus(): boolean;
  permission(): NotificationPermission | 'unsupported';
  requestPermission(): Promise<NotificationPermission>;
  show(title: string, body: string): void;
}

export interface Notifier {
  /** A pushed room event; notifies for a live chat message from someone else. */
  roomEvent(event: RoomEvent, replayed: boolean, me: Member | null): void;
  /** A new incoming file offer. */
  offer(view: TransferView): void;
}

const BODY_MAX_CHARS = 140;

/** A notifier that stays quiet while the window has focus, and asks for permission once, when first needed. */
export function createNotifier(host: NotificationHost): Notifier {
  let asked = false;

  const notify = (title: string, body: string) => {
    if (host.hasFocus()) return;
    const permission = host.permission();
    if (permission === 'granted') {
      host.show(title, body);
    } else if (permission === 'default' && !asked) {
      asked = true;
      host.requestPermission().then(
        (answer) => {
          if (answer === 'granted') host.show(title, body);
        },
        () => {},
      );
    }
  };

  return {
    roomEvent(event, replayed, me) {
      if (replayed || event.type !== 'chat' || event.from.id === me?.id) return;
      notify(event.from.name, shorten(event.text));
    },
    offer(view) {
      if (view.direction !== 'incoming' || view.state !== 'offered') return;
      notify(
        `${view.from?.name ?? 'Someone'} offers ${view.files === undefined ? 'a file' : 'files'}`,
        `${view.fileName} (${contentsWords(view)})`,
      );
    },
  };
}

/** The browser's Notification API, focusing the window when a notification is clicked. */
export function browserNotificationHost(): NotificationHost {
  const supported = typeof Notification !== 'undefined';
  return {
    hasFocus: () => document.hasFocus(),
    permission: () => (supported ? Notification.permission : 'unsupported'),
    requestPermission: () => (supported ? Notification.requestPermission() : Promise.resolve('denied')),
    show(title, body) {
      const notification = new Notification(title, { body });
      notification.onclick = () => window.focus();
    },
  };
}

function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= BODY_MAX_CHARS ? text : `${chars.slice(0, BODY_MAX_CHARS - 1).join('')}…`;
}
