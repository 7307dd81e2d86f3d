import { PortholeError } from '../../../../wire/errors';
import { defaultDownloadDir } from '../../download-folder';
import { isFinalState, type TransferPeer, type TransferView } from '../../transfer-events';
import { framePayload, KIND_DATA, readFrameHeader } from '../files2-frames';
import type { Files2ClientMessage, Files2EndReason, Files2Offered } from '../files2-messages';
import { IncomingOffer, type OfferHooks } from './incoming-offer';

export { cleanStalePartials, KEPT_DATA_MAX_AGE_MS } from './stale-partials';

export interface IncomingHooks {
  /** To the host; a no-op while not connected. */
  send(message: Files2ClientMessage): void;
  /** `isNew`: a new offer for the person (emit 'offer'); otherwise an update. */
  changed(view: TransferView, isNew: boolean): void;
  /** Name of a member (or 'someone who left'). */
  peer(memberId: string): TransferPeer;
}

export interface IncomingOptions {
  /** Where accepted offers are saved unless accept() names another folder; default ~/Downloads/Porthole. */
  downloadDir?: string | undefined;
  /** Accept every offer at once (the CLI's --accept-files). */
  autoAccept?: boolean | undefined;
}

/** Finished offers kept for list(); older ones are forgotten, so offer floods cannot grow memory. */
const FINISHED_KEPT = 200;
/** Streams that ended lately: their frames still on the way are dropped without a warning. */
const RETIRED_KEPT = 256;

/**
 * The offers of files/2 (PROTOCOL.md §11) made to this member: routes the host's messages and
 * binary frames to each IncomingOffer, answers for the person (accept, decline, cancel, retry),
 * and makes sure only one offer at a time holds an offer key's kept data. Everything from the
 * host is untrusted: a stream or frame that fits nothing is refused (false), never thrown on.
 */
export class IncomingOffers {
  private readonly offers = new Map<number, IncomingOffer>();
  private readonly streams = new Map<number, IncomingOffer>();
  private readonly retired = new Set<number>();
  /** Offer key → the offer holding its kept data. */
  private readonly holders = new Map<string, IncomingOffer>();
  private connected = true;
  private readonly offerHooks: OfferHooks;

  constructor(
    private readonly options: IncomingOptions,
    private readonly hooks: IncomingHooks,
  ) {
    this.offerHooks = {
      send: (message) => this.hooks.send(message),
      changed: (view, isNew) => this.hooks.changed(view, isNew),
      connected: () => this.connected,
      attachStream: (stream, offer) => {
        const holder = this.streams.get(stream);
        if (holder && holder !== offer) return false;
        this.retired.delete(stream);
        this.streams.set(stream, offer);
        return true;
      },
      retireStream: (stream) => this.retire(stream),
      claimStore: (offer) => this.claim(offer),
      releaseStore: (offer) => {
        if (this.holders.get(offer.key) === offer) this.holders.delete(offer.key);
      },
    };
  }

  /** A files-offered not from this member: new, or again (after a reconnect, or the sender came back). */
  offered(message: Files2Offered): void {
    this.connected = true;
    const known = this.offers.get(message.offer);
    if (known) return known.offeredAgain(message, this.hooks.peer(message.from));
    this.forgetOldFinished();
    const offer = new IncomingOffer(message, this.hooks.peer(message.from), this.offerHooks);
    this.offers.set(message.offer, offer);
    void this.open(offer);
  }

  stream(message: { offer: number; stream: number; from: number }): void {
    this.connected = true;
    this.offers.get(message.offer)?.streamStarted(message.stream, message.from);
  }

  /** A files/2 binary frame (data or checksum); false when it fits no stream of ours or breaks the order. */
  frame(frame: Buffer): boolean {
    this.connected = true;
    const header = readFrameHeader(frame);
    if (!header) return false;
    const offer = this.streams.get(header.stream);
    if (!offer) return this.retired.has(header.stream);
    const payload = framePayload(frame);
    return header.kind === KIND_DATA
      ? offer.data(header.stream, header.position, payload)
      : offer.sum(header.stream, header.position, payload);
  }

  ended(message: { offer: number; reason: Files2EndReason }): void {
    this.connected = true;
    this.offers.get(message.offer)?.ended(message.reason);
  }

  owns(offer: number): boolean {
    return this.offers.has(offer);
  }

  /** The connection went: offers being received pause, their data kept. */
  connectionLost(): void {
    this.connected = false;
    for (const offer of this.offers.values()) offer.connectionLost();
  }

  /**
   * The connection is back (the member feature's attach): answers work again before the host's
   * first message arrives. Paused offers carry on when the host offers them again.
   */
  reconnected(): void {
    this.connected = true;
  }

  /** The session ends: stop writing and close every file, keeping the data for a resume after a restart. */
  async close(): Promise<void> {
    this.connected = false;
    await Promise.all([...this.offers.values()].map((offer) => offer.close()));
  }

  /** Accepts an offer into `downloadDir`, or the default folder. */
  async accept(id: string, downloadDir?: string): Promise<void> {
    const offer = this.find(id);
    await offer.accept(downloadDir ?? (await this.defaultDir()));
  }

  decline(id: string): void {
    this.offers.get(Number(id))?.decline();
  }

  cancel(id: string): void {
    this.offers.get(Number(id))?.cancel();
  }

  /** Accepts a paused or failed offer again, from what was kept. */
  async retry(id: string): Promise<void> {
    const offer = this.find(id);
    await offer.retry(await this.defaultDir());
  }

  /** Offers shown to the person, oldest first. */
  list(): TransferView[] {
    return [...this.offers.values()].filter((o) => o.announced).map((o) => ({ ...o.view }));
  }

  /** Forgets finished offers; returns their ids. */
  clearFinished(): string[] {
    const ids: string[] = [];
    for (const [number, offer] of this.offers) {
      if (!isFinalState(offer.view.state)) continue;
      this.forget(number, offer);
      ids.push(offer.view.id);
    }
    return ids;
  }

  /** The first look at a new offer: a newer offer of a key whose data another offer holds takes it over. */
  private async open(offer: IncomingOffer): Promise<void> {
    const dir = (this.holders.has(offer.key) ? await this.claim(offer) : undefined) ?? (await this.defaultDir());
    await offer.open(dir, this.options.autoAccept === true);
  }

  /** Makes `offer` the holder of its key's kept data; the older holder lets go first. Resolves with the older one's folder. */
  private async claim(offer: IncomingOffer): Promise<string | undefined> {
    const older = this.holders.get(offer.key);
    this.holders.set(offer.key, offer);
    if (!older || older === offer) return undefined;
    return older.handOver(offer.view.id);
  }

  private find(id: string): IncomingOffer {
    const offer = /^[0-9]{1,10}$/.test(id) ? this.offers.get(Number(id)) : undefined;
    if (!offer) throw new PortholeError('not-found', `There is no incoming offer #${id}.`);
    return offer;
  }

  private async defaultDir(): Promise<string> {
    return this.options.downloadDir ?? (await defaultDownloadDir());
  }

  private retire(stream: number): void {
    this.streams.delete(stream);
    this.retired.add(stream);
    if (this.retired.size > RETIRED_KEPT) this.retired.delete(this.retired.values().next().value!);
  }

  private forget(number: number, offer: IncomingOffer): void {
    this.offers.delete(number);
    if (this.holders.get(offer.key) === offer) this.holders.delete(offer.key);
  }

  private forgetOldFinished(): void {
    const finished = [...this.offers.entries()].filter(([, o]) => isFinalState(o.view.state));
    for (const [number, offer] of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.forget(number, offer);
  }
}
