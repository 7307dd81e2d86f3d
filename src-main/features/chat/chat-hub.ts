import type { HubFeature, HubRoom, MemberConnection, WireMessage } from '../../room/feature';
import type { Member } from '../../wire/protocol';
import type { ChatEvent, ChatSend } from './chat-messages';

/** Message ids remembered per member for ignoring resends; older ones are forgotten. */
const MAX_SEEN_IDS = 1000;

/**
 * Chat on the host: posts each member's line as a numbered room event, once. A line sent again
 * after a reconnect (same id) is not posted twice: the sender is shown the original.
 */
export class ChatHub implements HubFeature {
  private room: HubRoom | undefined;
  /** Per member id: client message id → sequence number. */
  private readonly seen = new Map<string, Map<string, number>>();

  start(room: HubRoom): void {
    this.room = room;
  }

  message(connection: MemberConnection, message: WireMessage): void {
    const { id, text } = message as ChatSend;
    const room = this.room;
    if (!room) return;
    const mine = this.seen.get(connection.member.id) ?? new Map<string, number>();
    this.seen.set(connection.member.id, mine);
    const earlier = mine.get(id);
    if (earlier !== undefined) {
      // A resend after a reconnect: show the sender the original instead of posting twice.
      const original = room.event(earlier);
      if (original) connection.send(original);
      else connection.sendError({ code: 'already-posted', message: 'This message was posted earlier.' }, id);
      return;
    }
    const event = room.publish<ChatEvent>({ type: 'chat', from: connection.member, id, text });
    mine.set(id, event.seq);
    if (mine.size > MAX_SEEN_IDS) mine.delete(mine.keys().next().value!);
  }

  left(member: Member): void {
    this.seen.delete(member.id);
  }
}
