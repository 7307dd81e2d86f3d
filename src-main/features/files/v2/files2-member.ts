import { EventEmitter } from 'node:events';
import type { DetachReason, MemberFeature, RoomLink, WireMessage } from '../../../room/feature';
import type { AppError } from '../../../wire/errors';
import type { Member } from '../../../wire/protocol';
import type { TransferEvents, TransferPeer, TransferView } from '../transfer-events';
import type { Files2ClientMessage, Files2HostMessage } from './files2-messages';
import { IncomingOffers } from './incoming/incoming-offers';
import { OutgoingOffers } from './outgoing/outgoing-offers';

export interface Files2Options {
  /** Where accepted offers are saved unless accept() names another folder. */
  downloadDir?: string | undefined;
  /** Accept every offer at once (the CLI's --accept-files). */
  autoAccept?: boolean | undefined;
  /** The secret offer keys are made with (kept across restarts, recipients resume after the sender restarted). */
  keySecret?: Buffer | undefined;
  /** Offers one file by files/1 to a member who speaks only that (the facade's files/1 side). */
  legacyOffer?: ((path: string, memberId: string) => Promise<string>) | undefined;
  /** While offers are queued, how often the first is tried again even when none of ours ended. */
  requeueMs?: number | undefined;
}

/**
 * The member side of files/2 (PROTOCOL.md §11), the same for the host's own member and a guest:
 * this member's own offers (OutgoingOffers) and the offers it receives (IncomingOffers), with
 * each message from the host sent to the side it concerns. People use it through FileTransfers
 * (../file-transfers.ts), which also holds the files/1 side.
 */
export class Files2Member extends EventEmitter<TransferEvents> implements MemberFeature {
  readonly outgoing: OutgoingOffers;
  readonly incoming: IncomingOffers;
  private link: RoomLink | undefined;
  private members: () => Member[] = () => [];
  /** Files of incoming offers being closed after the session ended; see stopped(). */
  private closing: Promise<unknown> = Promise.resolve();
  private incomingClosed = false;

  constructor(options: Files2Options = {}) {
    super();
    this.outgoing = new OutgoingOffers(
      { keySecret: options.keySecret, legacyOffer: options.legacyOffer, requeueMs: options.requeueMs },
      { changed: (view) => this.emit('update', view) },
    );
    this.incoming = new IncomingOffers(
      { ...(options.downloadDir ? { downloadDir: options.downloadDir } : {}), ...(options.autoAccept ? { autoAccept: true } : {}) },
      {
        send: (message: Files2ClientMessage) => {
          if (this.link?.isOpen()) this.link.send(message as WireMessage);
        },
        changed: (view, isNew) => this.emit(isNew ? 'offer' : 'update', view),
        peer: (id) => this.peer(id),
      },
    );
  }

  /** Whether the host speaks files/2 and the connection is up: offers go this way then. */
  connected(): boolean {
    return this.link !== undefined;
  }

  // ---- what people do (ids: the host's offer numbers, 'q<n>' for queued offers) --------

  offer(paths: string[], options: { to?: readonly string[] | undefined } = {}): Promise<string> {
    return this.outgoing.offer(paths, options);
  }

  accept(id: string, downloadDir?: string): Promise<void> {
    return this.incoming.accept(id, downloadDir);
  }

  decline(id: string): void {
    this.incoming.decline(id);
  }

  cancel(id: string): void {
    if (this.outgoing.has(id)) this.outgoing.cancel(id);
    else this.incoming.cancel(id);
  }

  retry(id: string): Promise<void> {
    return this.outgoing.has(id) ? this.outgoing.retry(id) : this.incoming.retry(id);
  }

  /** Whether `id` names one of this side's transfers. */
  has(id: string): boolean {
    return this.outgoing.has(id) || this.incoming.list().some((v) => v.id === id);
  }

  list(): TransferView[] {
    return [...this.outgoing.list(), ...this.incoming.list()];
  }

  clearFinished(): string[] {
    return [...this.outgoing.clearFinished(), ...this.incoming.clearFinished()];
  }

  // ---- the room ---------------------------------------------------------------------

  attach(link: RoomLink | undefined): void {
    this.link = link;
    if (link) {
      this.members = () => link.members();
      this.incoming.reconnected();
    }
    this.outgoing.attach(link);
  }

  message(message: WireMessage): void {
    const m = message as Files2HostMessage;
    switch (m.type) {
      case 'files-offered':
        if (m.ref !== undefined || m.from === this.link?.me.id) return this.outgoing.offered(m);
        return this.incoming.offered(m);
      case 'files-stream':
        return this.outgoing.owns(m.offer) ? this.outgoing.stream(m) : this.incoming.stream(m);
      case 'files-credit':
        return this.outgoing.credit(m);
      case 'files-stop':
        return this.outgoing.stop(m);
      case 'files-recipient':
        return this.outgoing.recipient(m);
      case 'files-refused':
        return this.outgoing.refusedOffer(m);
      case 'files-ended':
        return this.outgoing.owns(m.offer) ? this.outgoing.ended(m) : this.incoming.ended(m);
    }
  }

  binary(frame: Buffer): boolean {
    return this.incoming.frame(frame);
  }

  answered(error: AppError, ref: string): boolean {
    return this.outgoing.answered(error, ref);
  }

  detach(reason: DetachReason): void {
    this.link = undefined;
    this.outgoing.detach(reason);
    if (reason === 'connection-lost') this.incoming.connectionLost();
    else this.closeIncoming();
  }

  closed(error: AppError | undefined): void {
    this.outgoing.close(error ? 'connection-lost' : 'cancelled');
    this.closeIncoming();
  }

  /** Resolves once the files of incoming offers are closed (their kept data stays for a resume). */
  async stopped(): Promise<void> {
    await this.closing;
  }

  private closeIncoming(): void {
    if (this.incomingClosed) return;
    this.incomingClosed = true;
    this.closing = Promise.all([this.closing, this.incoming.close().catch(() => {})]);
  }

  private peer(id: string): TransferPeer {
    return { id, name: this.members().find((m) => m.id === id)?.name ?? 'someone who left' };
  }
}
