import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { DetachReason, MemberFeature, RoomLink, WireMessage } from '../../room/feature';
import { PortholeError, type AppError } from '../../wire/errors';
import type { NumberedEvent } from '../../wire/protocol';
import { ChatPacer } from './chat-pacer';
import { checkedText, type ChatEvent } from './chat-messages';

/** A line typed but not yet confirmed by the host. */
export interface Outgoing {
  id: string;
  text: string;
}

export interface SendFailure extends Outgoing {
  error: AppError;
}

export type ChatMemberEvents = {
  /** A line the host refused, or that could not be sent before the session ended. */
  'send-failed': [failure: SendFailure];
};

const NOT_TAKEN: AppError = { code: 'not-allowed', message: "This room's host does not take chat messages." };

/**
 * One member's chat, the same for a guest and the host's own member: lines typed while
 * disconnected wait in an outbox and are sent once, paced under the host's rate, in order; the
 * host's copy of a line (a numbered event) confirms it.
 */
export class ChatMember extends EventEmitter<ChatMemberEvents> implements MemberFeature {
  private readonly outbox = new Map<string, Outgoing>();
  private link: RoomLink | undefined;
  /** Attached to a host that does not speak chat. */
  private refused = false;
  private over = false;
  /** Keeps chat under the host's rate; one per connection. */
  private pacer: ChatPacer<Outgoing> | undefined;

  /** Sends a line now, or queues it while (re)connecting. Returns its id. */
  send(text: string): string {
    if (this.over) throw new PortholeError('not-connected', 'You are no longer in the room. Join again to send messages.');
    if (this.refused) throw new PortholeError('not-allowed', NOT_TAKEN.message);
    const message = { id: randomBytes(9).toString('base64url'), text: checkedText(text) };
    this.outbox.set(message.id, message);
    this.pacer?.push(message);
    return message.id;
  }

  /** Lines typed but not yet confirmed by the host. */
  pending(): Outgoing[] {
    return [...this.outbox.values()];
  }

  attach(link: RoomLink | undefined): void {
    this.link = link;
    this.refused = link === undefined;
    if (!link) return this.failOutbox(NOT_TAKEN);
    // Queued before anyone hears of the connection, so a line sent from a status listener goes after them.
    this.pacer = new ChatPacer(link.rate, (message) => this.transmit(message));
    for (const message of this.outbox.values()) this.pacer.push(message);
  }

  message(_message: WireMessage): void {
    // Chat has no unnumbered host messages; its lines arrive as events.
  }

  event(event: NumberedEvent, _replayed: boolean): void {
    if (event.type !== 'chat') return;
    const chat = event as ChatEvent;
    if (chat.from.id === this.link?.me.id) this.outbox.delete(chat.id);
  }

  answered(error: AppError, ref: string): boolean {
    if (error.code === 'already-posted') {
      this.outbox.delete(ref); // posted before a reconnect: nothing more to say
      return true;
    }
    const pending = this.outbox.get(ref);
    if (!pending) return false;
    // The host refused this line: it would be refused again after a reconnect.
    this.outbox.delete(ref);
    this.emit('send-failed', { ...pending, error });
    return true;
  }

  detach(_reason: DetachReason): void {
    this.pacer?.stop();
    this.pacer = undefined;
  }

  closed(error: AppError | undefined): void {
    this.over = true;
    this.pacer?.stop();
    this.pacer = undefined;
    this.failOutbox(error ?? { code: 'not-connected', message: 'You left the room before this message was sent.' });
  }

  private failOutbox(error: AppError): void {
    for (const message of this.outbox.values()) this.emit('send-failed', { ...message, error });
    this.outbox.clear();
  }

  private transmit(message: Outgoing): void {
    // Confirmed meanwhile (it was posted before a reconnect): nothing left to send.
    if (!this.outbox.has(message.id)) return;
    this.link?.send({ type: 'chat', id: message.id, text: message.text } as WireMessage);
  }
}
