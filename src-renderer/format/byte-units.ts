// Sizes, speeds and remaining time in the words a file manager would use.

import { formatBytes } from '../../src-preload/domain-values';

/** Sizes in decimal SI units ("4.2 MB"), the one formatter the CLI uses too. */
export { formatBytes };

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

/** A duration as people say it: "less than a second", "45 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'less than a second';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const minutes = Math.floor(s / 60);
    const rest = s % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** "3 min 20 s left" for a transfer, or null while the speed is unknown. */
export function timeLeftWords(size: number, bytes: number, bytesPerSecond: number): string | null {
  const seconds = secondsLeft(size - bytes, bytesPerSecond);
  return seconds === null ? null : `${formatDuration(seconds)} left`;
}
