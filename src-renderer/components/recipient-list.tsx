import type { RecipientView } from '../../src-preload/contract';
import { recipientStateWords } from '../format/transfer-words';
import { MemberAvatar } from './member-avatar';

/** An outgoing offer's recipients, each with their answer and progress: waiting, receiving 42%, paused, received, declined, failed and why. */
export function RecipientList({ recipients }: { recipients: RecipientView[] }) {
  return (
    <ul className="recipient-list" aria-label="Recipients">
      {recipients.map((r) => (
        <li key={r.member.id} className={`recipient state-${r.state}`}>
          <MemberAvatar member={r.member} size="small" />
          <span className="recipient-name">{r.member.name}</span>
          <span className="recipient-state">{recipientStateWords(r)}</span>
        </li>
      ))}
    </ul>
  );
}
