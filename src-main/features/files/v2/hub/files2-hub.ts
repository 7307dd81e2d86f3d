import { holdFrame, releaseFrame } from '../../../../wire/frame-buffers';
import type { HubFeature, HubRoom, MemberConnection, WireMessage } from '../../../../room/feature';
import type { Member } from '../../../../wire/protocol';
import { framePayload, KIND_DATA, readFrameHeader } from '../files2-frames';
import type { Files2ClientMessage, Files2EndReason, Files2Offer, RecipientWireState } from '../files2-messages';
import { HubPort } from './hub-port';
import {
  CREDIT_STEP,
  DEFAULT_FILES2_POLICY,
  dataLength,
  type Files2Policy,
  type HubOffer,
  type HubRecipient,
  type HubStream,
  PROGRESS_EVERY_MS,
  WINDOW_LIMIT_BYTES,
} from './hub-records';

/** Reasons a sender may give when it withdraws an offer; anything else reads as `cancelled`. */
const SENDER_REASONS: ReadonlySet<Files2EndReason> = new Set(['cancelled', 'read-failed', 'file-changed']);
/** Reasons a recipient may give when it stops; anything else reads as `cancelled`. */
const RECIPIENT_REASONS: ReadonlySet<Files2EndReason> = new Set([
  'cancelled',
  'disk-full',
  'write-failed',
  'hash-mismatch',
  'resume-failed',
  'bad-data',
]);
const FINAL: ReadonlySet<RecipientWireState> = new Set(['done', 'declined']);
/** Stream numbers that ended lately, with their sender: frames already on the way are dropped quietly. */
const ENDED_STREAMS_KEPT = 1024;

export interface Files2HubOptions {
  policy?: Partial<Files2Policy> | undefined;
  /** Members that speak files/1 (from that feature's hub): those without files/2 are an offer's `legacy`. */
  files1Members?: (() => readonly string[]) | undefined;
}

/**
 * The host side of files/2 (PROTOCOL.md §11): keeps the open offers, offers them to whoever
 * joins or comes back, opens a stream per recipient or lets recipients who accept together
 * share one (fan-out), grants each stream credit from its own recipients' acks, moves a lagging
 * recipient to a stream of its own, and drops what stalls. Holds no file data beyond each
 * recipient's window and the few seconds a young stream keeps for joiners.
 */
