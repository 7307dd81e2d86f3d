/**
 * What a file transfer looks like to people (the CLI now, the window later): ids, names,
 * sizes, states and percentages — never wire messages. The preload contract re-exports these.
 */

export type { EndReason } from './transfer-messages';
export type { Files2EndReason as TransferEndReason } from './v2/files2-messages';
import type { Files2EndReason } from './v2/files2-messages';

export interface TransferPeer {
  id: string;
  name: string;
}

export type TransferState =
  /** Outgoing: waiting here until the room takes more offers (many drops in a row). */
  | 'queued'
  /** Incoming: waiting for you to accept or decline. Outgoing: nobody is receiving it right now. */
  | 'offered'
  | 'sending'
  | 'receiving'
  /** Interrupted (the connection went, or the sender is away): continues on its own when it can, or with retry. */
  | 'paused'
  | 'done'
  | 'declined'
  | 'cancelled'
  | 'failed';

/** `accepted`: receiving now; `paused`: interrupted, may come back and resume. */
export type RecipientState = 'waiting' | 'accepted' | 'paused' | 'declined' | 'done' | 'ended';

/** One recipient of an outgoing transfer, as its sender sees it. */
export interface RecipientView {
  member: TransferPeer;
  state: RecipientState;
  bytes: number;
  percent: number;
  reason?: Files2EndReason;
}

/** A transfer's current state; reported again on every change and, throttled, on progress. */
/** States a transfer never leaves. */
export const FINAL_STATES: ReadonlySet<string> = new Set(['done', 'declined', 'cancelled', 'failed']);

/** Whether a transfer is over (saved, sent, declined, cancelled or failed). */
export const isFinalState = (state: string): boolean => FINAL_STATES.has(state);

export interface TransferView {
  /** Short, and the same for the sender and every recipient (the host's offer number). */
  id: string;
  /**
   * In an update only: the id this transfer had until now. An outgoing offer is 'q1', 'q2'… until
   * the host numbers it, and may get a new number when it is offered again after a reconnect.
   */
  was?: string;
  direction: 'incoming' | 'outgoing';
  /** The file's name, or a bundle's ("Holiday", "photo.jpg and 49 more"). */
  fileName: string;
  /** Bytes of file data in all (a bundle: every file's). */
  size: number;
  /** A bundle of several files or folders: how many files it holds (absent: one file). */
  files?: number;
  /** Outgoing, offered to chosen people: who. Absent: the whole room. */
  to?: TransferPeer[];
  /** Incoming: who sends it. */
  from?: TransferPeer;
  state: TransferState;
  bytes: number;
  percent: number;
  bytesPerSecond: number;
  /** Time left at the current speed, while data moves. */
  secondsLeft?: number;
  /** Outgoing: each recipient's answer and progress. */
  recipients?: RecipientView[];
  /** It can be tried again (retry): resumed where it stopped when data was kept, or offered again. */
  retryable?: boolean;
  reason?: Files2EndReason;
  /** A sentence a person can act on when the transfer ended badly. */
  message?: string;
  /** Incoming, once saved: the file, or a bundle's folder. */
  savedPath?: string;
  sha256?: string;
}

export type TransferEvents = {
  /** Someone offers you a file: accept(id) or decline(id). */
  offer: [view: TransferView];
  update: [view: TransferView];
};

const SENTENCES: Record<Files2EndReason, string> = {
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
  complete: 'Everyone it was for has it.',
  'file-changed': 'The file changed on the sender’s side while it was being sent; send it again.',
  'resume-failed': 'The data kept from the interrupted transfer did not match, so it started again from the beginning.',
};

/** The sentence shown for an end reason. */
export const reasonSentence = (reason: Files2EndReason): string => SENTENCES[reason];

/** Seconds left to move `remaining` bytes at `bytesPerSecond`; undefined when not moving. */
export const secondsLeft = (remaining: number, bytesPerSecond: number): number | undefined =>
  bytesPerSecond > 0 && remaining > 0 ? Math.ceil(remaining / bytesPerSecond) : undefined;

export const percentOf = (bytes: number, size: number): number => (size === 0 ? 100 : Math.floor((bytes / size) * 1000) / 10);
