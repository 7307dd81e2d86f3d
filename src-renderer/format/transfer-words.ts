// What a transfer's states and end reasons look like in plain words.
import type { Member, RecipientState, RecipientView, TransferEndReason, TransferState, TransferView } from '../../src-preload/contract';
import { contentsWords, isFinalState } from '../../src-preload/domain-values';

/** Whether a transfer is over: saved or sent, declined, cancelled or failed. */
export const isFinal = (state: TransferState): boolean => isFinalState(state);

/** Whether it ended without the file arriving: over, and not done. */
export const endedBadly = (state: TransferState): boolean => isFinalState(state) && state !== 'done';

/** The transfer's state in a word or two, as seen from this side. */
export function transferStateWords(view: Pick<TransferView, 'state' | 'direction'>): string {
  const incoming = view.direction === 'incoming';
  switch (view.state) {
    case 'queued':
      return 'Queued';
    case 'offered':
      // Your own offer stays open (for late answers and people who join) while nobody is receiving it.
      return incoming ? 'Waiting for you' : 'Offered';
    case 'sending':
      return 'Sending';
    case 'receiving':
      return 'Receiving';
    case 'paused':
      return 'Paused';
    case 'done':
      return incoming ? 'Saved' : 'Sent';
    case 'declined':
      return 'Declined';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Failed';
  }
}

/** The one line an item is: "Holiday — 312 files, 2.1 GB", or "photo.jpg — 4.2 MB". */
export const transferLine = (view: Pick<TransferView, 'fileName' | 'size' | 'files'>): string =>
  `${view.fileName} — ${contentsWords(view)}`;

/** Who an outgoing offer is for: "to everyone", "to Bo", "to Bo and Cy", "to Bo, Cy and 2 others". */
export function recipientsWords(view: Pick<TransferView, 'to' | 'recipients'>): string {
  const named = view.to;
  if (!named || named.length === 0) return 'to everyone';
  const names = named.map((p) => p.name);
  if (names.length === 1) return `to ${names[0]}`;
  if (names.length === 2) return `to ${names[0]} and ${names[1]}`;
  const others = names.length - 2;
  return `to ${names[0]}, ${names[1]} and ${others} ${others === 1 ? 'other' : 'others'}`;
}

/** What a queued or paused item waits for, in a sentence; null for other states. */
export function waitingSentence(view: Pick<TransferView, 'state' | 'direction' | 'retryable'>): string | null {
  if (view.state === 'queued') return 'Offered as soon as earlier offers of yours finish.';
  if (view.state !== 'paused') return null;
  if (view.direction === 'incoming')
    return view.retryable ? 'Interrupted; what arrived is kept. Resume to continue.' : 'Interrupted; it continues when the sender is back.';
  return 'Interrupted; it continues when the connection is back.';
}

const RECIPIENT_WORDS: Record<RecipientState, string> = {
  waiting: 'Waiting',
  accepted: 'Receiving',
  paused: 'Paused',
  declined: 'Declined',
  done: 'Received',
  ended: 'Failed',
};

const REASON_WORDS: Record<TransferEndReason, string> = {
  declined: 'declined',
  cancelled: 'cancelled',
  'sender-left': 'sender left',
  'recipient-left': 'left the room',
  'host-left': 'room closed',
  'connection-lost': 'connection lost',
  stalled: 'stopped receiving',
  'no-answer': 'no answer',
  'no-recipients': 'nobody to send to',
  'disk-full': 'disk full',
  'write-failed': 'could not save',
  'read-failed': 'could not read the file',
  'hash-mismatch': 'checksum did not match',
  'bad-data': 'protocol error',
  'too-many-transfers': 'too many transfers',
  complete: 'complete',
  'file-changed': 'file changed while sending',
  'resume-failed': 'kept data did not match',
};

/** A reason in a few words, e.g. "disk full". */
export const reasonWords = (reason: TransferEndReason): string => REASON_WORDS[reason] ?? reason;

/**
 * One recipient's state as its sender sees it: "Waiting", "Receiving · 42%", "Paused · 40%",
 * "Received", "Declined", "Failed (disk full)"; a recipient who cancelled has "Cancelled".
 */
export function recipientStateWords(recipient: Pick<RecipientView, 'state' | 'reason' | 'percent'>): string {
  const { state, reason } = recipient;
  if (state === 'accepted' || state === 'paused') return `${RECIPIENT_WORDS[state]} · ${Math.floor(recipient.percent)}%`;
  if (state === 'ended' && reason === 'cancelled') return 'Cancelled';
  if (state === 'ended' && reason !== undefined) return `${RECIPIENT_WORDS[state]} (${reasonWords(reason)})`;
  return RECIPIENT_WORDS[state];
}

/** What Retry says for an item: Resume for a download that continues from what it kept; Retry (offer again, or start over) otherwise. */
export const retryWords = (view: Pick<TransferView, 'state' | 'bytes' | 'direction'>): 'Resume' | 'Retry' =>
  view.direction === 'incoming' && (view.state === 'paused' || view.bytes > 0) ? 'Resume' : 'Retry';

/** Whether Cancel makes sense: the transfer is queued, offered by you, or moving (not over, not an offer waiting for your answer). */
export const cancellable = (view: Pick<TransferView, 'state' | 'direction'>): boolean =>
  !isFinal(view.state) && !(view.direction === 'incoming' && view.state === 'offered');

/** A short summary of several files for a sentence: "notes.txt", "notes.txt and 2 more". */
export function filesSummary(names: readonly string[]): string {
  if (names.length === 0) return 'the files';
  return names.length === 1 ? names[0]! : `${names[0]} and ${names.length - 1} more`;
}

/** The people an offer can go to: everyone here but you, in the order given. */
export const possibleRecipients = (members: readonly Member[], me: Member): Member[] => members.filter((m) => m.id !== me.id);
