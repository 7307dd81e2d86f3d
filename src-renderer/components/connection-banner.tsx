import type { SessionStatus } from '../../src-preload/contract';
import { sessionStatusWords } from '../format/room-words';

/** Says, above the chat, when the connection to the room is not up, and why. */
export function ConnectionBanner({ status }: { status: SessionStatus }) {
  if (status.state === 'connected') return null;
  const words = sessionStatusWords(status);
  return (
    <div className={`banner tone-${words.tone}`} role="status">
      {words.tone === 'working' && <span className="spinner" aria-hidden="true" />}
      <p>
        <strong>{words.text}</strong>
        {status.error && <> {status.error.message}</>}
      </p>
    </div>
  );
}
