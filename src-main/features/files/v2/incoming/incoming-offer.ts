import { createHash, type Hash } from 'node:crypto';
import { realpath, type FileHandle } from 'node:fs/promises';
import { PortholeError } from '../../../../wire/errors';
import { hasRoomFor, prepareDownloadDir } from '../../download-folder';
import { ProgressMeter } from '../../progress-meter';
import { safeFileName } from '../../safe-file-name';
import {
  isFinalState,
  percentOf,
  reasonSentence,
  secondsLeft,
  type TransferPeer,
  type TransferState,
  type TransferView,
} from '../../transfer-events';
import type { Files2ClientMessage, Files2EndReason, Files2Offered } from '../files2-messages';
import { decodeManifest, type Manifest } from '../manifest';
import { DataLayout } from './data-layout';
import { keptFor } from './kept-state';
import { PartialStore } from './partial-store';
import { publishKept } from './publish';
import { EMPTY_SHA256, type ReceiverHooks, type ReceiverStart, StreamReceiver } from './stream-receiver';

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

/** Verified progress, what a resume continues from. */
interface Kept {
  /** One file: known at once. A bundle: once its manifest was verified. */
  layout: DataLayout | undefined;
  manifest: Manifest | undefined;
  manifestSha: string | undefined;
  /** SHA-256 of files 1, 2, … verified so far. */
  shas: string[];
}

/**
 * One offer someone made to this member (PROTOCOL.md §11), from the question to the saved file
 * or folder: accepting (from what was kept, when there is something), one StreamReceiver per
 * accept, checking each file, re-fetching a file whose checksum did not match (once), pausing
 * when the connection or the sender goes, and publishing once every file is verified. Work that
 * touches the disk runs one task at a time, in order; frames are taken synchronously.
 */
