import { ProgressMeter } from '../../progress-meter';
import {
  isFinalState,
  percentOf,
  reasonSentence,
  secondsLeft,
  type RecipientState,
  type RecipientView,
  type TransferPeer,
  type TransferState,
  type TransferView,
} from '../../transfer-events';
import type { ScannedBundle } from '../bundle-scan';
import type { Files2EndReason, Files2Offer, RecipientWireState } from '../files2-messages';
import type { ReadFailure } from './data-reader';
import type { DataSpace } from './data-space';
import type { StreamLink } from './stream-link';
import { StreamSender } from './stream-sender';

/** Longest offered name the wire takes. */
const MAX_NAME = 1024;

/** What an offer sends: the scanned paths, their data and its key. */
export interface OfferContent {
  /** The paths the person named (scanned again by a retry). */
  paths: string[];
  scan: ScannedBundle;
  space: DataSpace;
  key: string;
}

export interface OfferHooks {
  /** The connection now; undefined while there is none. */
  link(): StreamLink | undefined;
  peer(memberId: string): TransferPeer;
  /** A new local id ('q1', 'q2'…) for an offer people see before the host numbered it. */
  localId(): string;
  /** The view changed; `was` when its id did. */
  changed(view: TransferView, was?: string): void;
  /** A file of it could not be sent: the offer ends for everyone. */
  failed(offer: OutgoingOffer, reason: ReadFailure): void;
}

/**
 * Where an offer stands on this side: `pending` (sent, the host has not answered), `queued`
 * (here, until the room takes more offers), `open` (the host numbered it), `paused` (the
 * connection went; offered again when it is back), or its end.
 */
type Phase = 'pending' | 'queued' | 'open' | 'paused' | 'done' | 'declined' | 'cancelled' | 'failed';

const RECIPIENT_STATES: Record<RecipientWireState, RecipientState> = {
  waiting: 'waiting',
  receiving: 'accepted',
  paused: 'paused',
  done: 'done',
  declined: 'declined',
  failed: 'ended',
};

/**
 * One offer this member made (PROTOCOL.md §11): what it sends, its streams, each recipient's
 * state and progress, and the view people see. The id is the host's offer number once it has
 * one, 'q<n>' before (queued, or caught by a lost connection on its way).
 */
export class OutgoingOffer {
  number: number | undefined;
  phase: Phase = 'pending';
  /** People saw it (an event went out): later changes are reported too. */
  listed = false;
  /** Cancelled while the connection was away: withdrawn once the host numbers it again. */
  withdrawing = false;
  /** Members offered this file by files/1 because they speak only that. */
  readonly legacyOffered = new Set<string>();
  private reason: Files2EndReason | undefined;
  private message: string | undefined;
  private readonly recipients = new Map<string, RecipientView>();
  private readonly streams = new Map<number, StreamSender>();
  private readonly meter = new ProgressMeter();

  private local: string | undefined;

  constructor(
    public content: OfferContent,
    readonly to: readonly string[] | undefined,
    private readonly hooks: OfferHooks,
  ) {}

  /** The host's number; before it, a local id given when people first see it. */
  get id(): string {
    if (this.number !== undefined) return String(this.number);
    this.local ??= this.hooks.localId();
    return this.local;
  }

  get finished(): boolean {
    return isFinalState(this.phase);
  }

  get key(): string {
    return this.content.key;
  }

  /** The files-offer message for it (a new `ref` each time it is sent). */
  offerMessage(ref: string): Files2Offer {
    const { scan, space, key } = this.content;
    return {
      type: 'files-offer',
      ref,
      key,
      name: scan.name.slice(0, MAX_NAME),
      files: scan.sources.length,
      bytes: space.length - space.manifest.length,
      manifest: space.manifest.length,
      ...(this.to ? { to: [...this.to] } : {}),
    };
  }

  /** The host numbered it (again, or anew: then whatever the old number knew is gone). */
  numbered(number: number, to: readonly string[] | undefined): void {
    const was = this.listed && this.number !== number ? this.id : undefined;
    if (this.number !== undefined && this.number !== number) this.recipients.clear();
    this.number = number;
    this.phase = 'open';
    for (const id of to ?? []) if (!this.recipients.has(id)) this.recipients.set(id, blankRecipient(this.hooks.peer(id)));
    this.report(was);
  }

  /** Waits here until the room takes more offers. */
  queue(): void {
    this.phase = 'queued';
    this.report();
  }

  /** The connection went: its streams stop; it is offered again when the connection is back. */
  pause(): void {
    this.stopStreams();
    if (this.finished || this.phase === 'queued') return;
    this.phase = 'paused';
    for (const r of this.recipients.values()) if (r.state === 'accepted') r.state = 'paused';
    this.report();
  }

  /** Sets a sentence on the view (who cannot receive it). */
  note(message: string): void {
    this.message = message;
    this.report();
  }

