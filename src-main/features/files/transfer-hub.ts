import { CHUNK_BYTES, ackableBytes, chunkPayload, expectedChunkBytes, readChunkHeader } from './chunk-frame';
import type { MemberPort } from './member-link';
import { RelayTransfer, type RelayRecipient } from './relay-transfer';
import type { EndReason, TransferClientMessage } from './transfer-messages';

export interface HubPolicy {
  /** A recipient owing an ack this long is dropped from that transfer (reason `stalled`). */
  stallTimeoutMs: number;
  /**
   * A recipient owing an ack this long while another recipient is ahead of it — it is what holds
   * the others back — is dropped sooner (reason `stalled`).
   */
  blockingStallMs: number;
  /** A started transfer whose sender has credit and sends nothing this long ends (reason `stalled`). */
  senderStallMs: number;
  /** Recipients that have not answered by then are out (reason `no-answer`). */
  answerTimeoutMs: number;
  maxTransfers: number;
  maxTransfersPerSender: number;
}

const RECENTLY_ENDED_KEPT = 256;

export const DEFAULT_HUB_POLICY: HubPolicy = {
  stallTimeoutMs: 30_000,
  blockingStallMs: 5_000,
  senderStallMs: 30_000,
  answerTimeoutMs: 10 * 60_000,
  // In a room of up to 16, every member can hold its whole share of 16 at once; in a bigger room
  // (the room size is a setting, up to 300) the first 16 senders to fill their shares can refuse
  // the rest with too-many-transfers. Host memory is bounded by the per-sender window instead.
  maxTransfers: 256,
  maxTransfersPerSender: 16,
};

const PROGRESS_EVERY_MS = 250;

/**
 * File bytes one sender may have granted but not yet acked by every recipient, across all its
 * transfers: what the host may queue for it. It grows with the room: 50 members (the default
 * room size) bound the host at 800 MiB of files/1 data in the worst case; files/2 (which current
 * builds use) has its own budgets (hub-records.ts).
 */
export const SENDER_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * The host's file-transfer switchboard: numbers offers, passes answers and progress to senders,
 * forwards each chunk as is to every accepting recipient, grants credit, and drops recipients
 * that stop. Returns a sentence when a member broke the protocol, for the caller to count.
 */
