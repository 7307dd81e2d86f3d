import { useId, useState, type FormEvent } from 'react';
import type { Member } from '../../src-preload/contract';
import { useActions } from '../state/store';
import { BusyLabel } from './busy-label';
import { ModalDialog } from './modal-dialog';

/** Host only: "Remove…" on a member, then a confirm with an optional sentence the member reads. */
export function RemoveMember({ member }: { member: Member }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button ghost small member-remove"
        aria-label={`Remove ${member.name}…`}
        title={`Remove ${member.name} from the room`}
        aria-haspopup="dialog"
        onClick={() => setAsking(true)}
      >
        Remove…
      </button>
      {asking && <RemoveMemberDialog member={member} onClose={() => setAsking(false)} />}
    </>
  );
}

function RemoveMemberDialog({ member, onClose }: { member: Member; onClose: () => void }) {
  const { removeMember } = useActions();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    // A failure becomes a notice above the chat; the dialog closes either way.
    await removeMember(member.id, reason);
    setBusy(false);
    onClose();
  };
  return (
    <ModalDialog title={`Remove ${member.name}?`} onClose={onClose} className="confirm-dialog remove-dialog">
      <form className="remove-form" onSubmit={confirm}>
        <p className="modal-text">
          They leave the room at once and see your sentence. This invite will not let them back in; to keep them out for good, also make a
          new invite.
        </p>
        <label className="field" htmlFor={reasonId}>
          <span className="field-label">Why (optional, they will read it)</span>
          <input
            id={reasonId}
            className="input"
            type="text"
            maxLength={200}
            placeholder="e.g. Wrong room, sorry"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            // biome-ignore lint/a11y/noAutofocus: the dialog opens to write the sentence; Escape or Cancel keeps them
            autoFocus
          />
        </label>
        <div className="modal-actions">
          <button type="button" className="button outline" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button danger" disabled={busy} aria-busy={busy}>
            <BusyLabel busy={busy}>Remove</BusyLabel>
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
