/**
 * A link from chat or the page, re-parsed: the normalized URL when it is http(s) and carries no
 * credentials, else undefined. Only such links may leave the app for the default browser.
 */
export function safeExternalUrl(raw: string): string | undefined {
  if (typeof raw !== 'string' || raw.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  return url.href;
}
