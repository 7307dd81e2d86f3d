/** Speed over a sliding few seconds, and whether enough time passed to report progress again. */
export class ProgressMeter {
  private samples: Array<{ at: number; bytes: number }> = [];
  private lastReport = 0;

  constructor(
    private readonly reportEveryMs = 250,
    private readonly windowMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the byte count; true when a progress report is due. */
  record(bytes: number): boolean {
    const at = this.now();
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
    if (at - this.lastReport < this.reportEveryMs) return false;
    this.lastReport = at;
    return true;
  }

  /** Bytes per second over the recent window. */
  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 1) return 0;
    return Math.round(((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }
}
