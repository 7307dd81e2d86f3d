import type { RecipientView } from '../../src-preload/contract';
import { recipientStateWords } from '../format/transfer-words';
import { MemberAvatar } from './member-avatar';

/** An outgoing file's recipients, each with their answer and progress. */
export function RecipientList({ recipients }: { recipients: RecipientView[] }) {
  return (
    <ul className="recipient-list" aria-label="Recipients">
      {recipients.map((r) => (
        <li key={r.member.id} className={`recipient state-${r.state}`}>
          <MemberAvatar member={r.member} size="small" />
          <span className="recipient-name">{r.member.name}</span>
          <span className="recipient-state">
            {recipientStateWords(r.state, r.reason)}
            {r.state === 'accepted' && ` · ${Math.floor(r.percent)}%`}
          </span>
        </li>
      ))}
    </ul>
  );
}
