import { randomBytes } from 'node:crypto';
import type { DetachReason, RoomLink } from '../../../../room/feature';
import { PortholeError, type AppError } from '../../../../wire/errors';
import type { Member } from '../../../../wire/protocol';
import { reasonSentence, type TransferPeer, type TransferView } from '../../transfer-events';
import { scanBundle } from '../bundle-scan';
import type { Files2EndReason, Files2HostMessage, Files2Offered } from '../files2-messages';
import { MAX_NAMED_RECIPIENTS } from '../files2-messages';
import { encodeManifest } from '../manifest';
import type { ReadFailure } from './data-reader';
import { DataSpace } from './data-space';
import { offerKey } from './offer-key';
import { type OfferContent, OutgoingOffer } from './outgoing-offer';
import { type StreamLink, streamLinkOver } from './stream-link';

export interface OutgoingOptions {
  /**
   * The secret offer keys are made with. Keep it across restarts and the same unchanged files
   * offered again get the same key, so recipients resume what they kept; default: a new one per
   * instance.
   */
  keySecret?: Buffer | undefined;
  /** Offers a single file by files/1 to one member who speaks only files/1; resolves with that transfer's id. */
  legacyOffer?: ((path: string, memberId: string) => Promise<string>) | undefined;
  /** While offers are queued, how often to try the first again even when none of ours ended (the room's limit may have freed). */
  requeueMs?: number | undefined;
}

export interface OutgoingHooks {
  /** An outgoing view changed; `was` carries its previous id when the id changed. */
  changed(view: TransferView): void;
}

/** Finished offers kept for list(); older ones are forgotten. */
const FINISHED_KEPT = 200;
/** Refused offers whose error frame (same ref) needs no warning of its own. */
const REFUSED_KEPT = 64;

interface Pending {
  offer: OutgoingOffer;
  /** The offer() or retry() call waiting for the host's answer. */
  settle?: { resolve: (id: string) => void; reject: (error: Error) => void };
}

type Message<T extends Files2HostMessage['type']> = Extract<Files2HostMessage, { type: T }>;

/**
 * This member's own files/2 offers (PROTOCOL.md §11), the sending side: scans what the person
 * named, keys it, offers it, sends each stream the host opens, follows each recipient, queues
 * offers the room cannot take yet, and offers everything again after a reconnect.
 */
export class OutgoingOffers {
  private link: StreamLink | undefined;
  private members: () => Member[] = () => [];
  private readonly secret: Buffer;
  private readonly offers: OutgoingOffer[] = [];
  private readonly byRef = new Map<string, Pending>();
  private readonly streams = new Map<number, OutgoingOffer>();
  private readonly queue: OutgoingOffer[] = [];
  /** The queued offer on its way to the host now: one at a time, so they keep their order. */
  private fromQueue: OutgoingOffer | undefined;
  private readonly refused = new Set<string>();
  private requeueTimer: NodeJS.Timeout | undefined;
  private counter = 0;

  constructor(
    private readonly options: OutgoingOptions,
    private readonly hooks: OutgoingHooks,
  ) {
    this.secret = options.keySecret ?? randomBytes(32);
  }

  /** Whether the host speaks files/2 and the connection is up. */
  connected(): boolean {
    return this.link !== undefined;
  }

  // ---- what people do ---------------------------------------------------------------

  /**
   * Offers files and folders as one item, to the room or to the members named. Resolves with its
   * id once the host numbered it, or with 'q<n>' when it waits here for the room to take more.
   */
  async offer(paths: string[], options: { to?: readonly string[] | undefined } = {}): Promise<string> {
    if (!this.link) throw notConnected();
    const to = this.recipientsFor(options.to);
    const content = await this.scan(paths, to);
    if (!this.link) throw notConnected(); // it went while the files were being scanned
    const same = this.offers.find((o) => o.key === content.key && !o.finished && o.phase !== 'pending');
    if (same) return same.id;
    const offer = new OutgoingOffer(content, to, this.offerHooks());
    this.offers.push(offer);
    this.forgetOldFinished();
    if (this.queue.length > 0) {
      this.enqueue(offer);
      this.kick();
      return offer.id;
    }
    return new Promise((resolve, reject) => this.send(offer, { resolve, reject }));
  }

  /** Withdraws an offer for everyone (or takes it out of the queue). */
  cancel(id: string): void {
    const offer = this.find(id);
    if (!offer || offer.finished) return;
    this.unqueue(offer);
    // Away: the host still holds it for a while; withdrawn once the connection is back.
    if (offer.phase === 'paused' && offer.number !== undefined) offer.withdrawing = true;
    this.endOffer(offer, 'cancelled', offer.phase === 'open' ? 'cancelled' : undefined);
  }

