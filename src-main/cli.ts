import { Command, InvalidArgumentError } from 'commander';
import { defaultConfigDir } from './config/config-dir';
import { toAppError } from './wire/errors';
import { ROOM_SIZE, roomSizeProblem } from './room/room-size';
import { humanOutput, jsonOutput, type CliOutput } from './cli/cli-output';
import { hostCommand } from './cli/host-command';
import { joinCommand } from './cli/join-command';
import { forgetRoom, listRooms, showRoom } from './cli/rooms-command';
import type { LoopIo } from './cli/session-loop';
import { guardOutput, OUTPUT_BROKEN_EXIT_CODE } from './cli/output-streams';
import { isInteractive, PromptTerminal } from './cli/prompt-terminal';
import { listenForShutdown, releaseClosedTerminal } from './cli/shutdown-signals';
import { configureLogging, logger } from './log/logger';
import { logProcessFailures } from './log/process-failures';

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('Use a port number from 1 to 65535.');
  return port;
}

/** `--max-people N`: a room size people may choose (2 to 300, the host included). */
function peopleNumber(value: string): number {
  const people = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  const problem = roomSizeProblem(people);
  if (problem) throw new InvalidArgumentError(problem);
  return people;
}

/** A room's number in `porthole rooms`. */
function roomNumber(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('Use the number `porthole rooms` shows (1 is the newest).');
  return Number(value);
}

interface FileFlags {
  downloadDir?: string;
  acceptFiles?: boolean;
}

const transferOptions = (opts: FileFlags) => ({ downloadDir: opts.downloadDir, autoAccept: !!opts.acceptFiles });

/** A person at a terminal gets the line editor; pipes, files and --json get plain lines, as before. */
function terminalFor(opts: { json?: boolean }): PromptTerminal | undefined {
  if (opts.json || !isInteractive(process.stdin, process.stdout)) return undefined;
  return new PromptTerminal({
    input: process.stdin,
    terminal: process.stdout,
    out: streams.out,
    err: streams.err,
    errIsTerminal: !!process.stderr.isTTY,
    // The line editor's raw mode turns Ctrl-C into a key: it still is the terminal's interrupt.
    onInterrupt: () => process.kill(process.pid, 'SIGINT'),
  });
}

function outputFor(opts: { json?: boolean; acceptFiles?: boolean }, terminal: PromptTerminal | undefined): CliOutput {
  if (opts.json) return jsonOutput(streams.out);
  if (terminal) return humanOutput(terminal.out, terminal.err, { acceptFiles: !!opts.acceptFiles, transient: terminal.transient });
  return humanOutput(streams.out, streams.err, { acceptFiles: !!opts.acceptFiles });
}

/** Runs a command and turns its outcome into an exit code, printing errors as sentences. */
async function run(
  opts: { json?: boolean; acceptFiles?: boolean },
  body: (output: CliOutput, io: LoopIo) => Promise<number>,
): Promise<void> {
  const terminal = terminalFor(opts);
  const output = outputFor(opts, terminal);
  try {
    process.exitCode = await body(output, { input: process.stdin, shutdown: shutdown.signal, terminal });
  } catch (err) {
    output.error(toAppError(err));
    process.exitCode = 1;
  }
  // Whatever the end, a reader that went away missed lines: that is a failure to report. Not
  // after SIGHUP, though: the terminal closed, so lines it can no longer show were expected.
  const hungUp = shutdown.hungUp || terminalHungUp;
  if (streams.broken && !hungUp) process.exitCode = OUTPUT_BROKEN_EXIT_CODE;
  // Open handles (stdin, timers of a closed room) must not keep a finished CLI alive.
  setImmediate(() => {
    releaseClosedTerminal(hungUp);
    process.exit();
  });
}

/** A command that prints and ends (`porthole rooms`): no room, no prompt; errors as sentences (or JSON). */
async function runOnce(opts: { json?: boolean }, body: (output: CliOutput) => Promise<number>): Promise<void> {
  const output = outputFor(opts, undefined);
  try {
    process.exitCode = await body(output);
  } catch (err) {
    output.error(toAppError(err));
    process.exitCode = 1;
  }
  if (streams.broken) process.exitCode = OUTPUT_BROKEN_EXIT_CODE;
  setImmediate(() => process.exit());
}

// Installed first thing, so a signal during start-up still ends in a clean close and exit 0.
// Signals after the first are only acknowledged: they must not cut the unmapping short.
let repeatNoted = false;
const shutdown = listenForShutdown(() => {
  if (repeatNoted) return;
  repeatNoted = true;
  streams.err('Already leaving: saying goodbye to the room and removing any port forwarding first.\n');
});
// A terminal that hung up fails writes with EIO, sometimes before its SIGHUP arrives (or none
// comes to us at all): a hang-up all the same, not a reader that went away.
let terminalHungUp = false;
// The program reading stdout went away (EPIPE on a closed pipe): leave exactly as on /quit.
const streams = guardOutput(process.stdout, process.stderr, (error) => {
  if (error.code === 'EIO' && process.stdout.isTTY) terminalHungUp = true;
  else streams.err(`The output closed (${error.code ?? error.message}); leaving the room.\n`);
  shutdown.abort();
});

const log = logger('cli');
// Logged, not handled: a crash still prints its stack and exits 1 as before (silent without --verbose).
logProcessFailures(log, { listenForRejections: false });

