import { useState, type FormEvent } from 'react';
import type { Member } from '../../src-preload/contract';
import { useActions } from '../state/store';

/** Host only: "Remove…" on a member, then a confirm with an optional sentence the member reads. */
export function RemoveMember({ member }: { member: Member }) {
  const { removeMember } = useActions();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="button ghost small member-remove"
        aria-label={`Remove ${member.name}`}
        onClick={() => setAsking(true)}
      >
        Remove…
      </button>
    );
  }
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await removeMember(member.id, reason);
    setBusy(false);
    setAsking(false);
  };
  return (
    <form className="member-remove-confirm" onSubmit={confirm} aria-label={`Remove ${member.name}?`}>
      <p>
        Remove {member.name}? They see your sentence, and this invite will not let them back in. To keep them out for good, also make a new
        invite.
      </p>
      <input
        type="text"
        maxLength={200}
        placeholder="Why (optional, they will read it)"
        aria-label="Why (they will read it)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" className="button danger small" disabled={busy}>
        Remove
      </button>
      <button type="button" className="button ghost small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </form>
  );
}
