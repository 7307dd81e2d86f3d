import type { Member } from '../../src-preload/contract';
import { sortMembers } from '../format/natural-sort';
import { MemberAvatar } from './member-avatar';
import { RemoveMember } from './remove-member';
import { useActions } from '../state/store';

/** Everyone in the room, host first, then by name ("guest2" before "guest10"), you marked. */
export function MemberList({ members, me, removed = [] }: { members: Member[]; me: Member; removed?: string[] | undefined }) {
  const { allowMember } = useActions();
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 className="panel-title" id="members-title">
        People <span className="count">{members.length}</span>
      </h2>
      <ul className="member-list">
        {sortMembers(members).map((member) => (
          <li key={member.id} className="member">
            <MemberAvatar member={member} />
            {/* A long name is cut with an ellipsis: the whole name shows on hover, and screen readers read it all. */}
            <span className="member-name" title={member.name}>
              {member.name}
            </span>
            {member.id === me.id && <span className="member-you">(you)</span>}
            {member.host && <span className="badge">host</span>}
            {me.host && member.id !== me.id && <RemoveMember member={member} />}
          </li>
        ))}
      </ul>
      {me.host && removed.length > 0 && (
        <>
          <h3 className="panel-subtitle">Removed</h3>
          <ul className="member-list removed-list" aria-label="Removed from the room">
            {removed.map((name) => (
              <li key={name} className="member removed">
                <span className="member-name" title={name}>
                  {name}
                </span>
                <button
                  type="button"
                  className="button ghost small"
                  aria-label={`Let ${name} back in`}
                  title={`Let ${name} join again with the invite`}
                  onClick={() => void allowMember(name)}
                >
                  Let back in
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
