// What `/send` takes: `/send [--to NAME]... PATH...`, the paths as people paste them into a
// terminal — quoted ('my file.txt', "my file.txt"), with backslash escapes (my\ file.txt, as
// terminals write a dropped file), `~` for the home folder, or file:// URLs (as file managers
// copy them). shell-quote does the splitting; nothing is ever run or expanded from the environment.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'shell-quote';

export type SendArgs = { ok: true; to: string[]; paths: string[] } | { ok: false; message: string };

export const SEND_USAGE = 'Usage: /send [--to NAME]... PATH...  (quote a path with spaces, or use \\ before them)';

/** Splits and reads `/send`'s arguments (the text after "/send"). */
export function parseSendArgs(text: string, cwd = process.cwd(), home = homedir()): SendArgs {
  // `$NAME` stays as written: the environment is never read into a path.
  const entries = parse(text, (name) => `$${name}`);
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('pattern' in entry)
      words.push(entry.pattern); // a literal * or ?: no globbing
    else if ('comment' in entry) words.push(`#${entry.comment}`);
    else
      return { ok: false, message: `Put a path with ${'op' in entry ? `"${entry.op}"` : 'that character'} in it in quotes. ${SEND_USAGE}` };
  }
  const to: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--to') {
      const name = words[++i];
      if (name === undefined || name === '') return { ok: false, message: `--to needs a name. ${SEND_USAGE}` };
      to.push(name);
    } else if (word.startsWith('--to=')) {
      const name = word.slice('--to='.length);
      if (name === '') return { ok: false, message: `--to needs a name. ${SEND_USAGE}` };
      to.push(name);
    } else if (word !== '') {
      const path = toPath(word, cwd, home);
      if (path === undefined) return { ok: false, message: `"${word.slice(0, 80)}" is not a file path or a file:// URL of this machine.` };
      paths.push(path);
    }
  }
  if (paths.length === 0) return { ok: false, message: SEND_USAGE };
  return { ok: true, to, paths };
}

function toPath(word: string, cwd: string, home: string): string | undefined {
  if (/^file:/i.test(word)) {
    try {
      return fileURLToPath(word);
    } catch {
      return undefined; // another host's file URL, or a broken one
    }
  }
  if (word === '~') return home;
  if (word.startsWith('~/')) return join(home, word.slice(2));
  return isAbsolute(word) ? word : resolve(cwd, word);
}