/** Commander's way to let an option repeat. */
const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command('porthole')
  .description('Chat and swap files directly, machine to machine: no account, no cloud.')
  .option('--config-dir <dir>', 'where settings, the host certificate and the room secret live', defaultConfigDir())
  .option('--verbose', 'write log lines (JSON) to stderr: admissions, offenses, reconnects, the router helper')
  .showHelpAfterError()
  .hook('preAction', (_program, command) => {
    // Logs go to stderr only when asked, so --json's stdout stays one event per line and stderr as it was.
    if (!program.opts().verbose) return;
    configureLogging({ destination: { write: (line) => streams.err(line) }, level: 'debug' });
    log.info('started', { command: command.name(), json: !!command.opts().json });
  });

program
  .command('host')
  .description('host a room on this machine and print the invite to share')
  .option('--port <n>', 'port to listen on (default: the last one used, else a free one)', portNumber)
  .option('--name <name>', 'your display name in the room')
  .option('--no-upnp', 'do not ask the router to forward the port')
  .option('--new-invite', 'make a new room secret, so earlier invites stop working')
  .option('--recent <n>', 'open again a room you hosted, number N of `porthole rooms`, with its invite and port', roomNumber)
  .option(
    '--max-people <n>',
    `how many people the room lets in, you included, ${ROOM_SIZE.min} to ${ROOM_SIZE.max} (default: the Room size setting, else ${ROOM_SIZE.default})`,
    peopleNumber,
  )
  .option('--public-address <host[:port]>', 'an address you forwarded by hand, added to the invite (repeatable)', collect, [])
  .option('--relay <uri>', 'a relay you trust (relay://HOST:PORT/?id=…) for friends who cannot reach you directly; remembered')
  .option('--no-relay', 'use no relay, and forget the remembered one')
  .option('--download-dir <dir>', 'where received files are saved (default: Downloads/Porthole)')
  .option('--accept-files', 'accept every file offered in the room')
  .option('--json', 'print one JSON object per line (for other programs)')
  .action(
    (
      opts: {
        port?: number;
        name?: string;
        upnp: boolean;
        newInvite?: boolean;
        recent?: number;
        maxPeople?: number;
        publicAddress: string[];
        relay?: string | false;
        json?: boolean;
      } & FileFlags,
    ) =>
      run(opts, (output, io) =>
        hostCommand(
          {
            port: opts.port,
            name: opts.name,
            upnp: opts.upnp,
            newInvite: !!opts.newInvite,
            recent: opts.recent,
            maxPeople: opts.maxPeople,
            publicAddresses: opts.publicAddress,
            relay: opts.relay,
            configDir: program.opts().configDir,
            transfers: transferOptions(opts),
          },
          output,
          io,
        ),
      ),
  );

program
  .command('join')
  .description('join a room with the invite its host sent you')
  .argument('[invite]', 'the porthole://… invite (or --recent N)')
  .option('--recent <n>', 'rejoin a recent room, number N of `porthole rooms`, with the invite kept for it', roomNumber)
  .option('--name <name>', 'your display name in the room')
  .option('--relay <uri>', "reach the host through this relay (relay://HOST:PORT/?id=…) instead of the invite's")
  .option('--download-dir <dir>', 'where received files are saved (default: Downloads/Porthole)')
  .option('--accept-files', 'accept every file offered in the room')
  .option('--json', 'print one JSON object per line (for other programs)')
  .action(
    (
      invite: string | undefined,
      opts: { recent?: number; name?: string; relay?: string; json?: boolean } & FileFlags,
      command: Command,
    ) => {
      // One or the other: the invite typed, or the one kept for a recent room.
      if ((invite === undefined) === (opts.recent === undefined))
        command.error(
          invite === undefined
            ? 'error: give the invite, or --recent N (`porthole rooms` lists them)'
            : 'error: give the invite or --recent N, not both',
        );
      return run(opts, (output, io) =>
        joinCommand(
          {
            invite,
            recent: opts.recent,
            name: opts.name,
            relay: opts.relay,
            configDir: program.opts().configDir,
            transfers: transferOptions(opts),
          },
          output,
          io,
        ),
      );
    },
  );

const rooms = program
  .command('rooms')
  .description('list the rooms this machine was in lately (newest first), to rejoin with join --recent N')
  .option('--json', 'print one JSON object (for other programs)')
  .action((opts: { json?: boolean }) => runOnce(opts, () => listRooms(roomsOptions(opts))));

/** The rooms commands' options; --json given before or after the subcommand. */
const roomsOptions = (opts: { json?: boolean }) => {
  const json = !!(opts.json || rooms.opts().json);
  return { configDir: program.opts().configDir as string, json, out: streams.out };
};

rooms
  .command('show')
  .description('print what was said in recent room N, as kept on this machine')
  .argument('<n>', 'the number `porthole rooms` shows', roomNumber)
  .option('--json', 'print one JSON object per line (for other programs)')
  .action((n: number, opts: { json?: boolean }) =>
    runOnce({ json: roomsOptions(opts).json }, (output) => showRoom(roomsOptions(opts), n, output)),
  );

rooms
  .command('forget')
  .description('forget recent room N: its kept invite and lines are deleted')
  .argument('<n>', 'the number `porthole rooms` shows', roomNumber)
  .option('--json', 'print one JSON object (for other programs)')
  .action((n: number, opts: { json?: boolean }) => runOnce({ json: roomsOptions(opts).json }, () => forgetRoom(roomsOptions(opts), n)));

await program.parseAsync(process.argv);
