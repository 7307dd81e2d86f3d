import { useState, type FormEvent } from 'react';
import { useActions, useAppState } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { useDefaultName } from './use-default-name';
import { usePendingCall } from './use-pending-call';

/** Joins the room an invite points to. */
export function JoinForm() {
  const { join } = useActions();
  const { opening } = useAppState();
  const [invite, setInvite] = useState('');
  const [name, setName] = useDefaultName();
  const pending = usePendingCall();
  const { error, setError, run } = pending;
  // A join this window started before a reload is still on its way: shown busy until the room opens.
  const busy = pending.busy || opening === 'joining';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pasted = invite.trim();
    if (pasted === '') return setError('Paste the invite your friend sent you; it starts with porthole://');
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
            className="input mono"
            value={invite}
            onChange={(e) => setInvite(e.target.value)}
            placeholder="porthole://…"
            spellCheck={false}
            autoComplete="off"
            disabled={busy}
          />
        </label>
        <label className="field">
          <span className="field-label">Your name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="nickname" disabled={busy} />
        </label>
        <button type="submit" className="button primary wide" disabled={busy} aria-busy={busy}>
          <BusyLabel busy={busy}>Join</BusyLabel>
        </button>
        <p className="progress-sentence" role="status">
          {busy ? 'Connecting…' : ''}
        </p>
        <ErrorSentence message={error} />
      </form>
    </section>
  );
}
