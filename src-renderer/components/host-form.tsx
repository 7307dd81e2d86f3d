import type { FormEvent } from 'react';
import { useActions, useAppState } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { useDefaultName } from './use-default-name';
import { usePendingCall } from './use-pending-call';

/** One click hosts a room under the name shown. */
export function HostForm() {
  const { host } = useActions();
  const { opening } = useAppState();
  const [name, setName] = useDefaultName();
  const pending = usePendingCall();
  const { error, run } = pending;
  // A host this window started before a reload is still on its way: shown busy until the room opens.
  const busy = pending.busy || opening === 'hosting';

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
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="nickname" />
        </label>
        <button type="submit" className="button primary wide" disabled={busy} aria-busy={busy}>
          <BusyLabel busy={busy}>Host a room</BusyLabel>
        </button>
        <p className="progress-sentence" role="status">
          {busy ? 'Starting the room…' : ''}
        </p>
        <ErrorSentence message={error} />
      </form>
    </section>
  );
}
