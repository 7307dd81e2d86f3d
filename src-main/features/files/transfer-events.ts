import type { EndReason } from './transfer-messages';

/**
 * What a file transfer looks like to people (the CLI now, the window later): ids, names,
 * sizes, states and percentages — never wire messages. The preload contract re-exports these.
 */

export type { EndReason } from './transfer-messages';

export interface TransferPeer {
  id: string;
  name: string;
}

export type TransferState =
  /** Incoming: waiting for you to accept or decline. Outgoing: waiting for answers. */
  'offered' | 'sending' | 'receiving' | 'done' | 'declined' | 'cancelled' | 'failed';

export type RecipientState = 'waiting' | 'accepted' | 'declined' | 'done' | 'ended';

/** One recipient of an outgoing transfer, as its sender sees it. */
export interface RecipientView {
  member: TransferPeer;
  state: RecipientState;
  bytes: number;
  percent: number;
  reason?: EndReason;
}

/** A transfer's current state; reported again on every change and, throttled, on progress. */
/** States a transfer never leaves. */
export const FINAL_STATES: ReadonlySet<string> = new Set(['done', 'declined', 'cancelled', 'failed']);

/** Whether a transfer is over (saved, sent, declined, cancelled or failed). */
export const isFinalState = (state: string): boolean => FINAL_STATES.has(state);

export interface TransferView {
  id: string;
  direction: 'incoming' | 'outgoing';
  fileName: string;
  size: number;
  /** Incoming: who sends it. */
  from?: TransferPeer;
  state: TransferState;
  bytes: number;
  percent: number;
  bytesPerSecond: number;
  /** Outgoing: each recipient's answer and progress. */
  recipients?: RecipientView[];
  reason?: EndReason;
  /** A sentence a person can act on when the transfer ended badly. */
  message?: string;
  /** Incoming, once saved. */
  savedPath?: string;
  sha256?: string;
}

export type TransferEvents = {
  /** Someone offers you a file: accept(id) or decline(id). */
  offer: [view: TransferView];
  update: [view: TransferView];
};

const SENTENCES: Record<EndReason, string> = {
  declined: 'The file was declined.',
  cancelled: 'The transfer was cancelled.',
  'sender-left': 'The sender left the room before the file was complete.',
  'recipient-left': 'The recipient left the room.',
  'host-left': 'The host closed the room before the file was complete.',
  'connection-lost': 'The connection to the room was lost.',
  stalled: 'The recipient stopped receiving, so the transfer was stopped for it.',
  'no-answer': 'Nobody answered the offer in time.',
  'no-recipients': 'Nobody else is in the room to receive the file.',
  'disk-full': 'There is not enough free space in the download folder.',
  'write-failed': 'The file could not be written to the download folder.',
  'read-failed': 'The file could not be read on the sender’s side.',
  'hash-mismatch': 'The received file did not match the sender’s checksum, so it was not saved.',
  'bad-data': 'The transfer broke the protocol and was stopped.',
  'too-many-transfers': 'Too many transfers are running in the room; try again later.',
};

/** The sentence shown for an end reason. */
export const reasonSentence = (reason: EndReason): string => SENTENCES[reason];

export const percentOf = (bytes: number, size: number): number => (size === 0 ? 100 : Math.floor((bytes / size) * 1000) / 10);
