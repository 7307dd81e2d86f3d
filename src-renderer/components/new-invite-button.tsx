import { useState } from 'react';
import { useActions } from '../state/store';
import { BusyLabel } from './busy-label';
import { ModalDialog } from './modal-dialog';

/** Host only: revokes the invite after a confirm; the new one replaces it in the panel above. */
export function NewInviteButton() {
  const { revokeInvite } = useActions();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState(false);
  const confirm = async () => {
    setBusy(true);
    // A failure becomes a notice above the chat.
    const result = await revokeInvite();
    setBusy(false);
    setAsking(false);
    setMade(result.ok);
  };
  return (
    <div className="new-invite">
      <button type="button" className="button ghost small new-invite-button" aria-haspopup="dialog" onClick={() => setAsking(true)}>
        New invite…
      </button>
      <p className="new-invite-done" role="status">
        {made ? 'New invite made: the one sent before no longer lets anyone in.' : ''}
      </p>
      {asking && (
        <ModalDialog title="Make a new invite?" onClose={() => setAsking(false)} className="confirm-dialog">
          <p className="modal-text">
            The invite you sent so far stops working. Everyone in the room stays; send the new one to whoever should join.
          </p>
          <div className="modal-actions">
            {/* biome-ignore lint/a11y/noAutofocus: the safe answer gets focus when the dialog opens, as modal dialogs should */}
            <button type="button" className="button outline" onClick={() => setAsking(false)} autoFocus>
              Cancel
            </button>
            <button type="button" className="button danger" disabled={busy} aria-busy={busy} onClick={() => void confirm()}>
              <BusyLabel busy={busy}>Make a new invite</BusyLabel>
            </button>
          </div>
        </ModalDialog>
      )}
    </div>
  );
}
