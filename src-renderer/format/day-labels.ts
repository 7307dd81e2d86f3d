// Day separators in the chat: a line starts a new day when its local calendar day differs from
// the line before it, and the day is named the way a person says it ("Today", "Yesterday", a date).

/** The local calendar day of a timestamp as a comparable key (YYYY-M-D), or '' when out of the Date range. */
export function dayKey(ts: number): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Whether a separator goes above the line at `ts`: the first line, or the first of a new local day. */
export function startsNewDay(ts: number, previousTs: number | undefined): boolean {
  return previousTs === undefined || dayKey(ts) !== dayKey(previousTs);
}

/**
 * "Today", "Yesterday", or the date in the locale's words ("Monday, 2 March" this year, with the
 * year otherwise). `now` is the moment the label is for, so a test can pin it.
 */
export function dayLabel(ts: number, now: number = Date.now(), locale?: string): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date(now);
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (dayKey(ts) === dayKey(now)) return 'Today';
  if (dayKey(ts) === dayKey(yesterday.getTime())) return 'Yesterday';
  const sameYear = date.getFullYear() === today.getFullYear();
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}
