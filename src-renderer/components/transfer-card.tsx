import { useState } from 'react';
import type { TransferView } from '../../src-preload/contract';
import { formatBytes } from '../format/byte-units';
import { endedBadly, isFinal, transferStateWords } from '../format/transfer-words';
import { useActions } from '../state/store';
import { ArrowDownIcon, ArrowUpIcon, FolderIcon } from './icons';
import { RecipientList } from './recipient-list';
import { TransferFigures, TransferProgressBar } from './transfer-progress';

/** One file going in or out: what it is, how far along, and what you can do with it. */
export function TransferCard({ view }: { view: TransferView }) {
  const { accept, decline, cancel, showInFolder } = useActions();
  const [pending, setPending] = useState(false);
  const incoming = view.direction === 'incoming';
  const offeredToMe = incoming && view.state === 'offered';
  const final = isFinal(view.state);

  // One answer at a time: a double click must not accept and then cancel.
  const run = (call: (id: string) => Promise<unknown>) => async () => {
    setPending(true);
    await call(view.id);
    setPending(false);
  };

  const peer = incoming ? `from ${view.from?.name ?? 'someone'}` : recipientsSummary(view);

  return (
    <article
      className={`transfer state-${view.state} ${offeredToMe ? 'is-offer' : ''}`}
      data-testid="transfer"
      data-state={view.state}
      aria-label={`${incoming ? 'Incoming' : 'Outgoing'} file ${view.fileName}`}
    >
      <div className="transfer-head">
        <span className={`transfer-icon ${incoming ? 'in' : 'out'}`}>{incoming ? <ArrowDownIcon /> : <ArrowUpIcon />}</span>
        <div className="transfer-title">
          <p className="transfer-name" title={view.fileName}>
            {view.fileName}
          </p>
          <p className="transfer-meta">
            {formatBytes(view.size)} · {peer}
          </p>
        </div>
      </div>

      {!offeredToMe && <TransferProgressBar view={view} />}
      <div className="transfer-status">
        {!offeredToMe && <TransferFigures view={view} />}
        <span className={`transfer-state ${endedBadly(view.state) ? 'bad' : view.state === 'done' ? 'good' : offeredToMe ? 'ask' : ''}`}>
          {transferStateWords(view)}
        </span>
      </div>
      {!incoming && view.recipients && view.recipients.length > 0 && <RecipientList recipients={view.recipients} />}
      {endedBadly(view.state) && view.message && <p className="transfer-message">{view.message}</p>}

      <div className="transfer-actions">
        {offeredToMe && (
          <>
            <button type="button" className="button primary small" onClick={() => void run(accept)()} disabled={pending}>
              Accept
            </button>
            <button type="button" className="button outline small" onClick={() => void run(decline)()} disabled={pending}>
              Decline
            </button>
          </>
        )}
        {!offeredToMe && !final && (
          <button type="button" className="button outline small" onClick={() => void run(cancel)()} disabled={pending}>
            Cancel
          </button>
        )}
        {incoming && view.state === 'done' && (
          <button type="button" className="button outline small" onClick={() => void showInFolder(view.id)}>
            <FolderIcon />
            Show in folder
          </button>
        )}
      </div>
    </article>
  );
}

function recipientsSummary(view: TransferView): string {
  const count = view.recipients?.length ?? 0;
  if (count === 0) return 'to everyone';
  if (count === 1) return `to ${view.recipients![0]!.member.name}`;
  return `to ${count} people`;
}
