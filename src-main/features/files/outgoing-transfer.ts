import type { FileHandle } from 'node:fs/promises';
import { FileSender } from './file-sender';
import type { HubLink } from './member-link';
import { ProgressMeter } from './progress-meter';
import { isFinalState, percentOf, reasonSentence, type RecipientView, type TransferPeer, type TransferView } from './transfer-events';
import type { EndReason, TransferHostMessage } from './transfer-messages';

/** A file this member offers: each recipient's answer and progress, and the sending itself. */
export class OutgoingTransfer {
  readonly view: TransferView;
  wireId = 0;
  private sender: FileSender | undefined;
  private readonly recipients = new Map<string, RecipientView>();
  private readonly meter = new ProgressMeter();

  constructor(
    id: string,
    fileName: string,
    size: number,
    private readonly handle: FileHandle,
    private readonly link: () => HubLink | undefined,
    private readonly changed: (view: TransferView) => void,
  ) {
    this.view = { id, direction: 'outgoing', fileName, size, state: 'offered', bytes: 0, percent: 0, bytesPerSecond: 0, recipients: [] };
  }

  get finished(): boolean {
    return isFinalState(this.view.state);
  }

  /** The host numbered the offer and named the recipients. */
  opened(wireId: number, recipients: TransferPeer[]): void {
    this.wireId = wireId;
    for (const member of recipients) this.recipients.set(member.id, { member, state: 'waiting', bytes: 0, percent: 0 });
    const link = this.link();
    if (link) this.sender = new FileSender(this.handle, this.view.size, wireId, link, (reason) => this.abort(reason, true));
    this.report();
  }

  /** A host message about this transfer. */
  onHostMessage(message: TransferHostMessage): void {
    if (this.finished) return;
    switch (message.type) {
      case 'file-answered':
        return this.setRecipient(message.member, {
          state: message.accept ? 'accepted' : 'declined',
          ...(message.accept ? {} : { reason: 'declined' as const }),
        });
      case 'file-credit':
        if (this.view.state === 'offered') this.view.state = 'sending';
        this.sender?.grant(message.upTo);
        return this.report();
      case 'file-progress': {
        const bytes = message.bytes;
        this.setRecipient(message.member, { bytes, percent: percentOf(bytes, this.view.size) }, false);
        const slowest = Math.min(...[...this.recipients.values()].filter((r) => r.state === 'accepted').map((r) => r.bytes));
        if (Number.isFinite(slowest)) this.view.bytes = slowest;
        if (this.meter.record(this.view.bytes)) this.report();
        return;
      }
      case 'file-done':
        return this.setRecipient(message.member, { state: 'done', bytes: this.view.size, percent: 100 });
      case 'file-cancelled':
        if (message.member) return this.setRecipient(message.member, { state: 'ended', reason: message.reason });
        return this.abort(message.reason, false);
    }
  }

  /** Cancels for everyone. */
  cancel(): void {
    this.abort('cancelled', true);
  }

  /** Ends it on this side (and tells the host when `tellHost`). */
  abort(reason: EndReason, tellHost: boolean): void {
    if (this.finished) return;
    if (tellHost && this.wireId) this.link()?.control({ type: 'file-cancel', transfer: this.wireId, reason });
    this.sender?.stop();
    for (const r of this.recipients.values())
      if (r.state === 'waiting' || r.state === 'accepted') Object.assign(r, { state: 'ended', reason });
    this.finish(reason === 'cancelled' ? 'cancelled' : 'failed', reason);
  }

  private setRecipient(memberId: string, change: Partial<RecipientView>, report = true): void {
    const recipient = this.recipients.get(memberId);
    if (!recipient) return;
    Object.assign(recipient, change);
    if (report) this.settle();
  }

  /** Once every recipient has an outcome, so has the transfer. */
  private settle(): void {
    const all = [...this.recipients.values()];
    if (all.some((r) => r.state === 'waiting' || r.state === 'accepted')) return this.report();
    this.sender?.stop();
    if (all.some((r) => r.state === 'done')) return this.finish('done');
    const reasons = all.map((r) => (r.reason ?? 'cancelled') as EndReason);
    const reason = reasons.every((r) => r === 'declined') ? 'declined' : (reasons.find((r) => r !== 'declined') ?? 'cancelled');
    this.finish(reason === 'declined' ? 'declined' : reason === 'cancelled' ? 'cancelled' : 'failed', reason);
  }

  private finish(state: TransferView['state'], reason?: EndReason): void {
    if (!this.sender) void this.handle.close().catch(() => {});
    this.view.state = state;
    if (state === 'done') this.view.bytes = this.view.size;
    if (reason) Object.assign(this.view, { reason, message: reasonSentence(reason) });
    this.view.bytesPerSecond = 0;
    this.report();
  }

  private report(): void {
    this.view.recipients = [...this.recipients.values()].map((r) => ({ ...r }));
    this.view.percent = percentOf(this.view.bytes, this.view.size);
    if (!this.finished) this.view.bytesPerSecond = this.meter.bytesPerSecond();
    this.changed(this.view);
  }
}
