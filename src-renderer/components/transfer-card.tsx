import { useState } from 'react';
import type { TransferView } from '../../src-preload/contract';
import { contentsWords } from '../format/byte-units';
import {
  cancellable,
  endedBadly,
  recipientsWords,
  retryWords,
  transferLine,
  transferStateWords,
  waitingSentence,
} from '../format/transfer-words';
import { useActions } from '../state/store';
import { ArrowDownIcon, ArrowUpIcon, FolderIcon } from './icons';
import { RecipientList } from './recipient-list';
import { TransferFigures, TransferProgressBar } from './transfer-progress';

/**
 * One offer going in or out, however many files it holds ("Holiday — 312 files, 2.1 GB"): how far
 * along, who it is for and how each of them is doing, and what you can do with it.
 */
export function TransferCard({ view }: { view: TransferView }) {
  const { accept, decline, cancel, retry, showInFolder } = useActions();
  const [pending, setPending] = useState(false);
  const incoming = view.direction === 'incoming';
  const offeredToMe = incoming && view.state === 'offered';
  const bundle = view.files !== undefined;
  const waiting = waitingSentence(view);

  // One answer at a time: a double click must not accept and then cancel.
  const run = (call: (id: string) => Promise<unknown>) => async () => {
    setPending(true);
    await call(view.id);
    setPending(false);
  };

  const peer = incoming ? `from ${view.from?.name ?? 'someone'}` : recipientsWords(view);
  const line = transferLine(view);

  return (
    <article
      className={`transfer state-${view.state} ${offeredToMe ? 'is-offer' : ''}`}
      data-testid="transfer"
      data-state={view.state}
      data-id={view.id}
      aria-label={`${incoming ? 'Incoming' : 'Outgoing'} ${bundle ? 'files' : 'file'} ${line}`}
    >
      <div className="transfer-head">
        <span className={`transfer-icon ${incoming ? 'in' : 'out'}`}>
          {bundle ? <FolderIcon /> : incoming ? <ArrowDownIcon /> : <ArrowUpIcon />}
        </span>
        <div className="transfer-title">
          <p className="transfer-name" title={line}>
            {view.fileName}
          </p>
          <p className="transfer-meta">
            {contentsWords(view)} · {peer}
          </p>
        </div>
      </div>

      {!offeredToMe && view.state !== 'queued' && <TransferProgressBar view={view} />}
      <div className="transfer-status">
        {!offeredToMe && view.state !== 'queued' && <TransferFigures view={view} />}
        <span className={`transfer-state ${endedBadly(view.state) ? 'bad' : view.state === 'done' ? 'good' : offeredToMe ? 'ask' : ''}`}>
          {transferStateWords(view)}
        </span>
      </div>
      {waiting && <p className="transfer-wait">{waiting}</p>}
      {!incoming && view.recipients && view.recipients.length > 0 && <RecipientList recipients={view.recipients} />}
      {(endedBadly(view.state) || view.state === 'paused') && view.message && <p className="transfer-message">{view.message}</p>}

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
        {view.retryable && (
          <button type="button" className="button primary small" onClick={() => void run(retry)()} disabled={pending}>
            {retryWords(view)}
          </button>
        )}
        {cancellable(view) && (
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
