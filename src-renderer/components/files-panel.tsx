import type { TransferView } from '../../src-preload/contract';
import { orderTransfers } from '../state/transfer-list';
import { SendFilesButton } from './send-files-button';
import { TransferCard } from './transfer-card';

/** The room's files: the Send button and every transfer. */
export function FilesPanel({ transfers }: { transfers: TransferView[] }) {
  const ordered = orderTransfers(transfers);
  return (
    <section className="panel files-panel" aria-labelledby="files-title">
      <div className="panel-head">
        <h2 className="panel-title" id="files-title">
          Files {transfers.length > 0 && <span className="count">{transfers.length}</span>}
        </h2>
        <SendFilesButton />
      </div>
      {ordered.length === 0 ? (
        <p className="files-empty">Drop files anywhere in the window, or use Send files…, to offer them to everyone in the room.</p>
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
