import { useEffect, useRef, useState, type FormEvent } from 'react';
import { fieldOfError } from '../format/field-errors';
import { useActions, useAppState } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { useDefaultName } from './use-default-name';
import { usePendingCall } from './use-pending-call';

/** Joins the room an invite points to. */
export function JoinForm() {
  const { join, leave } = useActions();
  const { opening, openedInvite } = useAppState();
  const [invite, setInvite] = useState(openedInvite?.invite ?? '');
  const inviteField = useRef<HTMLInputElement>(null);
  const [name, setName] = useDefaultName();
  const pending = usePendingCall();
  const { failure, setError, run } = pending;
  // Each sentence next to the field it is about; the rest under the form.
  const field = fieldOfError(failure?.code);
  const inviteError = field === 'invite' ? (failure?.message ?? null) : null;
  const nameError = field === 'name' ? (failure?.message ?? null) : null;
  const formError = field === null ? (failure?.message ?? null) : null;
  const [cancelling, setCancelling] = useState(false);
  // A join this window started before a reload is still on its way: shown busy until the room opens.
  const busy = pending.busy || opening === 'joining';
  // Leave cancels a join on its way (RoomSlot) and answers once it has closed what it opened.
  const cancel = async () => {
    setCancelling(true);
    await leave();
    setCancelling(false);
  };

  // A porthole:// link was opened: its invite goes into the field, and the form asks for the name.
  useEffect(() => {
    if (!openedInvite) return;
    setInvite(openedInvite.invite);
    setError(null);
    inviteField.current?.focus();
    inviteField.current?.scrollIntoView({ block: 'nearest' });
  }, [openedInvite, setError]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pasted = invite.trim();
    if (pasted === '') return setError('Paste the invite your friend sent you; it starts with porthole://', 'invite-invalid');
    await run(() => join(pasted, name.trim()));
  };

  return (
    <section className="start-card" aria-label="Join a room">
      <h2 className="start-card-title">Join a room</h2>
      <p className="start-card-lead">Paste the invite a friend sent you.</p>
      <form onSubmit={(e) => void submit(e)} className="stack" aria-busy={busy}>
        <label className="field">
          <span className="field-label">Invite</span>
          <input
            ref={inviteField}
            className="input mono"
            value={invite}
            onChange={(e) => setInvite(e.target.value)}
            placeholder="porthole://…"
            spellCheck={false}
            autoComplete="off"
            disabled={busy}
            aria-invalid={inviteError !== null}
            aria-describedby="join-invite-error"
          />
        </label>
        <ErrorSentence id="join-invite-error" message={inviteError} />
        <label className="field">
          <span className="field-label">Your name</span>
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="nickname"
            disabled={busy}
            aria-invalid={nameError !== null}
            aria-describedby="join-name-error"
          />
        </label>
        <ErrorSentence id="join-name-error" message={nameError} />
        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy} aria-busy={busy}>
            <BusyLabel busy={busy}>Join</BusyLabel>
          </button>
          {busy && (
            <button type="button" className="button outline" onClick={() => void cancel()} disabled={cancelling} aria-busy={cancelling}>
              <BusyLabel busy={cancelling}>Cancel</BusyLabel>
            </button>
          )}
        </div>
        <p className="progress-sentence" role="status">
          {busy ? 'Connecting…' : ''}
        </p>
        <ErrorSentence message={formError} />
      </form>
    </section>
  );
}
