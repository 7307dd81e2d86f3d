import type { HubFeature, HubRoom, MemberConnection, WireMessage } from '../../room/feature';
import type { Member } from '../../wire/protocol';
import type { TypingNotice, TypingSet } from './typing-messages';

/**
 * "Who is typing" on the host: passes each member's typing state on to everyone else who
 * speaks typing/1. It keeps no state but who typed last, so that a member who leaves while
 * typing is cleared at once. The room's chat rate bounds how often a member can say it.
 */
export class TypingHub implements HubFeature {
  private room: HubRoom | undefined;
  private readonly typing = new Set<string>();

  start(room: HubRoom): void {
    this.room = room;
  }

  message(connection: MemberConnection, message: WireMessage): void {
    const { active } = message as TypingSet;
    const id = connection.member.id;
    if (active) this.typing.add(id);
    else if (!this.typing.delete(id)) return; // it was not typing: nothing to tell
    this.tell(id, active, connection);
  }

  left(member: Member): void {
    if (this.typing.delete(member.id)) this.tell(member.id, false);
  }

  private tell(member: string, active: boolean, except?: MemberConnection): void {
    const notice: TypingNotice = { type: 'typing', member, active };
    this.room?.broadcast(notice, except);
  }
}
