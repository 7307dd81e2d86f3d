import type { BundleSource } from '../bundle-scan';

/**
 * One checksummed piece of an offer's data (PROTOCOL.md §11): the manifest (index 0, bundles
 * only) or a file (index 1 and up, in manifest order), at its place in the data.
 */
export interface Segment {
  readonly index: number;
  readonly start: number;
  readonly size: number;
  /** The file to read; absent for the manifest, whose bytes are in memory. */
  readonly source?: BundleSource;
}

/** An offer's data space: the manifest's bytes (none for a single file), then the files back to back. */
export class DataSpace {
  readonly segments: readonly Segment[];
  readonly length: number;

  constructor(
    readonly manifest: Buffer,
    sources: readonly BundleSource[],
  ) {
    const segments: Segment[] = [];
    let at = 0;
    if (manifest.length > 0) {
      segments.push({ index: 0, start: 0, size: manifest.length });
      at = manifest.length;
    }
    for (const [i, source] of sources.entries()) {
      segments.push({ index: i + 1, start: at, size: source.size, source });
      at += source.size;
    }
    this.segments = segments;
    this.length = at;
  }

  /**
   * The first segment a stream starting at `from` sends a checksum for: the first that ends after
   * `from`, or an empty file lying at `from` or later (its checksum goes once the data before it
   * has been sent; sent again at a resume from exactly there, as the recipient may have missed it).
   */
  firstSummed(from: number): number {
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const s = this.segments[mid]!;
      if (s.start + s.size > from || (s.size === 0 && s.start >= from)) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
