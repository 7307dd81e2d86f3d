import { useState, type FormEvent } from 'react';
import { fieldOfError } from '../format/field-errors';
import { useActions, useAppState } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { useDefaultName } from './use-default-name';
import { usePendingCall } from './use-pending-call';

/** One click hosts a room under the name shown. */
export function HostForm() {
  const { host, leave } = useActions();
  const { opening } = useAppState();
  const [name, setName] = useDefaultName();
  const pending = usePendingCall();
  const { failure, run } = pending;
  const nameError = fieldOfError(failure?.code) === 'name' ? (failure?.message ?? null) : null;
  const formError = nameError === null ? (failure?.message ?? null) : null;
  const [cancelling, setCancelling] = useState(false);
  // A host this window started before a reload is still on its way: shown busy until the room opens.
  const busy = pending.busy || opening === 'hosting';
  // Leave cancels a host on its way (RoomSlot), closing what it had opened.
  const cancel = async () => {
    setCancelling(true);
    await leave();
    setCancelling(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(() => host(name.trim()));
  };

  return (
    <section className="start-card" aria-label="Host a room">
      <h2 className="start-card-title">Host a room</h2>
      <p className="start-card-lead">Start a room on this computer and send the invite to your friends.</p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label className="field">
          <span className="field-label">Your name</span>
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="nickname"
            aria-invalid={nameError !== null}
            aria-describedby="host-name-error"
          />
        </label>
        <ErrorSentence id="host-name-error" message={nameError} />
        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy} aria-busy={busy}>
            <BusyLabel busy={busy}>Host a room</BusyLabel>
          </button>
          {busy && (
            <button type="button" className="button outline" onClick={() => void cancel()} disabled={cancelling} aria-busy={cancelling}>
              <BusyLabel busy={cancelling}>Cancel</BusyLabel>
            </button>
          )}
        </div>
        <p className="progress-sentence" role="status">
          {busy ? 'Starting the room…' : ''}
        </p>
        <ErrorSentence message={formError} />
      </form>
    </section>
  );
}
