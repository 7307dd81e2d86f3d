import { toAppError } from '../wire/errors';
import type { Member } from '../wire/protocol';
import type { RoomSession } from '../session/room-session';
import { isFinalState, type TransferView } from '../features/files/transfer-events';
import type { CliOutput } from './cli-output';
import { printable } from './printable';
import { parseSendArgs } from './send-args';
import { itemWords, progressFigures, recipientWords } from './transfer-output';

/** The CLI's file commands; returns false when `text` is not one of them. Each one says something, whatever happens. */
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
      if (!transfer) return true;
      output.note(`Accepting ${itemWords(transfer)}${rest[1] ? ` into ${printable(rest[1])}` : ''}.`);
      void transfers.accept(transfer.id, rest[1]).catch((err: unknown) => output.error(toAppError(err)));
      return true;
    }
    case '/decline': {
      const transfer = answerable(session, output, rest[0], 'decline');
      if (transfer) transfers.decline(transfer.id);
      return true;
    }
    case '/cancel': {
      const transfer = find(session, output, rest[0], '/cancel');
      if (transfer && isFinalState(transfer.state))
        output.error({ code: 'not-allowed', message: `Transfer ${transfer.id} is over already (${transfer.state}).` });
      else if (transfer) transfers.cancel(transfer.id);
      return true;
    }
    case '/retry': {
      const transfer = find(session, output, rest[0], '/retry');
      if (!transfer) return true;
      if (!transfer.retryable) {
        output.error({ code: 'not-allowed', message: notRetryable(transfer) });
        return true;
      }
      const resuming = transfer.direction === 'incoming' && (transfer.state === 'paused' || transfer.bytes > 0);
      output.note(
        `${resuming ? 'Resuming' : transfer.direction === 'outgoing' ? 'Offering again:' : 'Trying again:'} ${itemWords(transfer)}.`,
      );
      void transfers.retry(transfer.id).catch((err: unknown) => output.error(toAppError(err)));
      return true;
    }
    case '/clear': {
      const ids = transfers.clearFinished();
      output.note(
        ids.length === 0
          ? 'There are no finished transfers to clear.'
          : `Cleared ${ids.length === 1 ? '1 finished transfer' : `${ids.length} finished transfers`} from /files.`,
      );
      return true;
    }
    case '/files': {
      const list = transfers.list();
      if (list.length === 0) output.note('No transfers yet. /send PATH offers a file or a folder to the room.');
      for (const v of list) output.note(listing(v));
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

/**
 * One line of /files: "7  ↑ Holiday (312 files, 2.1 GB)  sending 42 %  to everyone: Bo receiving 40 %, Cy waiting".
 * Bundles are one line; your own offers say how each recipient is doing.
 */
export function listing(v: TransferView): string {
  const arrow = v.direction === 'incoming' ? '↓' : '↑';
  const moving = v.state === 'sending' || v.state === 'receiving';
  const how = moving ? progressFigures(v) : `${Math.floor(v.percent)} %`;
  const parts = [`${v.id}  ${arrow} ${itemWords(v)}  ${v.state} ${how}`];
  if (v.direction === 'incoming') parts.push(`from ${printable(v.from?.name ?? 'someone')}`);
  else {
    const who = v.to && v.to.length > 0 ? `to ${v.to.map((p) => printable(p.name)).join(', ')}` : 'to everyone';
    const each = (v.recipients ?? []).map((r) => `${printable(r.member.name)} ${recipientWords(r)}`);
    parts.push(each.length > 0 ? `${who}: ${each.join(', ')}` : who);
  }
  if (v.retryable) parts.push(`/retry ${v.id}`);
  return parts.join('  ');
}

/** Why /retry cannot run for a transfer, in a sentence. */
function notRetryable(v: TransferView): string {
  if (v.state === 'done') return `Transfer ${v.id} is done already.`;
  if (v.state === 'offered' && v.direction === 'incoming') return `Transfer ${v.id} is waiting for your answer: /accept ${v.id}.`;
  if (!isFinalState(v.state) && v.state !== 'paused') return `Transfer ${v.id} is ${v.state} already; there is nothing to retry.`;
  return `Transfer ${v.id} cannot be tried again (${v.state}).`;
}

/** `/send [--to NAME]... PATH...`: ONE offer (a bundle for several paths or a folder) to the room, or to the people named. */
function send(session: RoomSession, output: CliOutput, arg: string): void {
  const parsed = parseSendArgs(arg);
  if (!parsed.ok) return output.error({ code: 'invalid-message', message: parsed.message });
  const to: string[] = [];
  for (const name of parsed.to) {
    const found = memberNamed(session, name);
    if (typeof found === 'string') return output.error({ code: 'not-found', message: found });
    if (!to.includes(found.id)) to.push(found.id);
  }
  session.transfers.offer(parsed.paths, to.length > 0 ? { to } : {}).then(
    (id) => {
      // Says what became of it, if the transfer's own update has not said it yet (the printer shows each state once).
      const view = session.transfers.list().find((v) => v.id === id);
      if (view) output.transfer('update', view);
    },
    (err: unknown) => output.error(toAppError(err)),
  );
}

/**
 * The member `name` means: the one called exactly that (any case), else the only one whose name
 * starts with it. A sentence when nobody, several people, or you are meant.
 */
function memberNamed(session: RoomSession, name: string): Member | string {
  const wanted = name.toLocaleLowerCase();
  const shown = `"${printable(name.slice(0, 40))}"`;
  const members = session.members();
  const exact = members.filter((m) => m.name.toLocaleLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : members.filter((m) => m.name.toLocaleLowerCase().startsWith(wanted));
  const others = matches.filter((m) => m.id !== session.me.id);
  if (matches.length > 0 && others.length === 0) return `${shown} is you: name someone else with --to.`;
  if (others.length === 0) return `Nobody called ${shown} is in the room. /who lists who is.`;
  if (others.length > 1)
    return `${shown} could be ${others
      .slice(0, 5)
      .map((m) => printable(m.name))
      .join(' or ')}: use the whole name, in quotes if it has spaces.`;
  return others[0]!;
}

/** The transfer `id` names, or an error saying there is none (and how to see them). */
function find(session: RoomSession, output: CliOutput, id: string | undefined, command: string): TransferView | undefined {
  if (!id) {
    output.error({ code: 'invalid-message', message: `Usage: ${command} ID  (/files lists the transfers and their ids)` });
    return undefined;
  }
  const transfer = session.transfers.list().find((v) => v.id === id);
  if (!transfer)
    output.error({ code: 'not-found', message: `There is no transfer ${printable(id.slice(0, 40))} here. /files lists them.` });
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
  if (transfer.state === 'paused' && transfer.retryable && verb === 'accept') {
    output.error({ code: 'not-allowed', message: `Transfer ${transfer.id} was interrupted: /retry ${transfer.id} resumes it.` });
    return undefined;
  }
  if (transfer.state !== 'offered') {
    output.error({ code: 'not-allowed', message: `Transfer ${transfer.id} was answered already (${transfer.state}).` });
    return undefined;
  }
  return transfer;
}
