import { toAppError } from '../wire/errors';
import type { RoomSession } from '../session/room-session';
import type { CliOutput } from './cli-output';

/** The CLI's file commands; returns false when `text` is not one of them. */
export function runTransferCommand(session: RoomSession, output: CliOutput, text: string): boolean {
  const [name = '', ...rest] = text.split(/\s+/);
  const arg = text.slice(name.length).trim();
  const transfers = session.transfers;
  switch (name) {
    case '/send':
      if (!arg) output.error({ code: 'invalid-message', message: 'Usage: /send <path to a file>' });
      else transfers.offer(arg).catch((err: unknown) => output.error(toAppError(err)));
      return true;
    case '/accept':
      void transfers.accept(rest[0] ?? '', rest[1]).catch((err: unknown) => output.error(toAppError(err)));
      return true;
    case '/decline':
      transfers.decline(rest[0] ?? '');
      return true;
    case '/cancel':
      transfers.cancel(rest[0] ?? '');
      return true;
    case '/files':
      for (const v of transfers.list()) output.note(`${v.id}  ${v.direction}  ${v.fileName}  ${v.state}  ${v.percent} %`);
      return true;
    default:
      return false;
  }
}

/** Sends every transfer offer and update of a session to the CLI output. */
export function showTransfers(session: RoomSession, output: CliOutput): void {
  session.transfers.on('offer', (view) => output.transfer('offer', view));
  session.transfers.on('update', (view) => output.transfer('update', view));
}
