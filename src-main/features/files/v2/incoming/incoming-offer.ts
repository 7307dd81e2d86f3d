import { realpath } from 'node:fs/promises';
import { PortholeError } from '../../../../wire/errors';
import { hasRoomFor, prepareDownloadDir } from '../../download-folder';
import type { TransferPeer, TransferView } from '../../transfer-events';
import type { Files2ClientMessage, Files2EndReason, Files2Offered } from '../files2-messages';
import { decodeManifest, type Manifest } from '../manifest';
import { DataLayout } from './data-layout';
import { KeptProgress, readBack, type ResumePoint } from './kept-progress';
import { keptFor } from './kept-state';
import { OfferView } from './offer-view';
import { PartialStore } from './partial-store';
import { publishKept } from './publish';
import { type ReceiverHooks, type ReceiverStart, StreamReceiver } from './stream-receiver';

/** What an offer needs from the set of offers it belongs to (incoming-offers.ts). */
export interface OfferHooks {
  send(message: Files2ClientMessage): void;
  changed(view: TransferView, isNew: boolean): void;
  /** Whether the room connection is up (messages sent while it is down are lost). */
  connected(): boolean;
  /** Routes a stream's frames to this offer; false when another offer has that stream. */
  attachStream(stream: number, offer: IncomingOffer): boolean;
  /** Frames of this stream are dropped quietly from now on. */
  retireStream(stream: number): void;
  /** Makes this offer the one holding its key's kept data; an older holder lets go first. Resolves with the older one's download folder. */
  claimStore(offer: IncomingOffer): Promise<string | undefined>;
  releaseStore(offer: IncomingOffer): void;
}

/** Ends for which kept data stays: the offer (or one with the same key) may come back. */
const PAUSING: ReadonlySet<Files2EndReason> = new Set(['sender-left', 'host-left', 'connection-lost', 'stalled']);

/**
 * One offer someone made to this member (PROTOCOL.md §11), from the question to the saved file
 * or folder: accepting (from what was kept, when there is something), one StreamReceiver per
 * accept, checking each file, re-fetching a file whose checksum did not match (once), pausing
 * when the connection or the sender goes, and publishing once every file is verified. Work that
 * touches the disk runs one task at a time, in order; frames are taken synchronously.
 */