  /** A files-recipient: one recipient's state and progress. */
  recipient(memberId: string, state: RecipientWireState, wireBytes: number, reason?: Files2EndReason): void {
    if (this.finished) return;
    const size = this.size;
    const bytes = state === 'done' ? size : Math.min(size, Math.max(0, wireBytes - this.content.space.manifest.length));
    const before = this.recipients.get(memberId);
    const mapped = RECIPIENT_STATES[state];
    const next: RecipientView = {
      member: before?.member ?? this.hooks.peer(memberId),
      state: mapped,
      bytes,
      percent: percentOf(bytes, size),
    };
    const why = reason ?? (state === 'declined' ? 'declined' : undefined);
    if (why) next.reason = why;
    this.recipients.set(memberId, next);
    const changed = before?.state !== mapped || before.reason !== next.reason;
    if (this.meter.record(this.bytes()) || changed) this.report();
  }

  /** The host opened a stream of it. */
  openStream(stream: number, from: number, link: StreamLink): StreamSender {
    this.streams.get(stream)?.stop();
    const sender = new StreamSender(stream, from, this.content.space, link, (reason) => this.hooks.failed(this, reason));
    this.streams.set(stream, sender);
    return sender;
  }

  streamSender(stream: number): StreamSender | undefined {
    return this.streams.get(stream);
  }

  stopStream(stream: number): void {
    this.streams.get(stream)?.stop();
    this.streams.delete(stream);
  }

  stopStreams(): void {
    for (const s of this.streams.values()) s.stop();
    this.streams.clear();
  }

  streamIds(): number[] {
    return [...this.streams.keys()];
  }

  /**
   * Ends it. `complete` is `done`; `declined` (nobody took it) and `cancelled` are theirs;
   * anything else is `failed` with that reason — `no-answer` too (nobody accepted before its time
   * ran out: not an error of anyone's, but it did not arrive, and it can be offered again).
   */
  end(reason: Files2EndReason, message?: string): void {
    if (this.finished) return;
    this.stopStreams();
    this.phase = reason === 'complete' ? 'done' : reason === 'declined' ? 'declined' : reason === 'cancelled' ? 'cancelled' : 'failed';
    if (reason !== 'complete') {
      for (const r of this.recipients.values())
        if (r.state === 'waiting' || r.state === 'accepted' || r.state === 'paused') Object.assign(r, { state: 'ended', reason });
      this.reason = reason;
      this.message = message ?? reasonSentence(reason);
    }
    this.report();
  }

  /** Ready to be offered again (retry): new content, nobody's answer yet. */
  restart(content: OfferContent): void {
    this.content = content;
    this.phase = 'pending';
    this.reason = undefined;
    this.message = undefined;
    this.withdrawing = false;
    this.recipients.clear();
  }

  /** Bytes of file data in all. */
  get size(): number {
    return this.content.space.length - this.content.space.manifest.length;
  }

  /** The most progress among recipients receiving now, else everything when someone has it, else the most any got. */
  private bytes(): number {
    const all = [...this.recipients.values()];
    const receiving = all.filter((r) => r.state === 'accepted');
    if (receiving.length > 0) return Math.max(...receiving.map((r) => r.bytes));
    if (all.some((r) => r.state === 'done')) return this.size;
    return all.length > 0 ? Math.max(...all.map((r) => r.bytes)) : 0;
  }

  private state(): TransferState {
    switch (this.phase) {
      case 'pending':
        return 'offered';
      case 'open': {
        const all = [...this.recipients.values()];
        if (all.some((r) => r.state === 'accepted')) return 'sending';
        // Everyone it reached has an outcome and someone has it: sent, as far as the person is
        // concerned, though the host keeps it open a while for people who join later (a late
        // acceptor makes it 'sending' again).
        const settled = all.length > 0 && all.every((r) => r.state === 'done' || r.state === 'declined' || r.state === 'ended');
        return settled && all.some((r) => r.state === 'done') ? 'done' : 'offered';
      }
      default:
        return this.phase;
    }
  }

  view(): TransferView {
    const state = this.state();
    const size = this.size;
    const bytes = state === 'done' ? size : this.bytes();
    const moving = state === 'sending';
    const bytesPerSecond = moving ? this.meter.bytesPerSecond() : 0;
    const view: TransferView = {
      id: this.id,
      direction: 'outgoing',
      fileName: this.content.scan.name,
      size,
      state,
      bytes,
      percent: percentOf(bytes, size),
      bytesPerSecond,
      recipients: [...this.recipients.values()].map((r) => ({ ...r, member: { ...r.member } })),
    };
    if (!this.content.scan.single) view.files = this.content.scan.sources.length;
    if (this.to) view.to = this.to.map((id) => this.recipients.get(id)?.member ?? this.hooks.peer(id));
    const left = moving ? secondsLeft(size - bytes, bytesPerSecond) : undefined;
    if (left !== undefined) view.secondsLeft = left;
    if (state === 'failed' || state === 'cancelled') view.retryable = true;
    if (this.reason) view.reason = this.reason;
    if (this.message) view.message = this.message;
    return view;
  }

  /** Tells people, once it is theirs to see (numbered, queued, paused or ended). */
  report(was?: string): void {
    if (this.phase === 'pending' && !this.listed) return;
    this.listed = true;
    this.hooks.changed(this.view(), was);
  }
}

const blankRecipient = (member: TransferPeer): RecipientView => ({ member, state: 'waiting', bytes: 0, percent: 0 });