export class TransferHub {
  private readonly transfers = new Map<number, RelayTransfer>();
  /** Transfers that just ended, by number, with their sender: its chunks already on the way are dropped quietly. */
  private readonly recentlyEnded = new Map<number, MemberPort>();
  private nextId = 1;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ports: { all(): MemberPort[] },
    private readonly policy: HubPolicy = DEFAULT_HUB_POLICY,
  ) {}

  /** A transfer control message from a member. */
  control(port: MemberPort, message: TransferClientMessage): string | undefined {
    if (message.type === 'file-offer') return this.offer(port, message);
    const transfer = this.transfers.get(message.transfer);
    if (!transfer) return undefined; // ended a moment ago: late answers and acks are normal
    const recipient = transfer.recipients.get(port.memberId);
    const isSender = transfer.sender === port;
    if (!isSender && recipient?.port !== port) return 'That transfer is not yours.';
    switch (message.type) {
      case 'file-answer':
        if (recipient?.state !== 'waiting') return 'You already answered that offer.';
        recipient.state = message.accept ? 'active' : 'finished';
        recipient.accepted = message.accept;
        transfer.sender.control({ type: 'file-answered', transfer: transfer.id, member: port.memberId, accept: message.accept });
        return this.update(transfer);
      case 'file-ack':
        if (recipient?.state !== 'active') return undefined;
        // A broken ack ends that recipient's part with bad-data (PROTOCOL.md §9), and counts against it.
        if (message.bytes <= recipient.acked || message.bytes > transfer.received)
          return this.brokenBy(transfer, recipient, 'An acknowledgement did not advance.');
        // Acking bytes still queued here would let a member that never reads make the host hold
        // the whole file for it: credit only follows what really went out to its connection.
        if (message.bytes > recipient.port.delivered(transfer.id))
          return this.brokenBy(transfer, recipient, 'An acknowledgement covered bytes not sent to you yet.');
        if (message.bytes % CHUNK_BYTES !== 0 && message.bytes !== transfer.size) return 'Acknowledgements come in whole chunks.';
        recipient.acked = message.bytes;
        recipient.lastProgressAt = Date.now();
        this.reportProgress(transfer, recipient);
        this.update(transfer);
        // Bytes acked here may free the sender's window for its other transfers.
        for (const other of this.transfers.values()) if (other !== transfer && other.sender === transfer.sender) this.update(other);
        return undefined;
      case 'file-end':
        if (!isSender || !transfer.started || transfer.received !== transfer.size || transfer.senderDone) {
          return this.broken(transfer, 'The file ended early.');
        }
        transfer.senderDone = true;
        for (const r of transfer.active()) r.port.control({ type: 'file-end', transfer: transfer.id, sha256: message.sha256 });
        return undefined;
      case 'file-saved':
        if (recipient?.state !== 'active' || recipient.acked !== transfer.size) return 'A file was saved before all of it arrived.';
        recipient.state = 'finished';
        port.forget(transfer.id);
        transfer.sender.control({ type: 'file-done', transfer: transfer.id, member: port.memberId });
        return this.update(transfer);
      case 'file-cancel':
        if (isSender) {
          transfer.endAll(message.reason === 'read-failed' ? 'read-failed' : 'cancelled', false);
          return this.forget(transfer);
        }
        if (recipient!.state !== 'finished') {
          recipient!.state = 'finished';
          port.forget(transfer.id);
          transfer.sender.control({ type: 'file-cancelled', transfer: transfer.id, member: port.memberId, reason: message.reason });
        }
        return this.update(transfer);
    }
  }

  /** A binary chunk frame from a member: checked, then forwarded unchanged. */
  chunk(port: MemberPort, frame: Buffer): string | undefined {
    const header = readChunkHeader(frame);
    if (header && this.recentlyEnded.get(header.transfer) === port) return undefined; // sent before it heard of the end
    const transfer = header && this.transfers.get(header.transfer);
    if (!header || !transfer || transfer.sender !== port || !transfer.started)
      return 'A file chunk arrived that belongs to no transfer of yours.';
    const length = chunkPayload(frame).length;
    const fits = header.offset === transfer.received && length === expectedChunkBytes(transfer.size, header.offset);
    if (!fits || header.offset + length > transfer.credit) return this.broken(transfer, 'A file chunk broke the order or the credit.');
    transfer.received += length;
    const now = Date.now();
    transfer.senderActiveAt = now;
    const owedBefore = ackableBytes(header.offset, transfer.size);
    for (const r of transfer.active()) {
      if (r.acked >= owedBefore) r.lastProgressAt = now; // it owed nothing until this chunk
      r.port.chunk(frame);
    }
    return undefined;
  }

  /** A member's connection is gone: its transfers end, as sender or as recipient. */
  portGone(port: MemberPort): void {
    for (const transfer of [...this.transfers.values()]) {
      if (transfer.sender === port) {
        transfer.endAll('sender-left', false);
        this.forget(transfer);
        continue;
      }
      const recipient = transfer.recipients.get(port.memberId);
      if (recipient?.port !== port || recipient.state === 'finished') continue;
      recipient.state = 'finished';
      transfer.sender.control({ type: 'file-cancelled', transfer: transfer.id, member: port.memberId, reason: 'recipient-left' });
      this.update(transfer);
    }
  }

  /** The room closes: every transfer ends with `host-left`. */
  close(): void {
    for (const transfer of this.transfers.values()) transfer.endAll('host-left', true);
    this.transfers.clear();
    clearInterval(this.stallTimer);
  }

  private offer(port: MemberPort, message: Extract<TransferClientMessage, { type: 'file-offer' }>): string | undefined {
    const refuse = (reason: EndReason) => void port.control({ type: 'file-refused', ref: message.ref, reason });
    const mine = [...this.transfers.values()].filter((t) => t.sender === port).length;
    if (this.transfers.size >= this.policy.maxTransfers || mine >= this.policy.maxTransfersPerSender) return refuse('too-many-transfers');
    const others = this.ports.all().filter((p) => p.memberId !== port.memberId);
    const recipients = message.to ? others.filter((p) => p.memberId === message.to) : others;
    if (recipients.length === 0) return refuse('no-recipients');
    const transfer = new RelayTransfer(this.nextId++, port, message.size, recipients);
    this.transfers.set(transfer.id, transfer);
    const offered = {
      type: 'file-offered' as const,
      transfer: transfer.id,
      from: port.memberId,
      name: message.name,
      size: message.size,
      to: recipients.map((r) => r.memberId),
    };
    port.control({ ...offered, ref: message.ref });
    for (const r of recipients) r.control(offered);
    transfer.answerTimer = setTimeout(() => {
      for (const r of transfer.waiting()) transfer.endFor(r, 'no-answer');
      this.update(transfer);
    }, this.policy.answerTimeoutMs);
    this.watchStalls();
    return undefined;
  }

  /** After any change: start once everyone answered, grant credit, or forget a settled transfer. */
  private update(transfer: RelayTransfer): undefined {
    if (!this.transfers.has(transfer.id)) return undefined;
    if (transfer.settled()) {
      // Nobody took it: the sender hears the end too, not only each answer (PROTOCOL.md §9).
      const all = [...transfer.recipients.values()];
      if (!all.some((r) => r.accepted)) {
        const reason = all.every((r) => r.accepted === false) ? 'declined' : 'no-answer';
        transfer.sender.control({ type: 'file-cancelled', transfer: transfer.id, reason });
      }
      return this.forget(transfer);
    }
    if (transfer.waiting().length > 0) return undefined;
    clearTimeout(transfer.answerTimer);
    const credit = transfer.nextCredit(SENDER_WINDOW_BYTES - this.outstanding(transfer.sender, transfer));
    if (credit !== undefined) transfer.sender.control({ type: 'file-credit', transfer: transfer.id, upTo: credit });
    return undefined;
  }

  /** Bytes a sender may still send, or has sent, that not every recipient has acked: its other transfers'. */
  private outstanding(sender: MemberPort, except: RelayTransfer): number {
    let sum = 0;
    for (const t of this.transfers.values()) if (t !== except && t.sender === sender) sum += t.outstanding();
    return sum;
  }

  private reportProgress(transfer: RelayTransfer, r: RelayRecipient): void {
    const now = Date.now();
    if (now - r.reportedAt < PROGRESS_EVERY_MS && r.acked !== transfer.size) return;
    r.reportedAt = now;
    transfer.sender.control({ type: 'file-progress', transfer: transfer.id, member: r.port.memberId, bytes: r.acked });
  }

  /** One recipient broke a rule: its part ends with bad-data; the others go on. */
  private brokenBy(transfer: RelayTransfer, recipient: RelayRecipient, why: string): string {
    transfer.endFor(recipient, 'bad-data');
    this.update(transfer);
    return why;
  }

  private broken(transfer: RelayTransfer, why: string): string {
    transfer.endAll('bad-data', true);
    this.forget(transfer);
    return why;
  }

  private forget(transfer: RelayTransfer): undefined {
    clearTimeout(transfer.answerTimer);
    this.transfers.delete(transfer.id);
    this.recentlyEnded.set(transfer.id, transfer.sender);
    if (this.recentlyEnded.size > RECENTLY_ENDED_KEPT) this.recentlyEnded.delete(this.recentlyEnded.keys().next().value!);
    if (this.transfers.size === 0) {
      clearInterval(this.stallTimer);
      this.stallTimer = undefined;
    }
    return undefined;
  }

  private watchStalls(): void {
    if (this.stallTimer) return;
    const shortest = Math.min(this.policy.stallTimeoutMs, this.policy.blockingStallMs, this.policy.senderStallMs);
    const every = Math.max(50, Math.min(1000, shortest / 4));
    this.stallTimer = setInterval(() => this.dropStalled(), every);
    this.stallTimer.unref();
  }

  private dropStalled(): void {
    const now = Date.now();
    for (const transfer of [...this.transfers.values()]) {
      const waitingForData = transfer.started && transfer.received < transfer.credit && !transfer.senderDone;
      if (waitingForData && now - transfer.senderActiveAt > this.policy.senderStallMs) {
        transfer.endAll('stalled', true);
        this.forget(transfer);
        continue;
      }
      const active = transfer.active();
      const leader = Math.max(...active.map((r) => r.acked));
      for (const r of active) {
        const owed = ackableBytes(transfer.received, transfer.size) > r.acked;
        const limit = r.acked < leader ? Math.min(this.policy.blockingStallMs, this.policy.stallTimeoutMs) : this.policy.stallTimeoutMs;
        if (owed && now - r.lastProgressAt > limit) transfer.endFor(r, 'stalled');
      }
      this.update(transfer);
    }
  }
}
