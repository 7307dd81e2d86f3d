import { useState } from 'react';
import type { Member, TransferView } from '../../src-preload/contract';
import { hasFinished, orderTransfers } from '../state/transfer-list';
import { useActions } from '../state/store';
import { SendFilesButton } from './send-files-button';
import { TransferCard } from './transfer-card';

/** The room's files: Send files…, Clear finished, and every transfer, one item per offer. */
export function FilesPanel({ transfers, members, me }: { transfers: TransferView[]; members: Member[]; me: Member }) {
  const { clearFinished } = useActions();
  const [clearing, setClearing] = useState(false);
  const ordered = orderTransfers(transfers);
  const clear = async () => {
    setClearing(true);
    await clearFinished();
    setClearing(false);
  };
  return (
    <section className="panel files-panel" aria-labelledby="files-title">
      <div className="panel-head">
        <h2 className="panel-title" id="files-title">
          Files {transfers.length > 0 && <span className="count">{transfers.length}</span>}
        </h2>
        <div className="files-actions">
          {hasFinished(transfers) && (
            <button
              type="button"
              className="button ghost small"
              title="Remove saved, sent, declined and failed items from the list"
              onClick={() => void clear()}
              disabled={clearing}
            >
              Clear finished
            </button>
          )}
          <SendFilesButton members={members} me={me} />
        </div>
      </div>
      {ordered.length === 0 ? (
        <p className="files-empty">
          Drop files or folders anywhere in the window, or use Send files…, to offer them to everyone in the room; drop them on a person to
          send them to that person only.
        </p>
      ) : (
        <ul className="transfer-list">
          {ordered.map((view) => (
            <li key={view.id}>
              <TransferCard view={view} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
