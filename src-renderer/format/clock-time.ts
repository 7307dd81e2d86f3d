/** The local wall-clock time of a timestamp (ms since the epoch) as HH:MM, 24-hour. */
export function formatClock(ts: number): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return '--:--';
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The full local date and time, for a tooltip next to the short clock time. */
export function formatDateTime(ts: number): string {
  const date = new Date(ts);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The timestamp for a <time dateTime>, or empty when it is out of the Date range. */
export function isoTime(ts: number): string {
  const date = new Date(ts);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
