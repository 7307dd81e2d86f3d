// The transfers the window shows, one entry per transfer id.
import type { TransferView } from '../../src-preload/contract';

/** Replaces the transfer with the same id in place, or appends it; the list keeps first-seen order. */
export function upsertTransfer(list: TransferView[], view: TransferView): TransferView[] {
  const index = list.findIndex((t) => t.id === view.id);
  if (index === -1) return [...list, view];
  const next = list.slice();
  next[index] = view;
  return next;
}
