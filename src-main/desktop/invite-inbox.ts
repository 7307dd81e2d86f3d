// Invites opened from outside the window (a porthole:// link): checked with the invite parser,
// then pushed as `app:open-invite`, or held for the window's first snapshot when it is not
// listening yet (the link that launched the app comes before the page has loaded).
import { parseInvite } from '../link/invite';
import { logger } from '../log/logger';
import { PortholeError } from '../wire/errors';
import type { EventSink } from './desktop-platform';

const log = logger('app');

export class InviteInbox {
  private held: string | undefined;
  private listening = false;

  constructor(private readonly sink: EventSink) {}

  /** Takes a link's text; true when it was an invite and went (or waits) for the Join form. */
  open(text: string): boolean {
    const invite = text.trim();
    try {
      parseInvite(invite);
    } catch (err) {
      // Never the link itself: it may carry a room secret.
      log.info('ignored a porthole:// link that is not an invite', { code: err instanceof PortholeError ? err.code : 'invalid' });
      return false;
    }
    if (this.listening) this.sink('app:open-invite', { invite });
    else this.held = invite;
    return true;
  }

  /** The invite held for the window, once; the window listens from its snapshot call on. */
  take(): string | undefined {
    this.listening = true;
    const held = this.held;
    this.held = undefined;
    return held;
  }
}