  /** Offers a failed or cancelled offer again: its files scanned again, the same key when unchanged. */
  async retry(id: string): Promise<void> {
    const offer = this.find(id);
    if (!offer) return;
    if (offer.phase !== 'failed' && offer.phase !== 'cancelled') {
      throw new PortholeError('file-refused', 'Only a transfer that failed or was cancelled can be tried again.');
    }
    if (!this.link) throw notConnected();
    const content = await this.scan(offer.content.paths, offer.to);
    if (!this.link) throw notConnected();
    if (offer.phase !== 'failed' && offer.phase !== 'cancelled') return; // retried twice at once
    offer.restart(content);
    await new Promise<string>((resolve, reject) => this.send(offer, { resolve, reject }));
  }

  has(id: string): boolean {
    return this.find(id) !== undefined;
  }

  list(): TransferView[] {
    return this.offers.filter((o) => o.listed).map((o) => o.view());
  }

  /**
   * Forgets the finished offers; returns their ids. An offer everyone it reached has, which the
   * host still keeps open for people who join later, is withdrawn first: once out of the list
   * nobody could see who takes it.
   */
  clearFinished(): string[] {
    const finished = this.offers.filter((o) => o.finished || (o.phase === 'open' && o.view().state === 'done'));
    for (const offer of finished) {
      if (!offer.finished && offer.number !== undefined) this.endOffer(offer, 'complete', 'cancelled');
      this.forget(offer);
    }
    return finished.filter((o) => o.listed).map((o) => o.id);
  }

  /** Whether `offer` (a host's number) is one of ours and still open. */
  owns(offer: number): boolean {
    return this.byNumber(offer) !== undefined;
  }

  // ---- the connection ---------------------------------------------------------------

  /** A connection is up (no link: its host does not speak files/2). Open offers are offered again. */
  attach(link: RoomLink | undefined): void {
    this.link?.clear();
    if (!link) {
      this.link = undefined;
      for (const offer of this.offers)
        if (!offer.finished) offer.end('host-left', 'The room’s host cannot take these files any more; send them again.');
      this.queue.length = 0;
      return;
    }
    this.members = () => link.members();
    this.link = streamLinkOver(link);
    this.fromQueue = undefined;
    for (const offer of this.offers) if (offer.phase === 'paused' || offer.withdrawing) this.send(offer);
    this.kick();
  }

  /** The connection ended: a lost one pauses everything until it is back; leaving ends everything. */
  detach(reason: DetachReason): void {
    const pending = this.disconnect();
    if (reason === 'connection-lost') {
      for (const { offer, settle } of pending) {
        if (offer.finished) continue;
        offer.phase = 'paused';
        settle?.resolve(offer.id);
      }
      for (const offer of this.offers) offer.pause();
      return;
    }
    this.endAll(reason === 'left' ? 'cancelled' : 'host-left', pending);
  }

  /** The session is over for good: what is still open ends with `reason` (`connection-lost` when it never came back). */
  close(reason: 'cancelled' | 'connection-lost' = 'cancelled'): void {
    this.endAll(reason, this.disconnect());
  }

  /** Drops the link and its streams; returns the offers still waiting for the host's answer. */
  private disconnect() {
    this.link?.clear();
    this.link = undefined;
    this.streams.clear();
    const pending = [...this.byRef.values()];
    this.byRef.clear();
    this.fromQueue = undefined;
    return pending;
  }

  /** An error frame answering one of our offers; true when it did. */
  answered(error: AppError, ref: string): boolean {
    if (this.refused.delete(ref)) return true;
    const pending = this.byRef.get(ref);
    if (!pending) return false;
    this.byRef.delete(ref);
    this.turnedDown(pending, 'bad-data', new PortholeError(error.code, error.message));
    return true;
  }

  // ---- the host's messages ------------------------------------------------------------

  /** Our copy of files-offered: the host numbered an offer of ours (or took it back after a reconnect). */
  offered(message: Files2Offered): void {
    const pending = message.ref ? this.byRef.get(message.ref) : undefined;
    if (!pending) return;
    this.byRef.delete(message.ref!);
    const { offer, settle } = pending;
    if (this.fromQueue === offer) this.fromQueue = undefined;
    if (offer.withdrawing) {
      // Cancelled while the connection was away: now that the host has it again, it is withdrawn.
      offer.withdrawing = false;
      this.link?.send({ type: 'files-cancel', offer: message.offer, reason: 'cancelled' });
      return this.kick();
    }
    const other = this.byNumber(message.offer);
    if (other && other !== offer) {
      // The host already has these files from us under that number: it is the same offer.
      this.forget(offer);
      settle?.resolve(other.id);
      return this.kick();
    }
    offer.numbered(message.offer, message.to);
    settle?.resolve(offer.id);
    this.legacy(offer, message.legacy ?? []);
    this.kick();
  }

