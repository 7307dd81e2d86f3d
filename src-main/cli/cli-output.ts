import type { PortMappingStatus } from '../nat/port-mapping-status';
import type { RelayStatus } from '../relay/relay-status';
import type { AppError } from '../wire/errors';
import type { RoomInvite } from '../session/room-invite';
import type { Member } from '../wire/protocol';
import type { SessionStatus } from '../room/session-events';
import type { RoomEvent, SendFailure } from '../session/room-session';
import type { TransferView } from '../features/files/transfer-events';
import { printable } from './printable';
import { transferHumanPrinter, transferJson, type TransferNotice } from './transfer-output';

export interface ReadyInfo {
  role: 'host' | 'guest';
  me: Member;
  members: Member[];
  port?: number;
  fingerprint?: string;
  /** Host: the invite to share, and what each of its addresses is for. */
  invite?: RoomInvite;
}

/** Everything the CLI shows: human lines, or one JSON object per line with --json. */
/** A guest on its way into the room: how many addresses it tries, and for how long so far. */
export interface ConnectProgress {
  addresses: number;
  elapsedMs: number;
}

export interface CliOutput {
  /** A guest still connecting (every second); --json prints nothing before `ready`. */
  connecting(progress: ConnectProgress): void;
  ready(info: ReadyInfo): void;
  roomEvent(event: RoomEvent, replayed: boolean): void;
  members(members: Member[]): void;
  status(status: SessionStatus): void;
  warning(error: AppError): void;
  sendFailed(failure: SendFailure): void;
  error(error: AppError): void;
  note(text: string): void;
  /** The router port-forwarding state. */
  portMapping(status: PortMappingStatus): void;
  /** The host's relay connection changed (only when a relay is set). */
  relay(status: RelayStatus): void;
  /**
   * The host's invite gained or lost an address (the router answered, a forward lapsed): the
   * earlier one still works where it did. `revoked`: it has a new secret (/revoke), so the
   * earlier one works nowhere any more.
   */
  inviteUpdated(invite: RoomInvite, revoked?: boolean): void;
  /** A file offer or a transfer's new state or progress. */
  transfer(notice: TransferNotice, view: TransferView): void;
}

/** Who can use an invite, in a few words. */
function reachWords(invite: RoomInvite): string {
  const internet = invite.addresses
    .filter((a) => a.internet)
    .map((a) => (a.kind === 'ipv6' ? 'the internet over IPv6' : a.kind === 'manual' ? `${a.host} (added by you)` : 'the internet'));
  const relay = invite.relay
    ? `, anywhere through the relay at ${invite.relay.address} (its operator sees who connects and how much, not what is said or sent)`
    : '';
  return `Works from: your network${internet.length > 0 ? `, ${[...new Set(internet)].join(', ')}` : ''}${relay}.`;
}

const clock = (ts: number) => new Date(ts).toTimeString().slice(0, 5);

export function jsonOutput(write: (line: string) => void): CliOutput {
  const emit = (event: string, data: object) => write(`${JSON.stringify({ event, ...data })}\n`);
  return {
    connecting: () => {},
    ready: ({ invite, ...info }) =>
      emit('ready', {
        ...info,
        ...(invite ? { invite: invite.invite, addresses: invite.addresses, ...(invite.relay ? { relay: invite.relay } : {}) } : {}),
      }),
    roomEvent: (e, replayed) => {
      if (e.type === 'chat') emit('chat', { seq: e.seq, ts: e.ts, from: e.from, id: e.id, text: e.text, history: replayed });
      else if (e.type === 'joined') emit('member-joined', { seq: e.seq, ts: e.ts, member: e.member, history: replayed });
      else emit('member-left', { seq: e.seq, ts: e.ts, member: e.member, reason: e.reason, history: replayed });
    },
    members: (members) => emit('members', { members }),
    status: (status) => emit('status', status),
    warning: (error) => emit('warning', error),
    sendFailed: (failure) => emit('send-failed', failure),
    error: (error) => emit('error', error),
    note: () => {},
    portMapping: (status) => emit('port-mapping', status),
    relay: (status) => emit('relay', status),
    inviteUpdated: (invite, revoked) =>
      emit('invite-updated', {
        invite: invite.invite,
        addresses: invite.addresses,
        ...(invite.relay ? { relay: invite.relay } : {}),
        ...(revoked ? { revoked: true } : {}),
      }),
    transfer: (notice, view) => transferJson(emit, notice, view),
  };
}

