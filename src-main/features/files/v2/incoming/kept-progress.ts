import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { decodeManifest, type Manifest } from '../manifest';
import { DataLayout } from './data-layout';
import { type KeptState, keptFor, type OfferShape } from './kept-state';
import type { PartialStore } from './partial-store';
import { EMPTY_SHA256 } from './stream-receiver';

/** Where a resume continues: data offset `from`, inside file `index`, of which `onDisk` bytes are kept. */
export interface ResumePoint {
  from: number;
  index: number;
  onDisk: number;
}

/**
 * What is verified of one offer's data (PROTOCOL.md §11 "Restarts"): a bundle's manifest, then
 * files 1, 2, … in order, each with its SHA-256. Files are checked in data order, so the
 * verified ones are always a prefix; a file checked while an earlier one still waits for its
 * checksum is held until that one is verified. Saved in state.json, read back after a restart
 * and checked against the disk.
 */
export class KeptProgress {
  /** One file: known at once. A bundle: once its manifest was verified. */
  layout: DataLayout | undefined;
  manifest: Manifest | undefined;
  private manifestSha: string | undefined;
  /** SHA-256 of files 1, 2, … verified so far. */
  readonly shas: string[] = [];
  /** Files checked after one that is not verified yet. */
  private readonly ahead = new Map<number, string>();

  constructor(private readonly offer: OfferShape) {
    this.layout = offer.manifest === 0 ? new DataLayout(0, [offer.bytes]) : undefined;
    this.advance();
  }

  /**
   * The progress kept in `store` when it was made for this offer; undefined when it was not (or
   * is unreadable). A bundle's manifest must match the hash kept for it, and a verified file
   * whose data went missing or changed size is fetched again, with every file after it.
   */
  static async load(store: PartialStore, offer: OfferShape): Promise<KeptProgress | undefined> {
    const state = await store.readState();
    if (!state || !keptFor(state, offer)) return undefined;
    const kept = new KeptProgress(offer);
    if (offer.manifest > 0 && state.manifestSha256) {
      const bytes = await store.readManifest();
      if (bytes && sha256Hex(bytes) === state.manifestSha256) {
        try {
          kept.manifestVerified(decodeManifest(bytes, offer), state.manifestSha256);
        } catch {}
      }
    }
    const layout = kept.layout;
    if (!layout) return kept;
    for (const [i, sha] of state.verified.entries()) {
      const size = layout.size(i + 1);
      if (size > 0 && (await store.dataSize(i + 1)) !== size) break;
      kept.shas.push(sha);
    }
    kept.advance();
    return kept;
  }

  /** Index 0 is the manifest (verified once the layout is known). */
  isVerified(index: number): boolean {
    return index === 0 ? this.layout !== undefined : index <= this.shas.length;
  }

  /** Every file verified (and a bundle's manifest). */
  get complete(): boolean {
    return this.layout !== undefined && this.shas.length === this.layout.files;
  }

  /** Anything worth keeping for a resume: a verified manifest or file, or bytes of the first file. */
  async something(store: PartialStore): Promise<boolean> {
    if (this.offer.manifest > 0) return this.layout !== undefined;
    return this.shas.length > 0 || (await store.dataSize(1)) > 0;
  }

  manifestVerified(manifest: Manifest, sha: string): void {
    this.manifest = manifest;
    this.manifestSha = sha;
    this.layout = new DataLayout(
      this.offer.manifest,
      manifest.files.map((f) => f.size),
    );
    this.advance();
  }

  fileVerified(index: number, sha: string): void {
    if (index > this.shas.length) this.ahead.set(index, sha);
    this.advance();
  }

  /** A new accept: checks not yet part of the verified prefix are made again. */
  forgetAhead(): void {
    this.ahead.clear();
  }

  /**
   * Where the data continues: the first file not verified, from the bytes of it on disk. A file
   * whole on disk but not verified continues at its last byte, so its checksum comes again
   * (a stream sends only the checksums of files that end after its start).
   */
  async resumePoint(store: PartialStore): Promise<ResumePoint> {
    const layout = this.layout;
    if (!layout) return { from: 0, index: 0, onDisk: 0 };
    const index = this.shas.length + 1;
    if (index > layout.files) return { from: layout.end, index, onDisk: 0 };
    const onDisk = Math.min(await store.dataSize(index), layout.size(index) - 1);
    return { from: layout.start(index) + onDisk, index, onDisk };
  }

  /** What state.json says. */
  state(): KeptState {
    const { key, name, files, bytes, manifest } = this.offer;
    return {
      version: 1,
      key,
      name,
      files,
      bytes,
      manifest,
      accepted: true,
      updatedAt: Date.now(),
      ...(this.manifestSha ? { manifestSha256: this.manifestSha } : {}),
      verified: [...this.shas],
      verifiedUpTo: this.layout ? this.layout.start(this.shas.length + 1) : 0,
    };
  }

  /** Verified files extend the prefix; an empty file needs no bytes and is verified when its turn comes. */
  private advance(): void {
    const layout = this.layout;
    if (!layout) return;
    for (let next = this.shas.length + 1; next <= layout.files; next++) {
      const sha = layout.size(next) === 0 ? EMPTY_SHA256 : this.ahead.get(next);
      if (!sha) break;
      this.shas.push(sha);
      this.ahead.delete(next);
    }
  }
}

/** Opens file `index` cut to its first `onDisk` bytes and hashes them, so the file's digest covers all of it. */
export async function readBack(
  store: PartialStore,
  index: number,
  onDisk: number,
): Promise<{ index: number; handle: FileHandle; hash: Hash }> {
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

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