export class IncomingOffer {
  private readonly shown: OfferView;
  private offer: Files2Offered;
  private dir: string | undefined;
  private realDir: string | undefined;
  private store: PartialStore | undefined;
  private kept: KeptProgress;
  private pendingManifest: { bytes: Buffer; manifest: Manifest } | undefined;
  private readonly mismatches = new Map<number, number>();
  private receiver: StreamReceiver | undefined;
  private work: Promise<void> = Promise.resolve();
  private stallResumes = 0;
  /** An end from this side is on its way (cancel): nothing starts again. */
  private ending = false;
  private publishing = false;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    offer: Files2Offered,
    from: TransferPeer,
    private readonly hooks: OfferHooks,
  ) {
    this.offer = offer;
    this.kept = new KeptProgress(offer);
    this.shown = new OfferView(offer, from, hooks.changed);
  }

  /** The live view (copy it before handing it out). */
  get view(): TransferView {
    return this.shown.view;
  }

  /** Shown to the person (asked, or resumed by itself). */
  get announced(): boolean {
    return this.shown.shown;
  }

  get key(): string {
    return this.offer.key;
  }

  get holdsStore(): boolean {
    return this.store !== undefined;
  }

  get finished(): boolean {
    return this.ending || this.shown.final;
  }

  private get dataEnd(): number {
    return this.offer.manifest + this.offer.bytes;
  }

  /** The first look: kept data the person accepted before resumes by itself; otherwise the person is asked. */
  open(dir: string, autoAccept: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.view.state !== 'offered' || this.finished) return;
      // Only a look: the folder is made when the person accepts.
      const realDir = await realpath(dir).catch(() => undefined);
      const store = realDir ? await PartialStore.existing(realDir, this.key) : undefined;
      const state = await store?.readState();
      if (state && keptFor(state, this.offer)) return this.begin(dir);
      this.shown.ask();
      if (autoAccept) await this.begin(dir);
    });
  }

  /** The host offered it again (this member came back, or the sender did): one that was receiving carries on by itself. */
  offeredAgain(offer: Files2Offered, from: TransferPeer): void {
    const same = (['key', 'name', 'files', 'bytes', 'manifest'] as const).every((field) => offer[field] === this.offer[field]);
    if (!same) return;
    this.offer = offer;
    this.view.from = from;
    void this.enqueue(async () => {
      if (this.finished || (this.view.state !== 'receiving' && this.view.state !== 'paused')) return;
      await this.dropReceiver('stop');
      await this.resume();
    });
  }

  async accept(dir: string): Promise<void> {
    if (this.view.state !== 'offered' || this.finished) return;
    if (!this.hooks.connected()) throw new PortholeError('not-connected', 'You are not connected to the room right now.');
    this.shown.set('receiving');
    await this.enqueue(() => this.begin(dir));
  }

  decline(): void {
    if (this.view.state !== 'offered' || this.finished) return;
    this.hooks.send({ type: 'files-decline', offer: this.offer.offer });
    this.shown.ended('declined', 'declined');
  }

  /** Stops receiving from this side: the host is told, kept data goes. */
  cancel(): void {
    if (this.view.state === 'offered') return this.decline();
    if (this.publishing || this.ending) return;
    if (this.shown.final) {
      if (this.view.retryable) void this.enqueue(() => this.forget());
      return;
    }
    this.ending = true;
    const dropping = this.dropReceiver('abort');
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'cancelled' });
    void this.enqueue(async () => {
      await dropping;
      await this.removeStore();
      this.ending = false;
      if (!this.shown.final) this.shown.ended('cancelled', 'cancelled');
    });
  }

  /** Accepts again from what was kept (or from the start): after a pause, or a failure the offer may outlive. */
  async retry(dir: string): Promise<void> {
    const retryable = this.view.state === 'paused' || (this.view.state === 'failed' && this.view.retryable === true);
    if (!retryable || this.ending || this.publishing) return;
    if (!this.hooks.connected()) throw new PortholeError('not-connected', 'You are not connected to the room right now.');
    this.shown.set('receiving');
    await this.enqueue(() => this.carryOn(dir));
  }

  /** The host's files-stream for this offer. */
  streamStarted(stream: number, from: number): void {
    const r = this.receiver;
    // None: a stream already on its way when this side cancelled or paused.
    if (!r || r.stream === stream) return;
    const beforePrevious = r.previousStream;
    if (!this.hooks.attachStream(stream, this)) return this.breakRule();
    if (!r.takeStream(stream, from)) {
      this.hooks.retireStream(stream);
      return this.breakRule();
    }
    if (beforePrevious !== undefined) this.hooks.retireStream(beforePrevious);
  }

  /** A data frame of one of this offer's streams; false when it breaks the order. */
  data(stream: number, position: number, payload: Buffer): boolean {
    const r = this.receiver;
    // The stream the host moved this offer from: its late data is not for us any more.
    if (!r || stream !== r.stream) return true;
    if (!r.takeData(position, payload)) {
      this.breakRule();
      return false;
    }
    this.shown.progress(this.fileBytes(r.position));
    return true;
  }

  /** A checksum frame; false when it is out of order. */
  sum(stream: number, index: number, sha256: Buffer): boolean {
    const r = this.receiver;
    if (!r || (stream !== r.stream && stream !== r.previousStream)) return true;
    if (r.takeSum(index, sha256.toString('hex'))) return true;
    this.breakRule();
    return false;
  }

  /** The offer is over for this member (files-ended). */
  ended(reason: Files2EndReason): void {
    void this.enqueue(async () => {
      // A cancel from this side is on its way and says the last word.
      if (this.publishing || this.ending) return;
      if (this.shown.final) {
        if (this.view.retryable && !PAUSING.has(reason)) await this.forget();
        return;
      }
      if (this.view.state === 'offered') return this.shown.ended(endState(reason), reason);
      await this.dropReceiver('stop');
      if (reason === 'stalled' && this.stallResumes === 0 && this.hooks.connected()) {
        this.stallResumes++;
        return this.resume();
      }
      if (PAUSING.has(reason) && this.store && (await this.kept.something(this.store))) return this.pause(reason);
      await this.removeStore();
      this.shown.ended(endState(reason), reason, undefined, reason === 'stalled');
    });
  }

  connectionLost(): void {
    void this.enqueue(async () => {
      if (this.view.state === 'receiving' && !this.finished && !this.publishing) await this.pause('connection-lost');
    });
  }

  /** The session ends: stop writing, close every file, keep the data for a resume after a restart. */
  close(): Promise<void> {
    return this.enqueue(async () => {
      if (this.publishing) return;
      if (this.view.state === 'receiving' && !this.finished) return this.pause('connection-lost');
      await this.dropReceiver('stop');
      if (this.store && !this.shown.final) await this.saveState();
      this.stopSaveTimer();
    });
  }

  /** A newer offer of the same key takes the kept data over: this one stops. Resolves with its download folder. */
  handOver(to: string): Promise<string | undefined> {
    let dir: string | undefined;
    return this.enqueue(async () => {
      dir = this.realDir;
      const wasReceiving = this.view.state === 'receiving' && !this.finished;
      await this.dropReceiver('stop');
      if (this.store) await this.saveState();
      this.store = undefined;
      this.stopSaveTimer();
      if (wasReceiving) this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'cancelled' });
      if (!this.shown.final) this.shown.ended('cancelled', 'cancelled', `It was offered again as #${to} and continues there.`);
      else this.shown.notRetryable();
    }).then(() => dir);
  }

  // ---- accepting and resuming ------------------------------------------------------

  /** Opens the kept data in `dir` (taking it over from an older offer of the same key), then accepts. */
  private async begin(dir: string): Promise<void> {
    if (this.ending) return;
    this.shown.set('receiving');
    try {
      await this.hooks.claimStore(this);
      this.dir = dir;
      this.realDir = await prepareDownloadDir(dir);
      this.store = await PartialStore.open(this.realDir, this.key);
      const kept = await KeptProgress.load(this.store, this.offer);
      if (!kept) {
        // Nothing usable for this offer: start clean.
        await this.store.remove();
        this.store = await PartialStore.open(this.realDir, this.key);
      }
      this.kept = kept ?? new KeptProgress(this.offer);
    } catch {
      return this.fail('write-failed');
    }
    await this.resume();
  }

  /** Accepts again: from the kept data when there is a store, else as at first (into the folder chosen before). */
  private async carryOn(dir: string): Promise<void> {
    if (this.store) return this.resume();
    return this.begin(this.dir ?? dir);
  }

  /** Works out where to continue, reads back the file it continues in, checks room, and sends files-accept. */
  private async resume(): Promise<void> {
    await this.dropReceiver('stop');
    const store = this.store;
    const realDir = this.realDir;
    if (!store || !realDir || this.ending) return;
    let point: ResumePoint;
    let resumed: ReceiverStart['resumed'];
    try {
      point = await this.kept.resumePoint(store);
      if (!(await hasRoomFor(realDir, this.dataEnd - point.from))) return this.fail('disk-full');
      resumed = point.onDisk > 0 ? await readBack(store, point.index, point.onDisk) : undefined;
      await this.saveState();
    } catch {
      return this.fail('write-failed');
    }
    if (this.finished || !this.hooks.connected()) {
      await resumed?.handle.close();
      if (!this.finished) await this.pause('connection-lost');
      return;
    }
    this.kept.forgetAhead();
    this.pendingManifest = undefined;
    this.receiver = this.newReceiver(store, point.from, resumed);
    this.hooks.send({ type: 'files-accept', offer: this.offer.offer, from: point.from });
    this.shown.restart(this.fileBytes(point.from));
  }

  private newReceiver(store: PartialStore, from: number, resumed: ReceiverStart['resumed']): StreamReceiver {
    const current = () => this.receiver === r;
    const hooks: ReceiverHooks = {
      ack: (stream, bytes) => {
        if (!current()) return;
        this.stallResumes = 0;
        this.hooks.send({ type: 'files-ack', stream, bytes });
      },
      manifestIn: (bytes) => this.manifestIn(bytes),
      checked: (index, ok, sha) => void this.enqueue(() => (current() ? this.checked(index, ok, sha) : undefined)),
      writeFailed: (reason) => void this.enqueue(() => (current() ? this.fail(reason) : undefined)),
      allWritten: () => void this.enqueue(() => (current() ? this.maybeFinish() : undefined)),
    };
    const r: StreamReceiver = new StreamReceiver(
      {
        from,
        dataEnd: this.dataEnd,
        manifestBytes: this.offer.manifest,
        files: this.offer.files,
        layout: this.kept.layout,
        resumed,
        isVerified: (index) => this.kept.isVerified(index),
      },
      store,
      hooks,
    );
    return r;
  }

  // ---- what the receiver reports ---------------------------------------------------

  private manifestIn(bytes: Buffer): DataLayout | undefined {
    try {
      const manifest = decodeManifest(bytes, { files: this.offer.files, bytes: this.offer.bytes });
      this.pendingManifest = { bytes, manifest };
      return new DataLayout(
        this.offer.manifest,
        manifest.files.map((f) => f.size),
      );
    } catch {
      queueMicrotask(() => this.breakRule());
      return undefined;
    }
  }

  private async checked(index: number, ok: boolean, sha: string): Promise<void> {
    if (!ok) return this.mismatch(index);
    if (index === 0) {
      const pending = this.pendingManifest;
      if (!pending || !this.store) return;
      await this.store.writeManifest(pending.bytes);
      this.kept.manifestVerified(pending.manifest, sha);
      this.pendingManifest = undefined;
    } else this.kept.fileVerified(index, sha);
    this.saveStateSoon();
    await this.maybeFinish();
  }

  /** A file did not match its checksum: drop it and fetch it again from its start, once. */
  private async mismatch(index: number): Promise<void> {
    await this.dropReceiver('abort');
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'hash-mismatch' });
    const seen = this.mismatches.get(index) ?? 0;
    if (seen > 0) {
      await this.removeStore();
      return this.shown.ended('failed', 'hash-mismatch');
    }
    this.mismatches.set(index, seen + 1);
    if (index > 0) await this.store?.removeData(index);
    await this.resume();
  }

  /** Once every byte is on disk and every file verified: into the download folder, files-saved, kept data gone. */
  private async maybeFinish(): Promise<void> {
    const r = this.receiver;
    if (!r || r.stream === undefined || r.written !== this.dataEnd || this.publishing) return;
    const { store, realDir, kept } = this;
    if (!kept.complete || !store || !realDir) return;
    this.publishing = true;
    r.ackWritten(); // the host must have every byte acked before files-saved
    await this.dropReceiver('stop');
    let savedPath: string;
    try {
      savedPath = await publishKept(realDir, store, this.offer.name, kept.manifest);
    } catch {
      this.publishing = false;
      this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'write-failed' });
      await this.removeStore();
      return this.shown.ended('failed', 'write-failed');
    }
    this.hooks.send({ type: 'files-saved', offer: this.offer.offer });
    await this.removeStore();
    this.publishing = false;
    this.shown.done(savedPath, this.offer.manifest === 0 ? kept.shas[0] : undefined);
  }

  // ---- ends ----------------------------------------------------------------------

  /** A frame or stream broke the protocol: the part ends with bad-data; what was verified stays for a retry. */
  private breakRule(): void {
    const r = this.receiver;
    if (!r) return;
    const dropping = this.dropReceiver('abort');
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'bad-data' });
    void this.enqueue(async () => {
      await dropping;
      // A newer accept (the offer came again) replaced that receiver meanwhile.
      if (this.receiver || this.finished) return;
      await this.saveState().catch(() => {});
      this.shown.ended('failed', 'bad-data', undefined, true);
    });
  }

  /** Ends this side with `reason` (the host told with files-cancel), keeping the data for a retry. */
  private async fail(reason: 'disk-full' | 'write-failed'): Promise<void> {
    await this.dropReceiver('abort');
    if (this.finished) return;
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason });
    await this.saveState().catch(() => {});
    this.shown.ended('failed', reason, undefined, true);
  }

  private async pause(reason: Files2EndReason): Promise<void> {
    await this.dropReceiver('stop');
    await this.saveState().catch(() => {});
    this.shown.paused(reason);
  }

  /** A failed offer's kept data goes (cancelled after the failure, or the offer is over). */
  private async forget(): Promise<void> {
    await this.removeStore();
    this.shown.notRetryable();
  }

  /** Bytes of file data below data offset `position` (the manifest's are not the person's). */
  private fileBytes(position: number): number {
    return Math.min(this.offer.bytes, Math.max(0, position - this.offer.manifest));
  }

  // ---- helpers -------------------------------------------------------------------

  /** Detaches the receiver at once (its streams are dropped from now on); resolves once its files are closed. */
  private async dropReceiver(how: 'stop' | 'abort'): Promise<void> {
    const r = this.receiver;
    if (!r) return;
    this.receiver = undefined;
    if (r.stream !== undefined) this.hooks.retireStream(r.stream);
    if (r.previousStream !== undefined) this.hooks.retireStream(r.previousStream);
    await (how === 'stop' ? r.stop() : r.abort());
  }

  private async removeStore(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    this.kept = new KeptProgress(this.offer);
    this.stopSaveTimer();
    this.hooks.releaseStore(this);
    await store?.remove();
  }

  private async saveState(): Promise<void> {
    this.stopSaveTimer();
    const store = this.store;
    if (!store) return;
    await store.writeState(this.kept.state());
  }

  /** Verified files are saved in state.json at most once a second (a bundle may verify thousands a second). */
  private saveStateSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.enqueue(() => this.saveState());
    }, 1000);
    this.saveTimer.unref();
  }

  private stopSaveTimer(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
  }

  /** Runs disk work one task at a time; a task that throws fails the transfer (write-failed) instead of vanishing. */
  private enqueue(task: () => Promise<void> | void): Promise<void> {
    const run = this.work.then(task).catch(() => this.fail('write-failed').catch(() => {}));
    this.work = run;
    return run;
  }
}

/** The final state for an end the host announced. */
const endState = (reason: Files2EndReason) => (reason === 'cancelled' || reason === 'declined' ? reason : 'failed');