export interface HumanOptions {
  acceptFiles: boolean;
  /**
   * A line the next one replaces (a terminal, PromptTerminal.transient): connecting progress is
   * then one line, updated, and once in the room transfer progress is a status line above the prompt.
   */
  transient?: ((text: string) => void) | undefined;
}

/** How far a join is: one line updated every second on a terminal, else a line now and one every 5 s. */
function connectingPrinter(line: (text: string) => void, transient: HumanOptions['transient']) {
  return ({ addresses, elapsedMs }: ConnectProgress) => {
    const seconds = Math.floor(elapsedMs / 1000);
    const what = `Connecting to the host (${addresses} ${addresses === 1 ? 'address' : 'addresses'})…`;
    if (transient) transient(seconds === 0 ? what : `${what} ${seconds} s`);
    else if (seconds === 0) line(what);
    else if (seconds % 5 === 0) line(`Still connecting (${seconds} s)…`);
  };
}

export function humanOutput(
  out: (line: string) => void,
  err: (line: string) => void,
  options: HumanOptions = { acceptFiles: false },
): CliOutput {
  const line = (text: string) => out(`${text}\n`);
  let lastState = '';
  return {
    connecting: connectingPrinter(line, options.transient),
    ready: (info) => {
      if (info.role === 'host') {
        line(`Hosting a room on port ${info.port} as ${printable(info.me.name)}. Send a friend this invite:`);
        if (info.invite) line(`  ${info.invite.invite}`);
        if (info.invite) line(`  ${reachWords(info.invite)}`);
      } else {
        line(`Joined as ${printable(info.me.name)}. In the room: ${info.members.map((m) => printable(m.name)).join(', ')}.`);
      }
      line('Type a message and press Enter. /help lists the commands, /quit leaves.');
    },
    roomEvent: (e) => {
      if (e.type === 'chat') {
        const [first, ...rest] = printable(e.text).split('\n');
        line(`[${clock(e.ts)}] ${printable(e.from.name)}: ${first}`);
        for (const more of rest) line(`        ${more}`);
      } else if (e.type === 'joined') line(`[${clock(e.ts)}] ${printable(e.member.name)} joined`);
      else line(`[${clock(e.ts)}] ${printable(e.member.name)} left${e.reason === 'left' ? '' : ` (${e.reason})`}`);
    },
    members: () => {},
    status: (status) => {
      if (status.state === 'reconnecting') line(`Connection lost; reconnecting (attempt ${status.attempt})…`);
      if (status.state === 'connected' && lastState === 'reconnecting') line('Reconnected.');
      if (status.state === 'closed' && status.error) err(`${status.error.message}\n`);
      lastState = status.state;
    },
    warning: (error) => err(`${error.message}\n`),
    sendFailed: (failure) => err(`Not sent: "${printable(failure.text).slice(0, 60)}" (${failure.error.message})\n`),
    error: (error) => err(`${error.message}\n`),
    note: (text) => line(text),
    portMapping: (status) => {
      if (status.code === 'starting') return;
      line(`Port forwarding: ${status.message}`);
    },
    relay: (status) => {
      if (status.state === 'joining' || status.state === 'closed') return;
      (status.state === 'retrying' ? err : out)(`Relay: ${status.message}\n`);
    },
    inviteUpdated: (invite, revoked) => {
      line(
        revoked
          ? 'The invite changed; send this one from now on (the earlier one no longer works for anyone, anywhere):'
          : 'The invite changed; send this one from now on (the earlier one still works where it did):',
      );
      line(`  ${invite.invite}`);
      line(`  ${reachWords(invite)}`);
    },
    transfer: transferHumanPrinter(line, { autoAccept: options.acceptFiles, status: options.transient }),
  };
}
