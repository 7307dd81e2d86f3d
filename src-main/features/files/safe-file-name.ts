import sanitize from 'sanitize-filename';

// sanitize-filename leaves these: bidi overrides/isolates and marks (a right-to-left override
// shows "gpj.exe" as "exe.jpg"), zero-width and other invisible format characters, and line
// separators. \p{Cf} covers the format characters, including U+202A–U+202E and U+2066–U+2069.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u180E]/gu;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
/** Bytes kept for the name itself: room is left for " (999)" and the ".xxxxxxxx.part" suffix. */
export const MAX_NAME_BYTES = 200;
const MAX_EXTENSION_BYTES = 16;
const FALLBACK = 'file';

/**
 * Turns a name a peer offered into one safe to create inside the download folder: one path
 * component, no hidden or disguising characters, not a Windows device name, at most
 * MAX_NAME_BYTES of UTF-8 with the extension kept. Never returns an empty string.
 */
export function safeFileName(offered: string): string {
  let name = offered.normalize('NFC').replace(INVISIBLE, '');
  // Separators become visible underscores, so "a/b.txt" stays readable as "a_b.txt".
  name = name.replace(/[/\\]/g, '_');
  // Cut first: sanitize-filename's own 255-byte cut would take the extension with it.
  // Leading dots would hide the file on Unix; trailing dots and spaces confuse Windows.
  name = trimDotsAndSpaces(name);
  name = fitBytes(splitExtension(name));
  // Windows takes "NUL.tar.gz" as the device too: mark the name instead of losing it to "_".
  if (WINDOWS_RESERVED.test(name.split('.')[0]!.trim())) name = `_${name}`;
  name = sanitize(name, { replacement: '_' });
  name = trimDotsAndSpaces(name);
  const { stem, extension } = splitExtension(name);
  return fitBytes({ stem: stem === '' ? FALLBACK : stem, extension });
}

const trimDotsAndSpaces = (name: string) => name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');

/** "name.ext" → "name (n).ext", the name used when "name.ext" already exists. */
export function numberedName(name: string, n: number): string {
  const { stem, extension } = splitExtension(name);
  return `${stem} (${n})${extension}`;
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, extension: '' };
  const extension = name.slice(dot);
  if (Buffer.byteLength(extension) > MAX_EXTENSION_BYTES || /\s/.test(extension)) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension };
}

/** Cuts the stem (never the extension, never inside a character) until the name fits. */
function fitBytes({ stem, extension }: { stem: string; extension: string }): string {
  const budget = MAX_NAME_BYTES - Buffer.byteLength(extension);
  if (Buffer.byteLength(stem) <= budget) return stem + extension;
  let kept = '';
  let bytes = 0;
  for (const char of stem) {
    const size = Buffer.byteLength(char);
    if (bytes + size > budget) break;
    kept += char;
    bytes += size;
  }
  kept = kept.replace(/[\s.]+$/, '');
  return (kept === '' ? FALLBACK : kept) + extension;
}
