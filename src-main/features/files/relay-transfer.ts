import { ACK_STEP_BYTES } from './chunk-frame';
import type { MemberPort } from './member-link';
import type { EndReason } from './transfer-messages';

/** Bytes a recipient may be behind the sender: the most the host queues for it per transfer. */
export const WINDOW_BYTES = 8 * 1024 * 1024;
/** Credit is re-granted in ack steps, so the sender is not told about every chunk. */
const CREDIT_STEP = ACK_STEP_BYTES;

export type RelayRecipientState = 'waiting' | 'active' | 'finished';

export interface RelayRecipient {
  port: MemberPort;
  state: RelayRecipientState;
  /** Its answer, once it gave one. */
  accepted?: boolean;
  /** Bytes the recipient confirmed written to its disk. */
  acked: number;
  /** When it last made progress (or last had nothing owed). */
  lastProgressAt: number;
  /** Last progress told to the sender, and when. */
  reportedAt: number;
}

/**
 * The host's record of one transfer: who sends, who receives and how far each is. Holds no file
 * bytes; the credit it grants the sender is the slowest active recipient's ack plus a window.
 */
export class RelayTransfer {
  readonly recipients = new Map<string, RelayRecipient>();
  /** Bytes received from the sender (and forwarded). */
  received = 0;
  /** The sender may send up to here; -1 before the start. */
  credit = -1;
  senderDone = false;
  /** When the sender last sent a chunk, or was last granted credit. */
  senderActiveAt = 0;
  answerTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly sender: MemberPort,
    readonly size: number,
    recipients: MemberPort[],
  ) {
    for (const port of recipients) {
      this.recipients.set(port.memberId, { port, state: 'waiting', acked: 0, lastProgressAt: 0, reportedAt: 0 });
    }
  }

  get started(): boolean {
    return this.credit >= 0;
  }

  active(): RelayRecipient[] {
    return [...this.recipients.values()].filter((r) => r.state === 'active');
  }

  waiting(): RelayRecipient[] {
    return [...this.recipients.values()].filter((r) => r.state === 'waiting');
  }

  /** Every recipient has an outcome. */
  settled(): boolean {
    return [...this.recipients.values()].every((r) => r.state === 'finished');
  }

  /** Granted bytes not yet acked by every accepting recipient. */
  outstanding(): number {
    const active = this.active();
    if (!this.started || active.length === 0) return 0;
    return Math.max(0, this.credit - Math.min(...active.map((r) => r.acked)));
  }

  /**
   * A new credit to send the sender, or undefined when the current one is still good.
   * `budget` is what the sender's other transfers leave of its window.
   */
  nextCredit(budget = WINDOW_BYTES): number | undefined {
    const active = this.active();
    if (active.length === 0) return undefined;
    const slowest = Math.min(...active.map((r) => r.acked));
    const window = Math.max(0, Math.min(WINDOW_BYTES, budget));
    const upTo = Math.min(this.size, slowest + window);
    const first = this.credit < 0;
    if (first && upTo === 0 && this.size > 0) return undefined; // nothing to grant yet: start later
    if (first || upTo >= this.credit + CREDIT_STEP || (upTo === this.size && upTo > this.credit)) {
      this.credit = upTo;
      this.senderActiveAt = Date.now();
      return upTo;
    }
    return undefined;
  }

  /** Tells one recipient its transfer ended, and marks it finished. */
  endFor(recipient: RelayRecipient, reason: EndReason): void {
    if (recipient.state === 'finished') return;
    recipient.state = 'finished';
    recipient.port.forget(this.id);
    recipient.port.control({ type: 'file-cancelled', transfer: this.id, reason });
    this.sender.control({ type: 'file-cancelled', transfer: this.id, member: recipient.port.memberId, reason });
  }

  /** Ends it for everyone: the sender and each recipient still in it. */
  endAll(reason: EndReason, tellSender: boolean): void {
    clearTimeout(this.answerTimer);
    for (const r of this.recipients.values()) {
      if (r.state === 'finished') continue;
      r.state = 'finished';
      r.port.forget(this.id);
      r.port.control({ type: 'file-cancelled', transfer: this.id, reason });
    }
    if (tellSender) this.sender.control({ type: 'file-cancelled', transfer: this.id, reason });
  }
}
