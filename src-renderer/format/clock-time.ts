// Times and days as this system shows them: Intl.DateTimeFormat with the locale's own hour cycle
// (12- or 24-hour), never a fixed pattern.

/** The short local time of a timestamp (ms since the epoch) in the locale's format: "09:05" or "9:05 AM". */
export function formatClock(ts: number, locale?: string): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return '--:--';
  return clockFormat(locale).format(date);
}

/** The full local date and time, for a tooltip next to the short clock time. */
export function formatDateTime(ts: number, locale?: string): string {
  const date = new Date(ts);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium' }).format(date);
}

/** The timestamp for a <time dateTime>, or empty when it is out of the Date range. */
export function isoTime(ts: number): string {
  const date = new Date(ts);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

// Building a formatter is far slower than using one; a chat shows thousands of times.
const clockFormats = new Map<string, Intl.DateTimeFormat>();
function clockFormat(locale: string | undefined): Intl.DateTimeFormat {
  const key = locale ?? '';
  let format = clockFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    clockFormats.set(key, format);
  }
  return format;
}