  refusedOffer(message: Message<'files-refused'>): void {
    const pending = this.byRef.get(message.ref);
    if (!pending) return;
    this.byRef.delete(message.ref);
    this.refused.add(message.ref);
    if (this.refused.size > REFUSED_KEPT) this.refused.delete(this.refused.values().next().value!);
    if (this.fromQueue === pending.offer) this.fromQueue = undefined;
    if (message.reason === 'too-many-transfers') {
      this.enqueue(pending.offer);
      pending.settle?.resolve(pending.offer.id);
      return;
    }
    // Nobody here takes files/2, but some take files/1: a single file goes to them that way.
    const legacy = message.legacy ?? [];
    if (message.reason === 'no-recipients' && legacy.length > 0 && pending.offer.content.scan.single && this.options.legacyOffer) {
      this.forget(pending.offer);
      const path = pending.offer.content.scan.sources[0]!.absPath;
      const sent = legacy.map((id) => this.options.legacyOffer!(path, id));
      Promise.any(sent).then(
        (id) => pending.settle?.resolve(id),
        () => pending.settle?.reject(new PortholeError('file-refused', reasonSentence('no-recipients'))),
      );
      return;
    }
    this.turnedDown(pending, message.reason, new PortholeError('file-refused', reasonSentence(message.reason)));
  }

  stream(message: Message<'files-stream'>): void {
    const offer = this.byNumber(message.offer);
    if (offer?.phase !== 'open' || !this.link) return;
    offer.openStream(message.stream, message.from, this.link);
    this.streams.set(message.stream, offer);
  }

  credit(message: Message<'files-credit'>): void {
    const offer = this.streams.get(message.stream);
    offer?.streamSender(message.stream)?.grant(message.upTo);
  }

  stop(message: Message<'files-stop'>): void {
    this.dropStream(message.stream);
  }

  recipient(message: Message<'files-recipient'>): void {
    this.byNumber(message.offer)?.recipient(message.member, message.state, message.bytes, message.reason);
  }

  ended(message: Message<'files-ended'>): void {
    const offer = this.byNumber(message.offer);
    if (offer) this.endOffer(offer, message.reason);
  }

  // ---- inside -----------------------------------------------------------------------

  private offerHooks() {
    return {
      link: () => this.link,
      localId: () => `q${++this.counter}`,
      peer: (id: string) => this.peer(id),
      changed: (view: TransferView, was?: string) => this.hooks.changed(was === undefined ? view : { ...view, was }),
      failed: (offer: OutgoingOffer, reason: ReadFailure) => this.unreadable(offer, reason),
    };
  }

  /** A file changed or could not be read: the offer ends for everyone with that reason. */
  private unreadable(offer: OutgoingOffer, reason: ReadFailure): void {
    if (!offer.finished) this.endOffer(offer, reason, reason);
  }

  /**
   * Ends an offer on this side: withdrawn at the host first with `withdraw` as the reason (when
   * given and the host numbered it), its streams stopped, and the next queued offer may go.
   */
  private endOffer(offer: OutgoingOffer, reason: Files2EndReason, withdraw?: Files2EndReason): void {
    if (withdraw !== undefined && offer.number !== undefined)
      this.link?.send({ type: 'files-cancel', offer: offer.number, reason: withdraw });
    for (const stream of offer.streamIds()) this.dropStream(stream);
    offer.end(reason);
    this.kick();
  }

  private send(offer: OutgoingOffer, settle?: Pending['settle']): void {
    const link = this.link;
    if (!link) {
      offer.phase = 'paused';
      offer.report();
      return settle?.resolve(offer.id);
    }
    const ref = randomBytes(9).toString('base64url');
    this.byRef.set(ref, settle ? { offer, settle } : { offer });
    link.send(offer.offerMessage(ref));
  }

  /** The host turned an offer down: a new one fails with `error`, one it had numbered before ends. */
  private turnedDown(pending: Pending, reason: Files2EndReason, error: Error): void {
    if (this.fromQueue === pending.offer) this.fromQueue = undefined;
    if (pending.offer.listed) pending.offer.end(reason);
    else this.forget(pending.offer);
    pending.settle?.reject(error);
    this.kick();
  }

