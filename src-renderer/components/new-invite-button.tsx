import { useState } from 'react';
import { useActions } from '../state/store';

/** Host only: revokes the invite after a confirm; the new one replaces it in the panel above. */
export function NewInviteButton() {
  const { revokeInvite } = useActions();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button outline small new-invite" onClick={() => setAsking(true)}>
        New invite…
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    await revokeInvite();
    setBusy(false);
    setAsking(false);
  };
  return (
    <fieldset className="new-invite-confirm">
      <legend className="visually-hidden">Make a new invite?</legend>
      <p>The invite you sent so far stops working. Everyone in the room stays; send the new one to whoever should join.</p>
      <button type="button" className="button danger small" disabled={busy} onClick={confirm}>
        Make a new invite
      </button>
      <button type="button" className="button ghost small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}