export class IncomingOffer {
  readonly view: TransferView;
  /** Shown to the person (an 'offer' event went out, or it resumed by itself). */
  announced = false;
  private offer: Files2Offered;
  private dir: string | undefined;
  private realDir: string | undefined;
  private store: PartialStore | undefined;
  private kept: Kept;
  private pendingManifest: { bytes: Buffer; manifest: Manifest; layout: DataLayout } | undefined;
  private readonly okShas = new Map<number, string>();
  private readonly mismatches = new Map<number, number>();
  private receiver: StreamReceiver | undefined;
  private meter = new ProgressMeter();
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
    this.kept = this.nothingKept();
    this.view = {
      id: String(offer.offer),
      direction: 'incoming',
      fileName: safeFileName(offer.name),
      size: offer.bytes,
      ...(offer.manifest > 0 ? { files: offer.files } : {}),
      from,
      state: 'offered',
      bytes: 0,
      percent: 0,
      bytesPerSecond: 0,
    };
  }

  get key(): string {
    return this.offer.key;
  }

  get holdsStore(): boolean {
    return this.store !== undefined;
  }

  get finished(): boolean {
    return this.ending || isFinalState(this.view.state);
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
      this.announce(true);
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
    this.setState('receiving');
    await this.enqueue(() => this.begin(dir));
  }

  decline(): void {
    if (this.view.state !== 'offered' || this.finished) return;
    this.hooks.send({ type: 'files-decline', offer: this.offer.offer });
    this.end('declined', 'declined');
  }

  /** Stops receiving from this side: the host is told, kept data goes. */
  cancel(): void {
    if (this.view.state === 'offered') return this.decline();
    if (this.publishing || this.ending) return;
    if (isFinalState(this.view.state)) {
      if (this.view.retryable) void this.enqueue(() => this.forget());
      return;
    }
    this.ending = true;
    const dropping = this.dropReceiver('abort');
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'cancelled' });
    void this.enqueue(async () => {
      await dropping;
      await this.removeStore();
      this.end('cancelled', 'cancelled');
    });
  }

  /** Accepts again from what was kept (or from the start): after a pause, or a failure the offer may outlive. */
  async retry(dir: string): Promise<void> {
    const retryable = this.view.state === 'paused' || (this.view.state === 'failed' && this.view.retryable === true);
    if (!retryable || this.ending || this.publishing) return;
    if (!this.hooks.connected()) throw new PortholeError('not-connected', 'You are not connected to the room right now.');
    this.setState('receiving');
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
    this.view.bytes = Math.min(this.offer.bytes, Math.max(0, r.position - this.offer.manifest));
    if (this.meter.record(this.view.bytes)) this.report();
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
      if (this.publishing) return;
      if (isFinalState(this.view.state)) {
        if (this.view.retryable && !PAUSING.has(reason)) await this.forget();
        return;
      }
      if (this.view.state === 'offered') return this.end(reason === 'cancelled' || reason === 'declined' ? reason : 'failed', reason);
      await this.dropReceiver('stop');
      if (reason === 'stalled' && this.stallResumes === 0 && this.hooks.connected()) {
        this.stallResumes++;
        return this.resume();
      }
      if (PAUSING.has(reason) && (await this.keptSomething())) return this.pause(reason);
      await this.removeStore();
      this.end(reason === 'cancelled' || reason === 'declined' ? reason : 'failed', reason, undefined, reason === 'stalled');
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
      if (this.store && !isFinalState(this.view.state)) await this.saveState();
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
      if (!isFinalState(this.view.state)) this.end('cancelled', 'cancelled', `It was offered again as #${to} and continues there.`);
      else if (this.view.retryable) {
        this.view.retryable = false;
        this.announce(false);
      }
    }).then(() => dir);
  }

  // ---- accepting and resuming ------------------------------------------------------

  /** Opens the kept data in `dir` (taking it over from an older offer of the same key), then accepts. */
  private async begin(dir: string): Promise<void> {
    if (this.ending) return;
    this.setState('receiving');
    try {
      await this.hooks.claimStore(this);
      this.dir = dir;
      this.realDir = await prepareDownloadDir(dir);
      this.store = await PartialStore.open(this.realDir, this.key);
      await this.loadKept(this.store, this.realDir);
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
    const store = this.store;
    const realDir = this.realDir;
    if (!store || !realDir || this.ending) return;
    let point: { from: number; index: number; onDisk: number };
    let resumed: { index: number; handle: FileHandle; hash: Hash } | undefined;
    try {
      point = await this.resumePoint(store);
      if (!(await hasRoomFor(realDir, this.dataEnd - point.from))) return this.fail('disk-full');
      resumed = point.onDisk > 0 ? await readBack(store, point.index, point.onDisk) : undefined;
      await this.saveState();
    } catch {
      return this.fail('write-failed');
    }
    if (this.ending || isFinalState(this.view.state) || !this.hooks.connected()) {
      await resumed?.handle.close();
      if (!this.finished) await this.pause('connection-lost');
      return;
    }
    this.okShas.clear();
    this.pendingManifest = undefined;
    this.receiver = this.newReceiver(store, point.from, resumed);
    this.meter = new ProgressMeter();
    this.view.bytes = Math.min(this.offer.bytes, Math.max(0, point.from - this.offer.manifest));
    this.setState('receiving');
    this.hooks.send({ type: 'files-accept', offer: this.offer.offer, from: point.from });
    this.announce(false);
  }

  /**
   * Where the data continues: the first file not verified, from the bytes of it on disk. A file
   * whole on disk but not verified continues at its last byte, so its checksum comes again
   * (a stream sends only the checksums of files that end after its start).
   */
  private async resumePoint(store: PartialStore): Promise<{ from: number; index: number; onDisk: number }> {
    const layout = this.kept.layout;
    if (!layout) return { from: 0, index: 0, onDisk: 0 };
    const index = this.kept.shas.length + 1;
    if (index > layout.files) return { from: layout.end, index, onDisk: 0 };
    const size = layout.size(index);
    const onDisk = Math.min(await store.dataSize(index), size - 1);
    return { from: layout.start(index) + onDisk, index, onDisk };
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
        isVerified: (index) => (index === 0 ? this.kept.layout !== undefined : index <= this.kept.shas.length),
      },
      store,
      hooks,
    );
    return r;
  }

  /** The kept state when it was made for this offer (else the folder is emptied), with what it says checked against the disk. */
  private async loadKept(store: PartialStore, realDir: string): Promise<void> {
    const state = await store.readState();
    if (!state || !keptFor(state, this.offer)) {
      this.kept = this.nothingKept();
      this.advance();
      await store.remove();
      this.store = await PartialStore.open(realDir, this.key);
      return;
    }
    let layout = this.offer.manifest === 0 ? new DataLayout(0, [this.offer.bytes]) : undefined;
    let manifest: Manifest | undefined;
    if (!layout && state.manifestSha256) {
      const bytes = await store.readManifest();
      if (bytes && sha256(bytes) === state.manifestSha256) {
        try {
          manifest = decodeManifest(bytes, { files: this.offer.files, bytes: this.offer.bytes });
          layout = new DataLayout(
            this.offer.manifest,
            manifest.files.map((f) => f.size),
          );
        } catch {}
      }
    }
    let shas = layout ? state.verified : [];
    // A verified file whose data went missing (or changed size) is fetched again, with what follows it.
    for (let i = 0; layout && i < shas.length; i++) {
      const size = layout.size(i + 1);
      if (size > 0 && (await store.dataSize(i + 1)) !== size) shas = shas.slice(0, i);
    }
    this.kept = { layout, manifest, manifestSha: manifest ? state.manifestSha256 : undefined, shas: [...shas] };
    this.advance();
  }

  // ---- what the receiver reports ---------------------------------------------------

  private manifestIn(bytes: Buffer): DataLayout | undefined {
    try {
      const manifest = decodeManifest(bytes, { files: this.offer.files, bytes: this.offer.bytes });
      const layout = new DataLayout(
        this.offer.manifest,
        manifest.files.map((f) => f.size),
      );
      this.pendingManifest = { bytes, manifest, layout };
      return layout;
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
      this.kept = { ...this.kept, layout: pending.layout, manifest: pending.manifest, manifestSha: sha };
      this.pendingManifest = undefined;
    } else this.okShas.set(index, sha);
    this.advance();
    this.saveStateSoon();
    await this.maybeFinish();
  }

  /** Verified files extend the kept prefix; an empty file needs no bytes and is verified when its turn comes. */
  private advance(): void {
    const layout = this.kept.layout;
    if (!layout) return;
    for (let next = this.kept.shas.length + 1; next <= layout.files; next++) {
      const sha = layout.size(next) === 0 ? EMPTY_SHA256 : this.okShas.get(next);
      if (!sha) break;
      this.kept.shas.push(sha);
      this.okShas.delete(next);
    }
  }

  /** A file did not match its checksum: drop it and fetch it again from its start, once. */
  private async mismatch(index: number): Promise<void> {
    await this.dropReceiver('abort');
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'hash-mismatch' });
    const seen = this.mismatches.get(index) ?? 0;
    if (seen > 0) {
      await this.removeStore();
      return this.end('failed', 'hash-mismatch');
    }
    this.mismatches.set(index, seen + 1);
    if (index > 0) await this.store?.removeData(index);
    await this.resume();
  }

  /** Once every byte is on disk and every file verified: into the download folder, files-saved, kept data gone. */
  private async maybeFinish(): Promise<void> {
    const r = this.receiver;
    const { layout, shas, manifest } = this.kept;
    if (!r || r.stream === undefined || r.written !== this.dataEnd || this.publishing) return;
    if (!layout || shas.length !== layout.files || !this.store || !this.realDir) return;
    this.publishing = true;
    await this.dropReceiver('stop');
    let savedPath: string;
    try {
      savedPath = await publishKept(this.realDir, this.store, this.offer.name, manifest);
    } catch {
      this.publishing = false;
      this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason: 'write-failed' });
      await this.removeStore();
      return this.end('failed', 'write-failed');
    }
    this.hooks.send({ type: 'files-saved', offer: this.offer.offer });
    await this.removeStore();
    this.publishing = false;
    const sha = layout.files === 1 && this.offer.manifest === 0 ? shas[0] : undefined;
    Object.assign(this.view, { bytes: this.offer.bytes, percent: 100, savedPath, ...(sha ? { sha256: sha } : {}) });
    this.end('done', undefined);
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
      this.end('failed', 'bad-data', undefined, true);
    });
  }

  /** Ends this side with `reason` (the host told with files-cancel), keeping the data for a retry. */
  private async fail(reason: 'disk-full' | 'write-failed'): Promise<void> {
    await this.dropReceiver('abort');
    if (this.finished) return;
    this.hooks.send({ type: 'files-cancel', offer: this.offer.offer, reason });
    await this.saveState().catch(() => {});
    this.end('failed', reason, undefined, true);
  }

  private async pause(reason: Files2EndReason): Promise<void> {
    await this.dropReceiver('stop');
    await this.saveState().catch(() => {});
    Object.assign(this.view, { state: 'paused', reason, message: reasonSentence(reason), bytesPerSecond: 0, retryable: true });
    delete this.view.secondsLeft;
    this.announce(false);
  }

  private end(state: TransferState, reason: Files2EndReason | undefined, message?: string, retryable = false): void {
    this.stopSaveTimer();
    Object.assign(this.view, { state, bytesPerSecond: 0, retryable });
    delete this.view.secondsLeft;
    if (reason) Object.assign(this.view, { reason, message: message ?? reasonSentence(reason) });
    else {
      delete this.view.reason;
      delete this.view.message;
    }
    this.ending = false;
    this.announce(false);
  }

  /** A failed offer's kept data goes (cancelled after the failure, or the offer is over). */
  private async forget(): Promise<void> {
    await this.removeStore();
    this.view.retryable = false;
    this.announce(false);
  }

  // ---- helpers -------------------------------------------------------------------

  private async keptSomething(): Promise<boolean> {
    if (!this.store) return false;
    if (this.offer.manifest > 0) return this.kept.layout !== undefined;
    return this.kept.shas.length > 0 || (await this.store.dataSize(1)) > 0;
  }

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
    this.kept = this.nothingKept();
    this.stopSaveTimer();
    this.hooks.releaseStore(this);
    await store?.remove();
  }

  private async saveState(): Promise<void> {
    this.stopSaveTimer();
    const store = this.store;
    if (!store) return;
    const { layout, manifestSha, shas } = this.kept;
    await store.writeState({
      version: 1,
      key: this.offer.key,
      name: this.offer.name,
      files: this.offer.files,
      bytes: this.offer.bytes,
      manifest: this.offer.manifest,
      accepted: true,
      updatedAt: Date.now(),
      ...(manifestSha ? { manifestSha256: manifestSha } : {}),
      verified: shas,
      verifiedUpTo: layout ? layout.start(shas.length + 1) : 0,
    });
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

  private nothingKept(): Kept {
    const layout = this.offer.manifest === 0 ? new DataLayout(0, [this.offer.bytes]) : undefined;
    return { layout, manifest: undefined, manifestSha: undefined, shas: [] };
  }

  private setState(state: TransferState): void {
    if (this.view.state === state) return;
    this.view.state = state;
    delete this.view.reason;
    delete this.view.message;
    delete this.view.retryable;
    this.announce(false);
  }

  private report(): void {
    const bytesPerSecond = this.meter.bytesPerSecond();
    this.view.percent = percentOf(this.view.bytes, this.view.size);
    this.view.bytesPerSecond = bytesPerSecond;
    const left = secondsLeft(this.view.size - this.view.bytes, bytesPerSecond);
    if (left === undefined) delete this.view.secondsLeft;
    else this.view.secondsLeft = left;
    this.announce(false);
  }

  /** Tells the person; `isNew` only for an offer that waits for an answer. */
  private announce(isNew: boolean): void {
    if (!isNew && !this.announced) {
      // Nothing shown yet: only a resume that needs no answer shows it without asking.
      if (this.view.state === 'offered') return;
    }
    this.announced = true;
    this.view.percent = percentOf(this.view.bytes, this.view.size);
    this.hooks.changed({ ...this.view }, isNew);
  }

  /** Runs disk work one task at a time; a task that throws fails the transfer (write-failed) instead of vanishing. */
  private enqueue(task: () => Promise<void> | void): Promise<void> {
    const run = this.work.then(task).catch(() => this.fail('write-failed').catch(() => {}));
    this.work = run;
    return run;
  }
}

/** Opens file `index` cut to its first `onDisk` bytes and hashes them, so the file's digest covers all of it. */
async function readBack(store: PartialStore, index: number, onDisk: number): Promise<{ index: number; handle: FileHandle; hash: Hash }> {
  const handle = await store.openData(index, onDisk);
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(onDisk, 1024 * 1024));
    for (let at = 0; at < onDisk; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, onDisk - at), at);
      if (bytesRead === 0) throw new Error(`The kept data of file ${index} is shorter than it was.`);
      hash.update(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    return { index, handle, hash };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
