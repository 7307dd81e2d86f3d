import { EventEmitter } from 'node:events';
import type { DetachReason, MemberFeature, RoomLink, WireMessage } from '../../room/feature';
import type { Member, NumberedEvent } from '../../wire/protocol';
import { TYPING_HOLD_MS, TYPING_REPEAT_MS, type TypingNotice } from './typing-messages';

export type TypingEvents = {
  /** The members typing right now (never me), whenever that changes. */
  typing: [members: Member[]];
};

/**
 * One member's side of "who is typing": says when this member types (at most every 3 s while
 * it goes on, and once when it stops) and keeps who else is typing, each for 6 s unless said
 * again, and no longer once their message arrived or they left.
 */
export class TypingMember extends EventEmitter<TypingEvents> implements MemberFeature {
  private link: RoomLink | undefined;
  private saidActiveAt = Number.NEGATIVE_INFINITY;
  private active = false;
  private readonly others = new Map<string, NodeJS.Timeout>();

  constructor(private readonly now: () => number = () => performance.now()) {
    super();
  }

  /** This member is typing (true) or stopped (false: sent the line, cleared the box). */
  set(active: boolean): void {
    if (!this.link) return;
    const now = this.now();
    if (active && this.active && now - this.saidActiveAt < TYPING_REPEAT_MS) return;
    if (!active && !this.active) return;
    this.active = active;
    if (active) this.saidActiveAt = now;
    this.link.send({ type: 'typing', active } as WireMessage);
  }

  /** Who is typing now. */
  typing(): Member[] {
    const members = this.link?.members() ?? [];
    return [...this.others.keys()].flatMap((id) => members.filter((m) => m.id === id));
  }

  attach(link: RoomLink | undefined): void {
    this.link = link;
    this.active = false;
  }

  message(message: WireMessage): void {
    const { member, active } = message as TypingNotice;
    if (member === this.link?.me.id) return;
    if (active) this.hold(member);
    else this.drop(member);
  }

  /** A member's message arrived, or the member left: they are not typing any more. */
  event(event: NumberedEvent, replayed: boolean): void {
    if (replayed) return;
    const who = event as { from?: { id?: unknown }; member?: { id?: unknown } };
    const id = event.type === 'left' ? who.member?.id : who.from?.id;
    if (typeof id === 'string') this.drop(id);
  }

  detach(_reason: DetachReason): void {
    this.link = undefined;
    this.active = false;
    if (this.others.size === 0) return;
    for (const timer of this.others.values()) clearTimeout(timer);
    this.others.clear();
    this.emit('typing', []);
  }

  private hold(member: string): void {
    clearTimeout(this.others.get(member));
    const fresh = !this.others.has(member);
    this.others.set(
      member,
      setTimeout(() => this.drop(member), TYPING_HOLD_MS),
    );
    if (fresh) this.emit('typing', this.typing());
  }

  private drop(member: string): void {
    const timer = this.others.get(member);
    if (!timer) return;
    clearTimeout(timer);
    this.others.delete(member);
    this.emit('typing', this.typing());
  }
}
