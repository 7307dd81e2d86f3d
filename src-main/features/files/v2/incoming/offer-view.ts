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
import type { Files2EndReason, Files2Offered } from '../files2-messages';

/**
 * What the person sees of one incoming offer: its TransferView, progress with speed and time
 * left (reported at most every 250 ms, and on every change of state), and whether it was shown
 * at all. A copy goes out each time, so nobody holds the live view.
 */
export class OfferView {
  readonly view: TransferView;
  /** Shown to the person (an 'offer' event went out, or it resumed by itself). */
  shown = false;
  private meter = new ProgressMeter();

  constructor(
    offer: Files2Offered,
    from: TransferPeer,
    private readonly changed: (view: TransferView, isNew: boolean) => void,
  ) {
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

  get state(): TransferState {
    return this.view.state;
  }

  get final(): boolean {
    return isFinalState(this.view.state);
  }

  /** Shows the offer as a question (an 'offer' event). */
  ask(): void {
    this.announce(true);
  }

  /** A new state without a reason (receiving again clears the last pause's). */
  set(state: TransferState): void {
    if (this.view.state === state) return;
    this.view.state = state;
    delete this.view.reason;
    delete this.view.message;
    delete this.view.retryable;
    this.announce();
  }

  /** Receiving (again) from `bytes` of file data: speed is measured afresh. */
  restart(bytes: number): void {
    this.meter = new ProgressMeter();
    this.view.bytes = bytes;
    if (this.view.state === 'receiving') this.announce();
    else this.set('receiving');
  }

  /** Bytes of file data received; reported when a report is due. */
  progress(bytes: number): void {
    this.view.bytes = bytes;
    if (!this.meter.record(bytes)) return;
    const bytesPerSecond = this.meter.bytesPerSecond();
    this.view.bytesPerSecond = bytesPerSecond;
    const left = secondsLeft(this.view.size - bytes, bytesPerSecond);
    if (left === undefined) delete this.view.secondsLeft;
    else this.view.secondsLeft = left;
    this.announce();
  }

  paused(reason: Files2EndReason): void {
    this.still({ state: 'paused', reason, message: reasonSentence(reason), retryable: true });
  }

  /** A final state; `message` instead of the reason's sentence. */
  ended(state: TransferState, reason: Files2EndReason, message?: string, retryable = false): void {
    this.still({ state, reason, message: message ?? reasonSentence(reason), retryable });
  }

  done(savedPath: string, sha256: string | undefined): void {
    delete this.view.reason;
    delete this.view.message;
    this.still({ state: 'done', bytes: this.view.size, savedPath, retryable: false, ...(sha256 ? { sha256 } : {}) });
  }

  /** It can no longer be retried (its kept data went). */
  notRetryable(): void {
    if (!this.view.retryable) return;
    this.view.retryable = false;
    this.announce();
  }

  /** Data stopped moving: no speed, no time left. */
  private still(fields: Partial<TransferView>): void {
    Object.assign(this.view, fields, { bytesPerSecond: 0 });
    delete this.view.secondsLeft;
    this.announce();
  }

  /** Only an offer that needs no answer (it resumed by itself) is shown without asking first. */
  private announce(isNew = false): void {
    if (!isNew && !this.shown && this.view.state === 'offered') return;
    this.shown = true;
    this.view.percent = percentOf(this.view.bytes, this.view.size);
    this.changed({ ...this.view }, isNew);
  }
}
