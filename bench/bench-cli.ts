import { Argument, Command, InvalidArgumentError, Option } from 'commander';

/** The sets of rows `--only` picks from, in the order a run measures them. */
export const GROUPS = {
  pipe: '(a0) raw TLS without files (diagnostic), (a1) raw TLS file pipe + SHA-256, (d) temp folder write speed',
  room: '(b) host → member, (c1) member → host → member, (c) member → host → 2 members (+ chat round trips)',
  compare: 'scp -c aes128-gcm@openssh.com over loopback (own sshd), a seed-style Python websockets transfer',
  relay: '(e) host → member through a Syncthing relay (strelaysrv)',
  fanout: '(f) host → 4 members, one reading at a tenth of the speed',
  resume: '(g) a transfer cut half-way and resumed',
  crowd: 'a room of 100: chat fan-out and a join storm (bench/crowd.ts)',
  shaped: 'transfers over shaped links, see --link (bench/shaped-link.ts)',
} as const;

export type Group = keyof typeof GROUPS;

/** What a run measures unless --only says: every group but shaped (slow links take long), which runs when named or given a --link. */
const DEFAULT_GROUPS = (Object.keys(GROUPS) as Group[]).filter((g) => g !== 'shaped');

export interface BenchOptions {
  size: number;
  rounds: number;
  only: Set<Group>;
  links: string[];
}

/** Bytes from text: plain bytes or with a unit, e.g. 512MiB, 2GiB. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(text);
  if (!m) throw new InvalidArgumentError(`Cannot read the size "${text}". Use bytes or e.g. 512MiB, 2GiB.`);
  const unit = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  const size = Math.round(Number(m[1]) * unit);
  if (size < 1024 * 1024) throw new InvalidArgumentError('Use at least 1MiB.');
  return size;
}

function parseRounds(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Give a whole number of rounds, at least 1.');
  return n;
}

function parseGroups(text: string): Set<Group> {
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(n in GROUPS));
  if (unknown.length > 0) throw new InvalidArgumentError(`Unknown group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}.`);
  return new Set(names as Group[]);
}

/** Reads `npm run bench -- [size] [--rounds N] [--only groups] [--link spec]…` (prints help and exits on --help or a mistake). */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const program = new Command('npm run bench --')
    .description(
      'Measures Porthole transfers on loopback, every role in its own process, against a raw TLS file pipe and the floors of this machine. Reports; does not judge.',
    )
    .addArgument(
      new Argument('[size]', 'bytes per transfer, or with a unit: 512MiB, 2GiB').argParser(parseSize).default(2 * 1024 ** 3, '2GiB'),
    )
    .option('--rounds <n>', 'measure every row n times, then print the medians', parseRounds, 1)
    .option(
      '--only <groups>',
      `comma-separated groups of rows: ${Object.keys(GROUPS).join(',')} (default: all but shaped, which --link adds)`,
      parseGroups,
    )
    .addOption(
      new Option('--link <spec>', 'a link for the shaped group, e.g. 100mbit/100ms/0.5%/1s (repeatable)')
        .argParser((v: string, all: string[]) => [...all, v])
        .default([], 'none'),
    )
    .addHelpText(
      'after',
      `\nGroups:\n${Object.entries(GROUPS)
        .map(([name, rows]) => `  ${name.padEnd(8)} ${rows}`)
        .join('\n')}\n\nThe raw TLS file pipe (a) and the floors run whenever pipe, room, compare or relay does: ratios use them.\n` +
        'Received files go to the temp folder: TMPDIR=/dev/shm takes the disk out of the picture.',
    )
    .showHelpAfterError('(npm run bench -- --help lists the options and groups)')
    .parse(argv, { from: 'user' });
  const opts = program.opts<{ rounds: number; only?: Set<Group>; link: string[] }>();
  return {
    size: program.processedArgs[0] as number,
    rounds: opts.rounds,
    only: opts.only ?? new Set<Group>([...DEFAULT_GROUPS, ...(opts.link.length > 0 ? (['shaped'] as const) : [])]),
    links: opts.link,
  };
}
