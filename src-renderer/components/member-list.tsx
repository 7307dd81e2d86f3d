import type { Member } from '../../src-preload/contract';
import { MemberAvatar } from './member-avatar';

/** Everyone in the room, host first, you marked. */
export function MemberList({ members, me }: { members: Member[]; me: Member }) {
  const sorted = [...members].sort((a, b) => Number(b.host) - Number(a.host) || a.name.localeCompare(b.name));
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 className="panel-title" id="members-title">
        People <span className="count">{members.length}</span>
      </h2>
      <ul className="member-list">
        {sorted.map((member) => (
          <li key={member.id} className="member">
            <MemberAvatar member={member} />
            <span className="member-name">{member.name}</span>
            {member.id === me.id && <span className="member-you">(you)</span>}
            {member.host && <span className="badge">host</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
