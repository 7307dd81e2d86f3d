// The transfers the window shows, one entry per transfer id.
import type { TransferView } from '../../src-preload/contract';
import { isFinal } from '../format/transfer-words';

/** Replaces the transfer with the same id in place, or appends it; the list keeps first-seen order. */
export function upsertTransfer(list: TransferView[], view: TransferView): TransferView[] {
  const index = list.findIndex((t) => t.id === view.id);
  if (index === -1) return [...list, view];
  const next = list.slice();
  next[index] = view;
  return next;
}

/** Offers waiting for you first, then running transfers, then finished ones; newest first within each. */
export function orderTransfers(transfers: readonly TransferView[]): TransferView[] {
  const rank = (t: TransferView) => (t.direction === 'incoming' && t.state === 'offered' ? 0 : isFinal(t.state) ? 2 : 1);
  return transfers
    .map((t, i) => ({ t, i }))
    .sort((a, b) => rank(a.t) - rank(b.t) || b.i - a.i)
    .map(({ t }) => t);
}
