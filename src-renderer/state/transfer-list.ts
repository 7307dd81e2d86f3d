// The transfers the window shows, one entry per transfer id.
import type { TransferView } from '../../src-preload/contract';
import { isFinal } from '../format/transfer-words';

/**
 * Replaces the transfer with the same id in place, or appends it; the list keeps first-seen order.
 * An update with `was` (a queued offer the room has numbered: 'q1' became '7') takes the queued
 * entry's place, so the item stays where it was and is never shown twice.
 */
export function upsertTransfer(list: TransferView[], pushed: TransferView): TransferView[] {
  const { was, ...view } = pushed;
  const index = list.findIndex((t) => t.id === view.id);
  const queuedIndex = was !== undefined && was !== view.id ? list.findIndex((t) => t.id === was) : -1;
  if (queuedIndex !== -1) {
    const next = list.slice();
    next[queuedIndex] = view;
    // An update under the new id that came first (it should not, but events may cross) goes.
    return index === -1 ? next : next.filter((_, i) => i !== index);
  }
  if (index === -1) return [...list, view];
  const next = list.slice();
  next[index] = view;
  return next;
}

/** The list without the transfers `ids` names (Clear finished). */
export function withoutTransfers(list: TransferView[], ids: readonly string[]): TransferView[] {
  if (ids.length === 0) return list;
  const gone = new Set(ids);
  const kept = list.filter((t) => !gone.has(t.id));
  return kept.length === list.length ? list : kept;
}

/** Whether Clear finished has anything to clear. */
export const hasFinished = (transfers: readonly TransferView[]): boolean => transfers.some((t) => isFinal(t.state));

/** Offers waiting for you first, then running, queued and paused transfers, then finished ones; newest first within each. */
export function orderTransfers(transfers: readonly TransferView[]): TransferView[] {
  const rank = (t: TransferView) => (t.direction === 'incoming' && t.state === 'offered' ? 0 : isFinal(t.state) ? 2 : 1);
  return transfers
    .map((t, i) => ({ t, i }))
    .sort((a, b) => rank(a.t) - rank(b.t) || b.i - a.i)
    .map(({ t }) => t);
}