  private enqueue(offer: OutgoingOffer): void {
    if (!this.queue.includes(offer)) {
      // In the order they were made, so a refused one keeps its place.
      const at = this.queue.findIndex((o) => this.offers.indexOf(o) > this.offers.indexOf(offer));
      this.queue.splice(at < 0 ? this.queue.length : at, 0, offer);
    }
    offer.queue();
    this.requeueTimer ??= setInterval(() => this.kick(), this.options.requeueMs ?? 15_000);
    this.requeueTimer.unref();
  }

  private unqueue(offer: OutgoingOffer): void {
    const at = this.queue.indexOf(offer);
    if (at >= 0) this.queue.splice(at, 1);
    if (this.fromQueue === offer) this.fromQueue = undefined;
  }

  /** Offers the first queued offer to the host, when none is on its way already. */
  private kick(): void {
    if (this.queue.length === 0) {
      clearInterval(this.requeueTimer);
      this.requeueTimer = undefined;
      return;
    }
    if (!this.link || this.fromQueue) return;
    const next = this.queue.shift()!;
    this.fromQueue = next;
    this.send(next);
  }

  /** Members the host says speak only files/1: a single file goes to each by files/1; a bundle cannot. */
  private legacy(offer: OutgoingOffer, members: readonly string[]): void {
    const fresh = members.filter((id) => !offer.legacyOffered.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) offer.legacyOffered.add(id);
    if (offer.content.scan.single && this.options.legacyOffer) {
      const path = offer.content.scan.sources[0]!.absPath;
      for (const id of fresh) void this.options.legacyOffer(path, id).catch(() => {});
      return;
    }
    const n = offer.legacyOffered.size;
    const who = n === 1 ? '1 person in the room has' : `${n} people in the room have`;
    const what = offer.content.scan.manifest.folders.length > 0 || offer.content.scan.manifest.files.some((f) => f.path.includes('/'));
    offer.note(
      what
        ? `${who} an older Porthole that cannot receive folders.`
        : `${who} an older Porthole that cannot receive several files in one offer; send them the files one by one.`,
    );
  }

  private endAll(reason: 'cancelled' | 'host-left' | 'connection-lost', pending: Pending[]): void {
    for (const { offer, settle } of pending) {
      if (!offer.listed) this.forget(offer);
      settle?.reject(notConnected());
    }
    this.queue.length = 0;
    for (const offer of this.offers) offer.end(reason);
    clearInterval(this.requeueTimer);
    this.requeueTimer = undefined;
  }

  private dropStream(stream: number): void {
    this.streams.get(stream)?.stopStream(stream);
    this.streams.delete(stream);
    this.link?.drop(stream);
  }

  private async scan(paths: string[], to: readonly string[] | undefined): Promise<OfferContent> {
    const scan = await scanBundle(paths);
    const space = new DataSpace(scan.single ? Buffer.alloc(0) : encodeManifest(scan.manifest), scan.sources);
    return { paths: [...paths], scan, space, key: offerKey(this.secret, scan.sources, to) };
  }

  /** The members an offer names, checked: distinct, not me, at most 64. */
  private recipientsFor(to: readonly string[] | undefined): string[] | undefined {
    if (to === undefined) return undefined;
    const named = [...new Set(to)];
    if (named.length === 0) throw new PortholeError('file-refused', 'Name at least one person to send it to.');
    if (named.length > MAX_NAMED_RECIPIENTS)
      throw new PortholeError('file-refused', `An offer can name at most ${MAX_NAMED_RECIPIENTS} people; send it to the room instead.`);
    return named;
  }

  private peer(id: string): TransferPeer {
    return { id, name: this.members().find((m) => m.id === id)?.name ?? 'someone who left' };
  }

  private find(id: string): OutgoingOffer | undefined {
    return this.offers.find((o) => o.listed && o.id === id);
  }

  private byNumber(number: number): OutgoingOffer | undefined {
    return this.offers.find((o) => o.number === number && !o.finished);
  }

  private forget(offer: OutgoingOffer): void {
    const at = this.offers.indexOf(offer);
    if (at >= 0) this.offers.splice(at, 1);
    this.unqueue(offer);
  }

  private forgetOldFinished(): void {
    const finished = this.offers.filter((o) => o.finished);
    for (const offer of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.forget(offer);
  }
}

const notConnected = () => new PortholeError('not-connected', 'You are not connected to the room right now.');
