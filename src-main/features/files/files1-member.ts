import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PortholeError, type AppError } from '../../wire/errors';
import type { Member, NumberedEvent } from '../../wire/protocol';
import type { DetachReason, MemberFeature, RoomLink, WireMessage } from '../../room/feature';
import { readChunkHeader } from './chunk-frame';
import { defaultDownloadDir } from './download-folder';
import { IncomingTransfer } from './incoming-transfer';
import type { HubLink } from './member-link';
import { hubLinkOver } from './room-hub-link';
import { OutgoingTransfer } from './outgoing-transfer';
import { isFinalState, type TransferEvents, type TransferView } from './transfer-events';
import type { EndReason, TransferHostMessage } from './transfer-messages';

export interface Files1Options {
  /** Where accepted files are saved unless accept() names another folder; default ~/Downloads/Porthole. */
  downloadDir?: string | undefined;
  /** Accept every offer at once (the CLI's --accept-files). */
  autoAccept?: boolean | undefined;
}

type Transfer = IncomingTransfer | OutgoingTransfer;

/** Finished transfers kept for list(); older ones are forgotten, so offer floods cannot grow memory. */
const FINISHED_KEPT = 200;

/** Offers the host refused lately, whose error frame (same ref) needs no warning of its own. */
const REFUSED_OFFERS_KEPT = 64;

/**
 * One member's `files/1` transfers (PROTOCOL.md §9), the same for the host's own member and a
 * guest: offer, answer, cancel, and the events a person sees. The member side of `files/1`:
 * talks to the room's hub (files-hub.ts) through a HubLink over the room's link. People use it
 * through FileTransfers (file-transfers.ts), which picks `files/2` when the host speaks it.
 */
export class Files1Member extends EventEmitter<TransferEvents> implements MemberFeature {
  private link: HubLink | undefined;
  private readonly byId = new Map<string, Transfer>();
  private readonly byWire = new Map<number, Transfer>();
  /** Partial files being removed after the connection went; see stopped(). */
  private cleanup: Promise<unknown> = Promise.resolve();
  private readonly byRef = new Map<string, { transfer: OutgoingTransfer; resolve: (id: string) => void; reject: (e: Error) => void }>();
  private readonly refusedOffers = new Set<string>();
  private members: () => Member[] = () => [];
  /** The host does not speak files/1: offers are refused here. */
  private noFiles = false;

  constructor(private readonly options: Files1Options = {}) {
    super();
  }

  private memberById(id: string): Member | undefined {
    return this.members().find((m) => m.id === id);
  }

