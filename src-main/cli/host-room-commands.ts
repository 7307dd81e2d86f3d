// The host's commands in `porthole host`: /remove NAME [why…], /allow NAME, /revoke.
import type { HostedSession } from '../session/hosted-session';
import { toAppError } from '../wire/errors';
import type { CliOutput } from './cli-output';
import { printable } from './printable';

const fold = (name: string) => name.normalize('NFKC').toLocaleLowerCase();

/** Runs a host command; false when `text` is not one. */
export function runHostCommand(hosting: HostedSession, output: CliOutput, text: string): boolean {
  const [name, who = '', ...why] = text.split(/\s+/);
  const { host } = hosting;
  if (name === '/remove') {
    const member = host.members().find((m) => !m.host && fold(m.name) === fold(who));
    if (!who || !member) {
      output.error({
        code: 'not-found',
        message: `Nobody here is called "${printable(who)}". /who lists who is here; /remove NAME [why].`,
      });
      return true;
    }
    host.remove(member.id, why.join(' '));
    output.note(`Removed ${printable(member.name)}. The invite will not let them back in (/allow ${printable(member.name)} undoes that).`);
  } else if (name === '/allow') {
    const allowed = who !== '' && host.allow(who);
    output.note(allowed ? `${printable(who)} may join again with the invite.` : `"${printable(who)}" was not removed.`);
  } else if (name === '/revoke') {
    // The new invite follows, as the invite's 'changed' (printed as revoked: the old one works nowhere).
    output.note('The invite was revoked. Everyone here stays.');
    hosting.revokeInvite().catch((err: unknown) => output.error(toAppError(err)));
  } else return false;
  return true;
}
