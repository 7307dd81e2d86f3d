import type { Member } from '../../src-preload/contract';
import { sortMembers } from '../format/natural-sort';
import { MemberAvatar } from './member-avatar';
import { RemoveMember } from './remove-member';
import { useActions } from '../state/store';
import { dropMemberProps } from './use-file-drop';

interface MemberListProps {
  members: Member[];
  me: Member;
  removed?: string[] | undefined;
  /** While files are dragged over the window: the member they are over (null: none); undefined when no drag. */
  dropTarget?: string | null | undefined;
}

/**
 * Everyone in the room, host first, then by name ("guest2" before "guest10"), you marked. Files
 * dropped on someone else go to them only (use-file-drop.ts reads the marks).
 */
export function MemberList({ members, me, removed = [], dropTarget }: MemberListProps) {
  const { allowMember } = useActions();
  const dragging = dropTarget !== undefined;
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 className="panel-title" id="members-title">
        People <span className="count">{members.length}</span>
      </h2>
      <ul className={`member-list ${dragging ? 'dropping' : ''}`}>
        {sortMembers(members).map((member) => (
          <li
            key={member.id}
            className={`member ${dragging && member.id !== me.id ? 'drop-member' : ''} ${dropTarget === member.id ? 'drop-target' : ''}`}
            {...(member.id === me.id ? {} : dropMemberProps(member))}
          >
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
