import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransferView } from '../../../src-main/features/files/transfer-events';
import { DATA_BYTES, FRAME_HEADER_BYTES, KIND_DATA, sumFrame, writeFrameHeader } from '../../../src-main/features/files/v2/files2-frames';
import type { Files2ClientMessage, Files2Offered } from '../../../src-main/features/files/v2/files2-messages';
import { encodeManifest, type Manifest } from '../../../src-main/features/files/v2/manifest';
import { IncomingOffers } from '../../../src-main/features/files/v2/incoming/incoming-offers';

/**
 * The host and sender around IncomingOffers, for tests: builds an offer's data (manifest, then
 * files back to back) and the real frames a sender would send, and records what the recipient
 * sends and shows.
 */

export const tempDir = (label: string) => mkdtemp(join(tmpdir(), `porthole-incoming-${label}-`));

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

export const newKey = () => randomBytes(16).toString('base64url');

/** One offer's content as a sender has it. */
export class SentOffer {
  readonly data: Buffer;
  readonly manifestBytes: number;
  /** Where each file (1-based; 0 = the manifest) starts and ends in the data. */
  readonly bounds: Array<{ start: number; end: number; sha: Buffer }>;

  constructor(
    readonly name: string,
    readonly files: Array<{ path: string; content: Buffer }>,
    readonly folders: string[] = [],
    /** One file sent as such (manifest 0) rather than a bundle. */
    readonly single = files.length === 1 && folders.length === 0,
  ) {
    const manifest: Manifest = { files: files.map((f) => ({ path: f.path, size: f.content.length })), folders };
    const manifestData = single ? Buffer.alloc(0) : encodeManifest(manifest);
    this.manifestBytes = manifestData.length;
    this.data = Buffer.concat([manifestData, ...files.map((f) => f.content)]);
    this.bounds = [{ start: 0, end: manifestData.length, sha: sha256(manifestData) }];
    let at = manifestData.length;
    for (const f of files) {
      this.bounds.push({ start: at, end: at + f.content.length, sha: sha256(f.content) });
      at += f.content.length;
    }
  }

  get bytes(): number {
    return this.data.length - this.manifestBytes;
  }

  offered(offer: number, key: string, from = 'alice'): Files2Offered {
    return {
      type: 'files-offered',
      offer,
      key,
      from,
      name: this.name,
      files: this.files.length,
      bytes: this.bytes,
      manifest: this.manifestBytes,
      at: Date.now(),
    };
  }

  /**
   * The frames of a stream from `from` to `to` (default: the end), as PROTOCOL.md §11 orders
   * them: data frames of at most `frameBytes`, and after the frame holding a file's last byte
   * that file's checksum (an empty file's once the data before it went), for every file that
   * ends after the stream's start. `lie` replaces a file's checksum.
   */
  frames(stream: number, from: number, options: { to?: number; frameBytes?: number; lie?: Map<number, Buffer> } = {}): Buffer[] {
    const to = options.to ?? this.data.length;
    const frameBytes = options.frameBytes ?? DATA_BYTES;
    const frames: Buffer[] = [];
    let nextSum = this.bounds.findIndex(
      (b, i) => (i > 0 || this.manifestBytes > 0) && (b.end > from || (b.start === b.end && b.start >= from)),
    );
    if (nextSum < 0) nextSum = this.bounds.length;
    const sumsUpTo = (sent: number) => {
      while (nextSum < this.bounds.length && this.bounds[nextSum]!.end <= sent) {
        frames.push(sumFrame(stream, nextSum, options.lie?.get(nextSum) ?? this.bounds[nextSum]!.sha));
        nextSum++;
      }
    };
    sumsUpTo(from);
    for (let at = from; at < to; ) {
      const n = Math.min(frameBytes, to - at);
      frames.push(dataFrame(stream, at, this.data.subarray(at, at + n)));
      at += n;
      sumsUpTo(at);
    }
    return frames;
  }
}

export function dataFrame(stream: number, position: number, payload: Buffer): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + payload.length);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return writeFrameHeader(frame, KIND_DATA, stream, position);
}

/** An IncomingOffers with its hooks recorded. */
export class Recipient {
  readonly sent: Files2ClientMessage[] = [];
  readonly events: Array<{ view: TransferView; isNew: boolean }> = [];
  readonly offers: IncomingOffers;
  /** Per stream, where its data frames fed so far end (what the host delivered). */
  private readonly delivered = new Map<number, number>();
  /** Acks that covered bytes their stream had not delivered when they were sent (the host fails those). */
  readonly acksPastDelivered: Array<{ stream: number; bytes: number; delivered: number }> = [];

  constructor(
    readonly dir: string,
    options: { autoAccept?: boolean } = {},
  ) {
    this.offers = new IncomingOffers(
      { downloadDir: dir, ...options },
      {
        send: (m) => {
          this.sent.push(m);
          const delivered = m.type === 'files-ack' ? (this.delivered.get(m.stream) ?? 0) : 0;
          if (m.type === 'files-ack' && m.bytes > delivered) this.acksPastDelivered.push({ stream: m.stream, bytes: m.bytes, delivered });
        },
        changed: (view, isNew) => this.events.push({ view, isNew }),
        peer: (id) => ({ id, name: id === 'alice' ? 'Alice' : 'someone who left' }),
      },
    );
  }

  /** The latest view of transfer `id`. */
  view(id: string): TransferView | undefined {
    return this.events.filter((e) => e.view.id === id).at(-1)?.view;
  }

  ofType<T extends Files2ClientMessage['type']>(type: T): Array<Extract<Files2ClientMessage, { type: T }>> {
    return this.sent.filter((m): m is Extract<Files2ClientMessage, { type: T }> => m.type === type);
  }

  /** Feeds frames; every one must be taken. */
  feed(frames: Buffer[]): void {
    for (const [i, frame] of frames.entries()) {
      if (frame[0] === KIND_DATA) {
        const stream = frame.readUInt32BE(4);
        const end = Number(frame.readBigUInt64BE(8)) + frame.length - FRAME_HEADER_BYTES;
        this.delivered.set(stream, Math.max(this.delivered.get(stream) ?? 0, end));
      }
      if (!this.offers.frame(frame)) throw new Error(`frame ${i} of ${frames.length} was refused`);
    }
  }

  /** Waits until the nth (1-based) message of `type` was sent; returns it. */
  async nth<T extends Files2ClientMessage['type']>(type: T, n = 1): Promise<Extract<Files2ClientMessage, { type: T }>> {
    await until(
      () => this.ofType(type).length >= n,
      () => `${n} × ${type} (sent: ${this.sent.map((m) => m.type).join(', ')})`,
    );
    return this.ofType(type)[n - 1]!;
  }

  async state(id: string, state: TransferView['state']): Promise<TransferView> {
    await until(
      () => this.view(id)?.state === state,
      () => `#${id} ${state} (now ${this.view(id)?.state} ${this.view(id)?.reason ?? ''})`,
    );
    return this.view(id)!;
  }
}

export async function until(check: () => boolean, what: string | (() => string) = 'the condition', ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The entries of the kept-data folder (empty when there is none). */
export const keptStores = (dir: string) => readdir(join(dir, '.porthole-partial')).catch(() => [] as string[]);
