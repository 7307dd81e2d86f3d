/**
 * Where each file lies in an offer's data (PROTOCOL.md §11): the manifest's bytes first (a
 * bundle), then every file's bytes back to back in manifest order. Files are numbered from 1
 * as the checksum frames number them; index 0 is the manifest.
 */
export class DataLayout {
  /** starts[i] is where file i begins (starts[0] = 0, the manifest); starts[files + 1] is the data's end. */
  private readonly starts: number[];

  constructor(
    readonly manifestBytes: number,
    private readonly sizes: readonly number[],
  ) {
    this.starts = [0, manifestBytes];
    for (const size of sizes) this.starts.push(this.starts[this.starts.length - 1]! + size);
  }

  get files(): number {
    return this.sizes.length;
  }

  /** The data's length: manifest and every file. */
  get end(): number {
    return this.starts[this.starts.length - 1]!;
  }

  /** Where file `index` (0 = the manifest) begins. */
  start(index: number): number {
    return this.starts[index]!;
  }

  /** Where file `index` (0 = the manifest) ends (exclusive). */
  endOf(index: number): number {
    return this.starts[index + 1]!;
  }

  /** File `index`'s size (0 = the manifest). */
  size(index: number): number {
    return index === 0 ? this.manifestBytes : this.sizes[index - 1]!;
  }

  /**
   * The file (≥ `from`, as data is read in order) that holds the byte at `position`: empty
   * files hold none and are passed over.
   */
  fileAt(position: number, from = 1): number {
    let index = Math.max(1, from);
    while (index <= this.files && this.endOf(index) <= position) index++;
    return index;
  }
}
