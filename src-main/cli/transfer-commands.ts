import { toAppError } from '../wire/errors';
import type { RoomSession } from '../session/room-session';
import type { TransferView } from '../features/files/transfer-events';
import type { CliOutput } from './cli-output';
import { parseSendArgs } from './send-args';

/** The CLI's file commands; returns false when `text` is not one of them. */
export function runTransferCommand(session: RoomSession, output: CliOutput, text: string): boolean {
  const [name = '', ...rest] = text.split(/\s+/);
  const arg = text.slice(name.length).trim();
  const transfers = session.transfers;
  switch (name) {
    case '/send':
      send(session, output, arg);
      return true;
    case '/accept': {
      const transfer = answerable(session, output, rest[0], 'accept');
      if (transfer) void transfers.accept(transfer.id, rest[1]).catch((err: unknown) => output.error(toAppError(err)));
      return true;
    }
    case '/decline': {
      const transfer = answerable(session, output, rest[0], 'decline');
      if (transfer) transfers.decline(transfer.id);
      return true;
    }
    case '/cancel': {
      const transfer = find(session, output, rest[0], '/cancel');
      if (transfer && isOver(transfer))
        output.error({ code: 'not-allowed', message: `Transfer ${transfer.id} is over already (${transfer.state}).` });
      else if (transfer) transfers.cancel(transfer.id);
      return true;
    }
    case '/files': {
      const list = transfers.list();
      if (list.length === 0) output.note('No transfers yet. /send PATH offers a file to the room.');
      for (const v of list) output.note(`${v.id}  ${v.direction}  ${v.fileName}  ${v.state}  ${v.percent} %`);
      return true;
    }
    default:
      return false;
  }
}

/** Sends every transfer offer and update of a session to the CLI output. */
export function showTransfers(session: RoomSession, output: CliOutput): void {
  session.transfers.on('offer', (view) => output.transfer('offer', view));
  session.transfers.on('update', (view) => output.transfer('update', view));
}

const isOver = (v: TransferView) => v.state === 'done' || v.state === 'declined' || v.state === 'cancelled' || v.state === 'failed';

/** `/send [--to NAME]... PATH...`: each path offered to the room, or to each person named. */
function send(session: RoomSession, output: CliOutput, arg: string): void {
  const parsed = parseSendArgs(arg);
  if (!parsed.ok) return output.error({ code: 'invalid-message', message: parsed.message });
  const others = session.members().filter((m) => m.id !== session.me.id);
  const recipients: Array<string | undefined> = [];
  for (const name of parsed.to) {
    const member = others.find((m) => m.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (!member)
      return output.error({ code: 'not-found', message: `Nobody called "${name.slice(0, 40)}" is in the room. /who lists who is.` });
    if (!recipients.includes(member.id)) recipients.push(member.id);
  }
  if (recipients.length === 0) recipients.push(undefined); // the whole room
  for (const path of parsed.paths) {
    for (const to of recipients) {
      session.transfers.offer(path, to ? { to } : {}).catch((err: unknown) => output.error(toAppError(err)));
    }
  }
}

/** The transfer `id` names, or an error saying there is none (and how to see them). */
function find(session: RoomSession, output: CliOutput, id: string | undefined, command: string): TransferView | undefined {
  if (!id) {
    output.error({ code: 'invalid-message', message: `Usage: ${command} ID  (/files lists the transfers and their ids)` });
    return undefined;
  }
  const transfer = session.transfers.list().find((v) => v.id === id);
  if (!transfer) output.error({ code: 'not-found', message: `There is no transfer ${id.slice(0, 40)} here. /files lists them.` });
  return transfer;
}

/** An incoming offer still waiting for this member's answer. */
function answerable(session: RoomSession, output: CliOutput, id: string | undefined, verb: 'accept' | 'decline'): TransferView | undefined {
  const transfer = find(session, output, id, `/${verb}`);
  if (!transfer) return undefined;
  if (transfer.direction !== 'incoming') {
    output.error({ code: 'not-allowed', message: `Transfer ${transfer.id} is your own offer: only its recipients can ${verb} it.` });
    return undefined;
  }
  if (transfer.state !== 'offered') {
    output.error({ code: 'not-allowed', message: `Transfer ${transfer.id} was answered already (${transfer.state}).` });
    return undefined;
  }
  return transfer;
}