export class Files2Hub implements HubFeature {
  private readonly policy: Files2Policy;
  private room: HubRoom | undefined;
  private readonly ports = new Map<MemberConnection, HubPort>();
  /** Each member's current port (the newest connection when it resumed). */
  private readonly current = new Map<string, HubPort>();
  private readonly offers = new Map<number, HubOffer>();
  private readonly streams = new Map<number, HubStream>();
  private readonly endedStreams = new Map<number, { senderId: string; offer: number }>();
  private nextOffer = 1;
  private nextStream = 1;
  private joinBytes = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly options: Files2HubOptions = {}) {
    const policy = { ...DEFAULT_FILES2_POLICY, ...options.policy };
    // Whatever a caller asks, never a window a recipient would refuse.
    policy.windowBytes = Math.min(policy.windowBytes, WINDOW_LIMIT_BYTES);
    policy.maxWindowBytes = Math.min(policy.maxWindowBytes, WINDOW_LIMIT_BYTES);
    this.policy = policy;
  }

  start(room: HubRoom): void {
    this.room = room;
  }

  connected(connection: MemberConnection): void {
    const port = new HubPort(connection, (p, frame) => this.handedOut(p, frame));
    this.ports.set(connection, port);
    this.current.set(connection.member.id, port);
    // Open offers reach whoever joins or comes back; those it was receiving accept again from what they kept.
    for (const offer of this.offers.values()) {
      if (offer.senderId === connection.member.id || !offer.sender || !this.isFor(offer, connection.member.id)) continue;
      let recipient = offer.recipients.get(connection.member.id);
      if (recipient && FINAL.has(recipient.state)) continue;
      if (!recipient) {
        recipient = this.addRecipient(offer, connection.member.id);
        this.report(offer, recipient);
      }
      recipient.port = port;
      port.send(this.offered(offer));
    }
  }

  message(connection: MemberConnection, message: WireMessage): void {
    const port = this.ports.get(connection);
    if (!port) return;
    const problem = this.control(port, message as Files2ClientMessage);
    if (problem) connection.offend({ code: 'invalid-message', message: problem });
  }

  binary(connection: MemberConnection, frame: Buffer): void {
    const port = this.ports.get(connection);
    const problem = port ? this.frame(port, frame) : 'Send hello before anything else.';
    if (problem) connection.offend({ code: 'binary-not-expected', message: problem });
  }

  /** A refused offer is settled too, or the sender would wait for an answer forever. */
  rejected(connection: MemberConnection, type: string, ref: string): void {
    if (type === 'files-offer') connection.send({ type: 'files-refused', ref, reason: 'bad-data' } as WireMessage);
  }

  disconnected(connection: MemberConnection): void {
    const port = this.ports.get(connection);
    this.ports.delete(connection);
    if (!port || this.current.get(port.memberId) !== port) return;
    this.current.delete(port.memberId);
    for (const offer of [...this.offers.values()]) {
      if (offer.sender === port) this.senderAway(offer);
      const recipient = offer.recipients.get(port.memberId);
      if (recipient?.port !== port) continue;
      recipient.port = undefined;
      if (recipient.state === 'receiving') this.setState(offer, recipient, 'paused');
    }
  }

  left(member: Member): void {
    for (const offer of [...this.offers.values()]) {
      if (offer.senderId === member.id) {
        this.closeOffer(offer, 'sender-left');
        continue;
      }
      const recipient = offer.recipients.get(member.id);
      if (recipient && !FINAL.has(recipient.state) && recipient.state !== 'failed') {
        this.setState(offer, recipient, 'failed', 'recipient-left');
        this.settle(offer);
      }
    }
  }

  /** The room closes: everyone in an open offer hears `host-left` before any data still queued for them. */
  close(): void {
    for (const port of this.current.values()) port.clear();
    for (const offer of [...this.offers.values()]) this.closeOffer(offer, 'host-left');
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  // ---- messages ---------------------------------------------------------------------

  private control(port: HubPort, message: Files2ClientMessage): string | undefined {
    switch (message.type) {
      case 'files-offer':
        return this.offer(port, message);
      case 'files-accept':
        return this.accept(port, message.offer, message.from);
      case 'files-decline':
        return this.decline(port, message.offer);
      case 'files-ack':
        return this.ack(port, message.stream, message.bytes);
      case 'files-saved':
        return this.saved(port, message.offer);
      case 'files-cancel':
        return this.cancel(port, message.offer, message.reason);
    }
  }

  private offer(port: HubPort, message: Files2Offer): string | undefined {
    const me = port.memberId;
    const refuse = (reason: Files2EndReason, legacy?: string[]) => {
      port.send({ type: 'files-refused', ref: message.ref, reason, ...(legacy?.length ? { legacy } : {}) });
      if (reason === 'too-many-transfers')
        port.connection.sendError(
          { code: 'too-many-transfers', message: 'You have too many offers open; offer this one when one has ended.' },
          message.ref,
        );
      return undefined;
    };
    // The same files offered again (the sender came back, or offered them twice): the same offer.
    const again = [...this.offers.values()].find((o) => o.senderId === me && o.key === message.key);
    if (again) return this.offeredAgain(again, port, message.ref);
    if (message.to && new Set(message.to).size !== message.to.length) return 'An offer named the same member twice.';
    const mine = [...this.offers.values()].filter((o) => o.senderId === me).length;
    if (mine >= this.policy.maxOffersPerSender || this.offers.size >= this.policy.maxOffers) return refuse('too-many-transfers');
    const inRoom = new Set((this.room?.members() ?? []).map((m) => m.id));
    const wanted = (message.to ?? [...inRoom]).filter((id) => id !== me && inRoom.has(id));
    const speaking = wanted.filter((id) => this.current.has(id));
    const files1 = new Set(this.options.files1Members?.() ?? []);
    const legacy = wanted.filter((id) => !this.current.has(id) && files1.has(id));
    if (speaking.length === 0) return refuse('no-recipients', legacy);
    const offer: HubOffer = {
      id: this.nextOffer++,
      key: message.key,
      senderId: me,
      sender: port,
      name: message.name,
      files: message.files,
      bytes: message.bytes,
      manifest: message.manifest,
      to: message.to,
      at: Date.now(),
      recipients: new Map(),
      streams: new Set(),
      lastActivity: Date.now(),
      awayTimer: undefined,
    };
    this.offers.set(offer.id, offer);
    port.send({ ...this.offered(offer), ref: message.ref, ...(legacy.length ? { legacy } : {}) });
    for (const id of speaking) {
      const recipient = this.addRecipient(offer, id);
      recipient.port = this.current.get(id);
      recipient.port?.send(this.offered(offer));
      this.report(offer, recipient, true); // the sender sees whom it reached, each waiting
    }
    this.tick();
    return undefined;
  }

  /** The sender offered the same key again: it keeps its number; whoever does not have it yet hears of it again. */
  private offeredAgain(offer: HubOffer, port: HubPort, ref: string): undefined {
    clearTimeout(offer.awayTimer);
    offer.awayTimer = undefined;
    const wasAway = offer.sender !== port;
    offer.sender = port;
    offer.lastActivity = Date.now();
    port.send({ ...this.offered(offer), ref });
    for (const r of offer.recipients.values()) {
      this.report(offer, r, true);
      if (!wasAway || FINAL.has(r.state) || r.state === 'receiving') continue;
      r.port = this.current.get(r.memberId);
      r.port?.send(this.offered(offer));
    }
    return undefined;
  }

  private accept(port: HubPort, id: number, from: number): string | undefined {
    const offer = this.offers.get(id);
    if (!offer) {
      port.send({ type: 'files-ended', offer: id, reason: 'cancelled' });
      return undefined;
    }
    if (offer.senderId === port.memberId || !this.isFor(offer, port.memberId)) return 'That offer is not for you.';
    if (from > dataLength(offer)) return 'An accept asked for data past the offer’s end.';
    let recipient = offer.recipients.get(port.memberId);
    if (!recipient) recipient = this.addRecipient(offer, port.memberId);
    recipient.port = port;
    if (recipient.state === 'receiving' || recipient.state === 'done') return undefined; // a repeat: nothing changes
    if (!offer.sender) {
      port.send({ type: 'files-ended', offer: offer.id, reason: 'sender-left' });
      return undefined;
    }
    offer.lastActivity = Date.now();
    Object.assign(recipient, { acked: from, delivered: from, lastProgressAt: Date.now(), reason: undefined });
    this.setState(offer, recipient, 'receiving');
    const shared = [...offer.streams].find((s) => s.from === from && s.head !== undefined && this.young(s));
    if (shared) {
      recipient.stream = shared;
      recipient.streamIds.add(shared.id);
      shared.recipients.add(recipient);
      port.send({ type: 'files-stream', offer: offer.id, stream: shared.id, from });
      for (const frame of shared.head!) port.frame(frame);
    } else {
      this.openStream(offer, from, [recipient]);
    }
    this.grant(offer);
    return undefined;
  }

  private decline(port: HubPort, id: number): string | undefined {
    const offer = this.offers.get(id);
    if (!offer) return undefined;
    if (offer.senderId === port.memberId || !this.isFor(offer, port.memberId)) return 'That offer is not for you.';
    const recipient = offer.recipients.get(port.memberId) ?? this.addRecipient(offer, port.memberId);
    recipient.port = port;
    if (FINAL.has(recipient.state)) return undefined;
    this.setState(offer, recipient, 'declined', 'declined');
    this.settle(offer);
    return undefined;
  }

  private ack(port: HubPort, streamId: number, bytes: number): string | undefined {
    const offer = this.offerOfStream(streamId);
    const recipient = offer?.recipients.get(port.memberId);
    if (!offer || !recipient || recipient.port !== port || recipient.state !== 'receiving') return undefined; // ended a moment ago
    if (bytes <= recipient.acked || bytes > recipient.delivered) {
      this.failRecipient(offer, recipient, 'bad-data');
      return bytes <= recipient.acked ? 'An acknowledgement did not advance.' : 'An acknowledgement covered bytes not sent to you yet.';
    }
    recipient.acked = bytes;
    recipient.lastProgressAt = Date.now();
    offer.lastActivity = Date.now();
    this.report(offer, recipient);
    if (recipient.stream) this.sizeWindow(recipient.stream);
    this.grant(offer);
    return undefined;
  }

  /**
   * Sizes a stream's window from what an ack shows. A sender that has used all its credit while
   * the slowest recipient has nothing waiting at the host is held back by the round trip alone
   * (8 MiB a trip is 84 MB/s at 100 ms): half as much again, up to maxWindowBytes and the room's
   * growth budget. The bytes in that window are on the way (sockets, routers), not in the host's
   * memory. Once frames pile up here for the slowest recipient (it reads slower than the sender
   * sends), the window halves back towards windowBytes, so the host never holds a grown window.
   */
  private sizeWindow(stream: HubStream): void {
    if (stream.recipients.size === 0) return;
    const slowest = [...stream.recipients].reduce((a, b) => (b.acked < a.acked ? b : a));
    const waiting = slowest.port?.waitingBytes() ?? 0;
    const base = this.policy.windowBytes;
    if (waiting > base && stream.window > base) {
      stream.window = Math.max(base, stream.window / 2);
      return;
    }
    const usedUp = stream.credit >= 0 && stream.position + CREDIT_STEP >= stream.credit && stream.credit < dataLength(stream.offer);
    if (!usedUp || waiting > 0) return;
    const grown = Math.min(this.policy.maxWindowBytes, Math.floor(stream.window * 1.5));
    let growth = 0; // across the room, what windows grew beyond windowBytes
    for (const s of this.streams.values()) growth += s.window - base;
    if (grown <= stream.window || growth + (grown - stream.window) > this.policy.roomGrowthBytes) return;
    stream.window = grown;
  }

  private saved(port: HubPort, id: number): string | undefined {
    const offer = this.offers.get(id);
    const recipient = offer?.recipients.get(port.memberId);
    if (!offer || !recipient || recipient.port !== port) return undefined;
    if (recipient.state !== 'receiving' || recipient.acked !== dataLength(offer)) {
      this.failRecipient(offer, recipient, 'bad-data');
      return 'A file was saved before all of it arrived.';
    }
    this.setState(offer, recipient, 'done');
    this.settle(offer);
    return undefined;
  }

  private cancel(port: HubPort, id: number, reason: Files2EndReason): string | undefined {
    const offer = this.offers.get(id);
    if (!offer) return undefined;
    if (offer.senderId === port.memberId) {
      this.closeOffer(offer, SENDER_REASONS.has(reason) ? reason : 'cancelled');
      return undefined;
    }
    const recipient = offer.recipients.get(port.memberId);
    if (!recipient || FINAL.has(recipient.state)) return undefined;
    const why = RECIPIENT_REASONS.has(reason) ? reason : 'cancelled';
    if (recipient.state === 'waiting' && why === 'cancelled') this.setState(offer, recipient, 'declined', 'declined');
    else this.setState(offer, recipient, 'failed', why);
    this.settle(offer);
    return undefined;
  }

  // ---- frames -----------------------------------------------------------------------

  private frame(port: HubPort, frame: Buffer): string | undefined {
    const header = readFrameHeader(frame);
    if (header && this.endedStreams.get(header.stream)?.senderId === port.memberId) return undefined; // sent before it heard
    const stream = header && this.streams.get(header.stream);
    if (!header || !stream || stream.offer.sender !== port) return 'A file frame arrived that belongs to no stream of yours.';
    const offer = stream.offer;
    if (header.kind === KIND_DATA) {
      const length = framePayload(frame).length;
      if (header.position !== stream.position || stream.position + length > Math.max(stream.credit, stream.from)) {
        this.closeOffer(offer, 'bad-data');
        return 'A file frame broke the order or the credit.';
      }
      const before = stream.position;
      stream.position += length;
      const now = Date.now();
      stream.senderActiveAt = now;
      for (const r of stream.recipients) if (r.acked >= before) r.lastProgressAt = now; // it owed nothing until this frame
    } else {
      const lastIndex = offer.files;
      const firstIndex = offer.manifest > 0 ? 0 : 1;
      if (header.position <= stream.lastSum || header.position > lastIndex || header.position < firstIndex) {
        this.closeOffer(offer, 'bad-data');
        return 'A checksum frame came out of order.';
      }
      stream.lastSum = header.position;
    }
    this.keepForJoiners(stream, frame);
    for (const r of stream.recipients) r.port?.frame(frame);
    return undefined;
  }

  /** A frame went out to a member's connection: what it can have acked grows. */
  private handedOut(port: HubPort, frame: Buffer): void {
    const header = readFrameHeader(frame);
    if (header?.kind !== KIND_DATA) return;
    const offer = this.offerOfStream(header.stream);
    const recipient = offer?.recipients.get(port.memberId);
    if (recipient?.port === port) recipient.delivered = Math.max(recipient.delivered, header.position + framePayload(frame).length);
  }

  private keepForJoiners(stream: HubStream, frame: Buffer): void {
    if (!stream.head) return;
    const fits =
      this.young(stream) &&
      stream.headBytes + frame.length <= this.policy.joinBytes &&
      this.joinBytes + frame.length <= this.policy.roomJoinBytes;
    if (!fits) return this.forgetHead(stream);
    holdFrame(frame);
    stream.head.push(frame);
    stream.headBytes += frame.length;
    this.joinBytes += frame.length;
  }

  /** The open offer a stream belongs to, also once the stream has ended (acks and frames still on the way). */
  private offerOfStream(id: number): HubOffer | undefined {
    const ended = this.endedStreams.get(id);
    return this.streams.get(id)?.offer ?? (ended && this.offers.get(ended.offer));
  }

  private young(stream: HubStream): boolean {
    return Date.now() - stream.startedAt <= this.policy.joinMs;
  }

  private forgetHead(stream: HubStream): void {
    if (!stream.head) return;
    this.joinBytes -= stream.headBytes;
    for (const frame of stream.head) releaseFrame(frame);
    stream.head = undefined;
    stream.headBytes = 0;
  }

  // ---- streams and credit -----------------------------------------------------------

  private openStream(offer: HubOffer, from: number, recipients: HubRecipient[]): HubStream {
    const stream: HubStream = {
      id: this.nextStream++,
      offer,
      from,
      position: from,
      credit: -1,
      recipients: new Set(recipients),
      head: [],
      headBytes: 0,
      startedAt: Date.now(),
      senderActiveAt: Date.now(),
      lastSum: -1,
      blockedSince: undefined,
      window: this.policy.windowBytes,
    };
    if (this.nextStream > 0xffff_ffff) this.nextStream = 1;
    this.streams.set(stream.id, stream);
    offer.streams.add(stream);
    offer.sender?.send({ type: 'files-stream', offer: offer.id, stream: stream.id, from });
    for (const r of recipients) {
      r.stream = stream;
      r.streamIds.add(stream.id);
      r.port?.send({ type: 'files-stream', offer: offer.id, stream: stream.id, from });
    }
    return stream;
  }

  /** Ends a stream (no recipients left, its sender gone, the offer closed). */
  private stopStream(stream: HubStream, tellSender: boolean): void {
    if (!this.streams.has(stream.id)) return;
    this.forgetHead(stream);
    this.streams.delete(stream.id);
    stream.offer.streams.delete(stream);
    this.endedStreams.set(stream.id, { senderId: stream.offer.senderId, offer: stream.offer.id });
    if (this.endedStreams.size > ENDED_STREAMS_KEPT) this.endedStreams.delete(this.endedStreams.keys().next().value!);
    for (const r of stream.recipients) if (r.stream === stream) r.stream = undefined;
    stream.recipients.clear();
    if (tellSender) stream.offer.sender?.send({ type: 'files-stop', stream: stream.id });
  }

  /** Takes a recipient off its stream; the stream stops when nobody is left on it. Frames still queued for it go. */
  private leaveStream(recipient: HubRecipient): void {
    const stream = recipient.stream;
    recipient.stream = undefined;
    if (!stream) return;
    stream.recipients.delete(recipient);
    const given = recipient.streamIds;
    recipient.streamIds = new Set();
    recipient.port?.drop((frame) => given.has(frame.readUInt32BE(4)));
    if (stream.recipients.size === 0) this.stopStream(stream, true);
  }

  /** Grants every stream of the offer's sender what its recipients' acks and the sender's budget allow. */
  private grant(offer: HubOffer): void {
    const sender = offer.sender;
    if (!sender) return;
    const theirs = [...this.streams.values()].filter((s) => s.offer.sender === sender);
    for (const stream of theirs) {
      if (stream.recipients.size === 0) continue;
      const end = dataLength(stream.offer);
      const slowest = Math.min(...[...stream.recipients].map((r) => r.acked));
      let others = 0;
      for (const s of theirs) if (s !== stream) others += this.outstanding(s);
      const window = Math.max(0, Math.min(stream.window, this.policy.senderBudgetBytes - others));
      const upTo = Math.min(end, slowest + window);
      const first = stream.credit < 0;
      if (first && upTo === stream.from && end > stream.from) continue; // nothing to grant yet
      if (first || upTo >= stream.credit + CREDIT_STEP || (upTo === end && upTo > stream.credit)) {
        stream.credit = upTo;
        stream.senderActiveAt = Date.now();
        sender.send({ type: 'files-credit', stream: stream.id, upTo });
      }
    }
  }

  private outstanding(stream: HubStream): number {
    if (stream.credit < 0 || stream.recipients.size === 0) return 0;
    return Math.max(0, stream.credit - Math.min(...[...stream.recipients].map((r) => r.acked)));
  }

  // ---- recipients and offers ----------------------------------------------------------

  private isFor(offer: HubOffer, memberId: string): boolean {
    return offer.senderId !== memberId && (offer.to === undefined || offer.to.includes(memberId));
  }

  private addRecipient(offer: HubOffer, memberId: string): HubRecipient {
    const recipient: HubRecipient = {
      memberId,
      port: undefined,
      state: 'waiting',
      stream: undefined,
      streamIds: new Set(),
      acked: 0,
      delivered: 0,
      lastProgressAt: Date.now(),
      reportedAt: 0,
    };
    offer.recipients.set(memberId, recipient);
    return recipient;
  }

  private offered(offer: HubOffer) {
    return {
      type: 'files-offered' as const,
      offer: offer.id,
      key: offer.key,
      from: offer.senderId,
      name: offer.name,
      files: offer.files,
      bytes: offer.bytes,
      manifest: offer.manifest,
      ...(offer.to ? { to: [...offer.to] } : {}),
      at: offer.at,
    };
  }

  private setState(offer: HubOffer, recipient: HubRecipient, state: RecipientWireState, reason?: Files2EndReason): void {
    recipient.state = state;
    recipient.reason = reason;
    if (state !== 'receiving') this.leaveStream(recipient);
    this.report(offer, recipient, true);
  }

  /** Tells the sender a recipient's state and progress (progress throttled). */
  private report(offer: HubOffer, recipient: HubRecipient, always = false): void {
    const now = Date.now();
    if (!always && now - recipient.reportedAt < PROGRESS_EVERY_MS && recipient.acked !== dataLength(offer)) return;
    recipient.reportedAt = now;
    offer.sender?.send({
      type: 'files-recipient',
      offer: offer.id,
      member: recipient.memberId,
      state: recipient.state,
      bytes: recipient.acked,
      ...(recipient.reason ? { reason: recipient.reason } : {}),
    });
  }

  /** A recipient's part ends badly: off its stream, told why; it may accept again while the offer is open. */
  private failRecipient(offer: HubOffer, recipient: HubRecipient, reason: Files2EndReason): void {
    this.setState(offer, recipient, 'failed', reason);
    recipient.port?.send({ type: 'files-ended', offer: offer.id, reason });
    this.grant(offer);
  }

  private senderAway(offer: HubOffer): void {
    offer.sender = undefined;
    for (const stream of [...offer.streams]) this.stopStream(stream, false);
    for (const r of offer.recipients.values()) {
      if (r.state !== 'receiving') continue;
      this.setState(offer, r, 'paused');
      r.port?.send({ type: 'files-ended', offer: offer.id, reason: 'sender-left' });
    }
    offer.awayTimer = setTimeout(() => this.closeOffer(offer, 'sender-left'), this.policy.awayMs);
    offer.awayTimer.unref();
  }

  /**
   * Closes an offer once it has its outcome: a named one when everyone it names (who can take
   * files/2) has it or said no; any offer when everyone it reached said no.
   */
  private settle(offer: HubOffer): void {
    if (!this.offers.has(offer.id)) return;
    this.grant(offer);
    const states = [...offer.recipients.values()].map((r) => r.state);
    if (states.length > 0 && states.every((s) => s === 'declined')) return this.closeOffer(offer, 'declined');
    if (!offer.to) return;
    const files1 = new Set(this.options.files1Members?.() ?? []);
    const named = offer.to.filter((id) => id !== offer.senderId && (offer.recipients.has(id) || !files1.has(id) || this.current.has(id)));
    if (named.every((id) => FINAL.has(offer.recipients.get(id)?.state ?? 'waiting'))) this.closeOffer(offer, this.closingReason(offer));
  }

  private closingReason(offer: HubOffer): Files2EndReason {
    const states = [...offer.recipients.values()].map((r) => r.state);
    if (states.includes('done')) return 'complete';
    if (states.length > 0 && states.every((s) => s === 'declined')) return 'declined';
    return 'no-answer';
  }

  /** The offer is over: everyone still in it hears why, the sender last. */
  private closeOffer(offer: HubOffer, reason: Files2EndReason): void {
    if (!this.offers.delete(offer.id)) return;
    clearTimeout(offer.awayTimer);
    for (const stream of [...offer.streams]) this.stopStream(stream, false);
    for (const r of offer.recipients.values()) {
      if (FINAL.has(r.state)) continue;
      r.port?.send({ type: 'files-ended', offer: offer.id, reason });
    }
    // Members who never became recipients (no answer yet, or joined later) hear of the end too.
    for (const [id, port] of this.current) {
      if (!offer.recipients.has(id) && this.isFor(offer, id)) port.send({ type: 'files-ended', offer: offer.id, reason });
    }
    offer.sender?.send({ type: 'files-ended', offer: offer.id, reason });
    if (this.offers.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  // ---- time -------------------------------------------------------------------------

  private tick(): void {
    if (this.ticker) return;
    const shortest = Math.min(this.policy.stallTimeoutMs, this.policy.senderStallMs, this.policy.lagSplitMs, this.policy.openMs);
    this.ticker = setInterval(() => this.onTick(), Math.max(20, Math.min(250, shortest / 4)));
    this.ticker.unref();
  }

  private onTick(): void {
    const now = Date.now();
    for (const stream of [...this.streams.values()]) {
      if (stream.head && !this.young(stream)) this.forgetHead(stream);
      const offer = stream.offer;
      const waitingForData = stream.credit > stream.position;
      if (waitingForData && now - stream.senderActiveAt > this.policy.senderStallMs) {
        for (const r of [...stream.recipients]) this.failRecipient(offer, r, 'stalled');
        continue;
      }
      for (const r of [...stream.recipients]) {
        const owes = r.delivered >= r.acked + CREDIT_STEP || (r.delivered === dataLength(offer) && r.acked < r.delivered);
        if (!owes) r.lastProgressAt = now;
        else if (now - r.lastProgressAt > this.policy.stallTimeoutMs) this.failRecipient(offer, r, 'stalled');
      }
      this.splitLagging(stream, now);
    }
    for (const offer of [...this.offers.values()]) {
      const busy = [...offer.recipients.values()].some((r) => r.state === 'receiving' || r.state === 'paused');
      if (busy || !offer.sender) {
        offer.lastActivity = now;
        continue;
      }
      if (now - offer.lastActivity > this.policy.openMs) this.closeOffer(offer, this.closingReason(offer));
    }
  }

  /** A shared stream held back by one recipient while another is ahead: that one gets a stream of its own. */
  private splitLagging(stream: HubStream, now: number): void {
    const readers = [...stream.recipients];
    const slowest = readers.reduce((a, b) => (b.acked < a.acked ? b : a), readers[0]!);
    const leader = Math.max(...readers.map((r) => r.acked));
    const blocked =
      readers.length >= 2 &&
      stream.offer.sender &&
      stream.credit >= 0 &&
      stream.position >= stream.credit &&
      stream.position < dataLength(stream.offer) && // all sent: waiting on acks is not lagging
      slowest.acked < leader;
    if (!blocked) {
      stream.blockedSince = undefined;
      return;
    }
    stream.blockedSince ??= now;
    if (now - stream.blockedSince < this.policy.lagSplitMs) return;
    stream.blockedSince = undefined;
    stream.recipients.delete(slowest);
    // Its own stream starts at what was already sent to it: the shared stream's data still
    // waiting here for it is dropped from its first data frame on (the new stream carries those
    // bytes, and the checksums of files ending after its start), so nothing is sent twice and the
    // files-stream message cannot overtake data it needs. Checksum frames queued before that
    // data are for files already sent whole: they still go.
    let dropping = false;
    slowest.port?.drop((frame) => {
      if (frame.readUInt32BE(4) !== stream.id) return false;
      if (frame[0] === KIND_DATA) dropping = true;
      return dropping;
    });
    this.openStream(stream.offer, slowest.delivered, [slowest]);
    this.grant(stream.offer);
  }
}