  /** Offers a file to the room, or to one member; resolves with the transfer id once the host took it. */
  async offer(path: string, options: { to?: string } = {}): Promise<string> {
    if (!this.link) throw new PortholeError('not-connected', 'You are not connected to the room right now.');
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory())
      throw new PortholeError(
        'file-unreadable',
        `${path} is a folder: this room's host has an older Porthole that cannot take folders. Send the files in it one by one, or a zip of it.`,
      );
    if (!info?.isFile()) throw new PortholeError('file-unreadable', `There is no file to send at ${path}.`);
    const handle = await open(path, 'r').catch(() => {
      throw new PortholeError('file-unreadable', `The file ${path} cannot be read.`);
    });
    const link = this.link; // the connection may have gone while the file was being opened
    if (!link) {
      await handle.close();
      throw new PortholeError('not-connected', 'You are not connected to the room right now.');
    }
    const ref = randomBytes(9).toString('base64url');
    this.forgetOldFinished();
    const transfer = new OutgoingTransfer(
      ref,
      basename(path),
      info.size,
      handle,
      () => this.link,
      (v) => this.emit('update', { ...v }),
    );
    this.byId.set(ref, transfer);
    return new Promise((resolve, reject) => {
      this.byRef.set(ref, { transfer, resolve, reject });
      link.control({ type: 'file-offer', ref, name: transfer.view.fileName, size: info.size, ...(options.to ? { to: options.to } : {}) });
    });
  }

  /** Accepts an offer; the file goes to `downloadDir` or the default folder. */
  async accept(id: string, downloadDir?: string): Promise<void> {
    const transfer = this.byId.get(id);
    if (transfer instanceof IncomingTransfer)
      await transfer.accept(downloadDir ?? this.options.downloadDir ?? (await defaultDownloadDir()));
  }

  decline(id: string): void {
    const transfer = this.byId.get(id);
    if (transfer instanceof IncomingTransfer) transfer.decline();
  }

  /** Cancels an incoming or outgoing transfer from this side. */
  cancel(id: string): void {
    this.byId.get(id)?.cancel();
  }

  /** Every transfer of this session, newest last. */
  list(): TransferView[] {
    return [...this.byId.values()].map((t) => ({ ...t.view }));
  }

  /** Whether `id` names one of this side's transfers. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Whether the host speaks files/1 and the connection is up. */
  connected(): boolean {
    return this.link !== undefined && !this.noFiles;
  }

  /** Forgets the finished transfers; returns their ids. */
  clearFinished(): string[] {
    const finished = [...this.byId.entries()].filter(([, t]) => isFinalState(t.view.state));
    for (const [id, transfer] of finished) this.forget(id, transfer);
    return finished.map(([id]) => id);
  }

  /** Starts using a (new) connection to the room; none when its host does not speak files. */
  attach(link: RoomLink | undefined): void {
    if (link) this.members = () => link.members();
    this.noFiles = !link;
    this.link = link ? hubLinkOver(link) : this.noFilesLink();
  }

  /** For a host that does not speak files: every offer is refused here, and nothing is sent. */
  private noFilesLink(): HubLink {
    return {
      control: (message) => {
        if (message.type !== 'file-offer') return;
        queueMicrotask(() => this.onControl({ type: 'file-refused', ref: message.ref, reason: 'no-recipients' }));
      },
      chunk: () => {},
      ready: () => true,
      whenReady: (wake) => queueMicrotask(wake),
    };
  }

  /** A files message from the host (validated against the feature's spec). */
  message(message: WireMessage): void {
    const control = message as TransferHostMessage;
    if (control.type === 'file-refused') this.rememberRefusal(control.ref);
    this.onControl(control);
  }

  binary(frame: Buffer): boolean {
    return this.onChunk(frame);
  }

  event(_event: NumberedEvent, _replayed: boolean): void {}

  /** The offer's refusal already told the person; the error frame with its ref says the same. */
  answered(_error: AppError, ref: string): boolean {
    return this.refusedOffers.delete(ref);
  }

  detach(reason: DetachReason): void {
    this.end(reason === 'left' ? 'cancelled' : reason);
  }

  private rememberRefusal(ref: string): void {
    this.refusedOffers.add(ref);
    if (this.refusedOffers.size > REFUSED_OFFERS_KEPT) this.refusedOffers.delete(this.refusedOffers.values().next().value!);
  }

  /** The connection is gone: every transfer still running ends with `reason`. */
  end(reason: EndReason): void {
    this.link = undefined;
    for (const pending of this.byRef.values())
      pending.reject(new PortholeError('not-connected', 'The connection to the room was lost before the offer went out.'));
    this.byRef.clear();
    const removing: Promise<void>[] = [];
    for (const transfer of this.byId.values()) {
      if (transfer instanceof IncomingTransfer) removing.push(transfer.stop(reason));
      else transfer.abort(reason, false);
    }
    this.cleanup = Promise.all([this.cleanup, ...removing]);
    this.byWire.clear();
  }

  /** Resolves once the partial files of transfers ended by detach() are gone from disk. */
  async stopped(): Promise<void> {
    await this.cleanup;
  }

  /** A transfer message from the hub (already validated). */
  onControl(message: TransferHostMessage): void {
    if (message.type === 'file-offered') return this.onOffered(message);
    if (message.type === 'file-refused') {
      const pending = this.byRef.get(message.ref);
      this.byRef.delete(message.ref);
      pending?.transfer.abort(message.reason, false);
      pending?.reject(new PortholeError('file-refused', pending.transfer.view.message ?? 'The room did not take the file.'));
      return;
    }
    const transfer = this.byWire.get(message.transfer);
    if (transfer instanceof OutgoingTransfer) transfer.onHostMessage(message);
    else if (transfer && message.type === 'file-end') transfer.senderEnded(message.sha256);
    else if (transfer && message.type === 'file-cancelled') void transfer.stop(message.reason);
  }

  /** A chunk frame from the hub; false when it was malformed or out of place. */
  onChunk(frame: Buffer): boolean {
    const header = readChunkHeader(frame);
    const transfer = header && this.byWire.get(header.transfer);
    if (!header || !(transfer instanceof IncomingTransfer)) return false;
    return transfer.chunk(frame, header.offset);
  }

  private onOffered(message: Extract<TransferHostMessage, { type: 'file-offered' }>): void {
    const peer = (id: string) => {
      const m = this.memberById(id);
      return { id, name: m?.name ?? 'someone who left' };
    };
    if (message.ref) {
      const pending = this.byRef.get(message.ref);
      if (!pending) return;
      this.byRef.delete(message.ref);
      this.byWire.set(message.transfer, pending.transfer);
      pending.transfer.opened(message.transfer, message.to.map(peer));
      return pending.resolve(pending.transfer.view.id);
    }
    if (this.byWire.has(message.transfer)) return;
    const id = randomBytes(9).toString('base64url');
    const emitUpdate = (v: TransferView) => this.emit('update', { ...v });
    const transfer = new IncomingTransfer(
      id,
      message.transfer,
      message.name,
      message.size,
      peer(message.from),
      () => this.link,
      emitUpdate,
    );
    this.forgetOldFinished();
    this.byId.set(id, transfer);
    this.byWire.set(message.transfer, transfer);
    this.emit('offer', { ...transfer.view });
    if (this.options.autoAccept) void this.accept(id);
  }

  private forgetOldFinished(): void {
    const finished = [...this.byId.entries()].filter(([, t]) => isFinalState(t.view.state));
    for (const [id, transfer] of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.forget(id, transfer);
  }

  private forget(id: string, transfer: Transfer): void {
    this.byId.delete(id);
    for (const [wire, t] of this.byWire) if (t === transfer) this.byWire.delete(wire);
  }
}
