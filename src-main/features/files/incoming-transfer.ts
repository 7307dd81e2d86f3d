import { CHUNK_HEADER_BYTES, chunkPayload } from './chunk-frame';
import { hasRoomFor, prepareDownloadDir } from './download-folder';
import { FileReceiver } from './file-receiver';
import type { HubLink } from './member-link';
import { ProgressMeter } from './progress-meter';
import { safeFileName } from './safe-file-name';
import { isFinalState, percentOf, reasonSentence, type TransferPeer, type TransferView } from './transfer-events';
import type { EndReason } from './transfer-messages';

/** A file someone offers this member: the answer, then receiving, verifying and saving it. */
export class IncomingTransfer {
  readonly view: TransferView;
  private receiver: FileReceiver | undefined;
  private readonly meter = new ProgressMeter();
  /** Set as soon as an end is decided, before the `.part` file is gone and the end reported. */
  private ending = false;

  constructor(
    id: string,
    readonly wireId: number,
    offeredName: string,
    size: number,
    from: TransferPeer,
    private readonly link: () => HubLink | undefined,
    private readonly changed: (view: TransferView) => void,
  ) {
    const fileName = safeFileName(offeredName);
    this.view = { id, direction: 'incoming', fileName, size, from, state: 'offered', bytes: 0, percent: 0, bytesPerSecond: 0 };
  }

  get finished(): boolean {
    return this.ending || isFinalState(this.view.state);
  }

  /** Checks free space, creates the `.part` file, then tells the host yes. */
  async accept(downloadDir: string): Promise<void> {
    if (this.view.state !== 'offered') return;
    this.view.state = 'receiving';
    try {
      const realDir = await prepareDownloadDir(downloadDir);
      if (!(await hasRoomFor(realDir, this.view.size))) return this.refuse('disk-full');
      const receiver = await FileReceiver.open(realDir, this.view.fileName, this.view.size, {
        ack: (bytes) => this.link()?.control({ type: 'file-ack', transfer: this.wireId, bytes }),
        saved: (path, sha256) => this.saved(path, sha256),
        failed: (reason) => this.failed(reason, true),
      });
      if (this.finished) return void (await receiver.abort()); // ended while the file was being made
      this.receiver = receiver;
    } catch {
      return this.refuse('write-failed');
    }
    this.link()?.control({ type: 'file-answer', transfer: this.wireId, accept: true });
    this.changed(this.view);
  }

  decline(): void {
    if (this.view.state !== 'offered') return;
    this.link()?.control({ type: 'file-answer', transfer: this.wireId, accept: false });
    this.end('declined', 'declined');
  }

  /** Cancels from this side: the host and sender are told, the `.part` file goes. */
  cancel(): void {
    // Once verified the file is being moved into place: it arrives, rather than half-cancelling.
    if (this.finished || this.receiver?.publishing) return;
    if (this.view.state === 'offered') return this.decline();
    this.link()?.control({ type: 'file-cancel', transfer: this.wireId, reason: 'cancelled' });
    this.endAfterCleanup('cancelled', 'cancelled');
  }

  /** A chunk for this transfer; false when it broke the order or size. */
  chunk(frame: Buffer, offset: number): boolean {
    if (!this.receiver || this.finished) return true;
    if (!this.receiver.take(offset, chunkPayload(frame))) return false;
    this.view.bytes = offset + frame.length - CHUNK_HEADER_BYTES;
    if (this.meter.record(this.view.bytes)) this.report();
    return true;
  }

  /** The sender's checksum arrived. */
  senderEnded(sha256: string): void {
    // The host sends it only to recipients that accepted, so the receiver exists by then.
    this.receiver?.end(sha256);
  }

  /** The host or sender ended it (`reason` says why); resolves once nothing is left on disk. */
  stop(reason: EndReason): Promise<void> {
    if (this.finished || this.receiver?.publishing) return Promise.resolve();
    return this.endAfterCleanup(reason === 'cancelled' ? 'cancelled' : 'failed', reason);
  }

  /** Reports the end only once the `.part` file is gone, so nobody sees a half file afterwards. */
  private endAfterCleanup(state: TransferView['state'], reason: EndReason): Promise<void> {
    this.ending = true;
    return (this.receiver?.abort() ?? Promise.resolve()).then(() => this.end(state, reason));
  }

  /** Says no with a reason (a cancel before answering), so the sender sees why. */
  private refuse(reason: EndReason): void {
    this.link()?.control({ type: 'file-cancel', transfer: this.wireId, reason });
    this.end('failed', reason);
  }

  private saved(path: string, sha256: string): void {
    this.link()?.control({ type: 'file-saved', transfer: this.wireId });
    Object.assign(this.view, { state: 'done', bytes: this.view.size, percent: 100, savedPath: path, sha256 });
    this.changed(this.view);
  }

  private failed(reason: EndReason, tellHost: boolean): void {
    if (isFinalState(this.view.state)) return;
    if (tellHost) this.link()?.control({ type: 'file-cancel', transfer: this.wireId, reason });
    this.end('failed', reason);
  }

  private end(state: TransferView['state'], reason: EndReason): void {
    Object.assign(this.view, { state, reason, message: reasonSentence(reason), bytesPerSecond: 0 });
    this.changed(this.view);
  }

  private report(): void {
    this.view.percent = percentOf(this.view.bytes, this.view.size);
    this.view.bytesPerSecond = this.meter.bytesPerSecond();
    this.changed(this.view);
  }
}
