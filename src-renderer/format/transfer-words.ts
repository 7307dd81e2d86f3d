// What a transfer's states and end reasons look like in plain words.
import type { EndReason, RecipientState, TransferState, TransferView } from '../../src-preload/contract';
import { isFinalState } from '../../src-preload/domain-values';

/** Whether a transfer is over: saved or sent, declined, cancelled or failed. */
export const isFinal = (state: TransferState): boolean => isFinalState(state);

/** Whether it ended without the file arriving: over, and not done. */
export const endedBadly = (state: TransferState): boolean => isFinalState(state) && state !== 'done';

/** The transfer's state in a word or two, as seen from this side. */
export function transferStateWords(view: Pick<TransferView, 'state' | 'direction'>): string {
  const incoming = view.direction === 'incoming';
  switch (view.state) {
    case 'offered':
      return incoming ? 'Waiting for you' : 'Waiting for answers';
    case 'sending':
      return 'Sending';
    case 'receiving':
      return 'Receiving';
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

const RECIPIENT_WORDS: Record<RecipientState, string> = {
  waiting: 'Waiting',
  accepted: 'Receiving',
  declined: 'Declined',
  done: 'Received',
  ended: 'Stopped',
};

const REASON_WORDS: Record<EndReason, string> = {
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
};

/** One recipient's state, with the short reason when it stopped early, e.g. "Stopped (disk full)". */
export function recipientStateWords(state: RecipientState, reason?: EndReason): string {
  const words = RECIPIENT_WORDS[state];
  return state === 'ended' && reason !== undefined ? `${words} (${REASON_WORDS[reason]})` : words;
}
