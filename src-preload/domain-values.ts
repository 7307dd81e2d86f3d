// Values the window shares with the main side, as plain TypeScript: no Node, zod or electron
// import (test/unit/preload/domain-values.test.ts checks), so the renderer and the preload may
// import them at run time. The main side uses this module, or the module a value is re-exported
// from, so each value exists once.

/** States a transfer never leaves, and whether a state is one (the transfer code's own set). */
export { FINAL_STATES, isFinalState } from '../src-main/features/files/transfer-events';

/** Bytes per upload:chunk call: the preload cuts a path-less file into pieces this size; main refuses larger ones. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** The ports the settings accept for a hosted room (null there means any free port). */
export const PORT_RANGE = { min: 1, max: 65_535 } as const;

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/**
 * A byte count in decimal SI units (1 kB = 1000 B, 1 MB = 1,000,000 B, as macOS's and GNOME's
 * file managers count), one decimal below 10: "17 B", "4.2 MB", "500 MB". The one size format of
 * the window and the CLI; "—" for a count that is not one.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value < 9.95 ? 1 : 0;
  // 999.6 kB would round to "1000 kB": the next unit says it instead.
  if (value >= 999.5 && unit < SIZE_UNITS.length - 1) return `1.0 ${SIZE_UNITS[unit + 1]}`;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit]}`;
}

/** A duration as people say it: "less than a second", "45 s", "3 min 20 s", "2 h 5 min". The window's and the CLI's. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) return 'less than a second';
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

/**
 * What an offer holds, in a few words: "2.1 GB" for one file, "312 files, 2.1 GB" for a bundle
 * (`files` absent means one file). The window and the CLI say it the same way.
 */
export function contentsWords(item: { size: number; files?: number | undefined }): string {
  const files = item.files ?? 1;
  if (files === 1 && item.files === undefined) return formatBytes(item.size);
  return `${files.toLocaleString('en-US')} ${files === 1 ? 'file' : 'files'}, ${formatBytes(item.size)}`;
}
