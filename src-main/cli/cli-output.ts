import type { PortMappingStatus } from '../nat/port-mapping-status';
import type { AppError } from '../room/errors';
import type { InviteLine } from '../room/invite';
import type { Member, RoomEvent } from '../room/protocol';
import type { SendFailure, SessionStatus } from '../room/session-events';
import type { TransferView } from '../transfer/transfer-events';
import { printable } from './printable';
import { transferHumanPrinter, transferJson, type TransferNotice } from './transfer-output';

export type { InviteLine } from '../room/invite';

export interface ReadyInfo {
  role: 'host' | 'guest';
  me: Member;
  members: Member[];
  port?: number;
  fingerprint?: string;
  invites?: InviteLine[];
}

/** Everything the CLI shows: human lines, or one JSON object per line with --json. */
export interface CliOutput {
  ready(info: ReadyInfo): void;
  roomEvent(event: RoomEvent, replayed: boolean): void;
  members(members: Member[]): void;
  status(status: SessionStatus): void;
  warning(error: AppError): void;
  sendFailed(failure: SendFailure): void;
  error(error: AppError): void;
  note(text: string): void;
  /** The router port-forwarding state, and the public invite once there is one. */
  portMapping(status: PortMappingStatus, invite?: InviteLine): void;
  /** A file offer or a transfer's new state or progress. */
  transfer(notice: TransferNotice, view: TransferView): void;
}

const clock = (ts: number) => new Date(ts).toTimeString().slice(0, 5);

export function jsonOutput(write: (line: string) => void): CliOutput {
  const emit = (event: string, data: object) => write(`${JSON.stringify({ event, ...data })}\n`);
  return {
    ready: (info) => emit('ready', info),
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
    portMapping: (status, invite) => emit('port-mapping', { ...status, ...(invite ? { invite: invite.invite } : {}) }),
    transfer: (notice, view) => transferJson(emit, notice, view),
  };
}

export function humanOutput(
  out: (line: string) => void,
  err: (line: string) => void,
  options: { acceptFiles: boolean } = { acceptFiles: false },
): CliOutput {
  const line = (text: string) => out(`${text}\n`);
  let lastState = '';
  return {
    ready: (info) => {
      if (info.role === 'host') {
        line(`Hosting a room on port ${info.port} as ${printable(info.me.name)}. Send a friend one of these invites:`);
        for (const invite of info.invites ?? []) line(`  ${invite.kind === 'lan' ? 'same network' : 'internet    '}  ${invite.invite}`);
      } else {
        line(`Joined as ${printable(info.me.name)}. In the room: ${info.members.map((m) => printable(m.name)).join(', ')}.`);
      }
      line('Type a message and press Enter. /who lists who is here, /quit leaves.');
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
    portMapping: (status, invite) => {
      if (status.code === 'starting' || status.code === 'stopped') return;
      line(`Port forwarding: ${status.message}`);
      if (invite) line(`  internet      ${invite.invite}`);
    },
    transfer: transferHumanPrinter(line, options.acceptFiles),
  };
}
