// Chat text is untrusted: it is split into plain text and http(s) links here, and the view
// renders both as React text, so nothing a peer types can become markup.

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

// Stops at whitespace and at characters that never belong to a pasted URL's end.
const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"\]}>]+$/;

/** Splits chat text into text and http(s) link parts, in order; joining every part's text gives back the input. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const candidate = trimUrlEnd(match[0]);
    const url = checkedUrl(candidate);
    if (url === null) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: candidate, url });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Drops sentence punctuation after a URL, and a closing parenthesis the URL did not open. */
function trimUrlEnd(raw: string): string {
  let url = raw;
  for (;;) {
    const trimmed = url.replace(TRAILING_PUNCTUATION, '');
    const unbalanced = trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')');
    const next = unbalanced ? trimmed.slice(0, -1) : trimmed;
    if (next === url) return url;
    url = next;
  }
}

/** The URL as the browser parses it when it is a real http(s) address with a host, else null. */
function checkedUrl(candidate: string): string | null {
  try {
    const parsed = new URL(candidate);
    if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') return null;
    return parsed.href;
  } catch {
    return null;
  }
}

const count = (s: string, ch: string) => s.split(ch).length - 1;
