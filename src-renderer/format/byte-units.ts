// Sizes, speeds and remaining time in the words a file manager would use.

import { contentsWords, formatBytes, formatDuration } from '../../src-preload/domain-values';

/** Sizes in decimal SI units ("4.2 MB"), durations ("3 min 20 s") and an offer's contents ("312 files, 2.1 GB"): the CLI's too. */
export { contentsWords, formatBytes, formatDuration };

/** A transfer speed, e.g. "1.5 MB/s"; null while nothing is moving. */
export function formatSpeed(bytesPerSecond: number): string | null {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return null;
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds until `remaining` bytes arrive at `bytesPerSecond`; null when unknown. */
export function secondsLeft(remaining: number, bytesPerSecond: number): number | null {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0 || !Number.isFinite(remaining)) return null;
  return Math.max(0, Math.ceil(remaining / bytesPerSecond));
}

/**
 * "3 min 20 s left" for a transfer, or null while the speed is unknown. `reported`: the time left
 * main worked out (TransferView.secondsLeft), used when present.
 */
export function timeLeftWords(size: number, bytes: number, bytesPerSecond: number, reported?: number): string | null {
  const seconds = reported !== undefined && Number.isFinite(reported) ? Math.max(0, reported) : secondsLeft(size - bytes, bytesPerSecond);
  return seconds === null ? null : `${formatDuration(seconds)} left`;
}
