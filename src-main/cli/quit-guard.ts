import type { RoomSession } from '../session/room-session';

/** A transfer that `/quit` would stop: one being sent or received, or an offer of yours still open or queued. */
const isRunning = (v: { state: string; direction: string }) =>
  v.state === 'sending' || v.state === 'receiving' || (v.direction === 'outgoing' && (v.state === 'offered' || v.state === 'queued'));

/**
 * Why leaving deserves a second `/quit` (hosting: the room closes for everyone; transfers would
 * stop), as a sentence; undefined when `/quit` may leave at once.
 */
export function quitWouldCost(session: RoomSession): string | undefined {
  const reasons: string[] = [];
  if (session.me.host) {
    const others = session.members().filter((m) => m.id !== session.me.id).length;
    const who = others === 0 ? '' : ` for ${others === 1 ? 'the other person' : `the ${others} others`} here`;
    reasons.push(`You are hosting: leaving closes the room${who}.`);
  }
  const running = session.transfers.list().filter(isRunning).length;
  if (running > 0) reasons.push(`${running === 1 ? 'A file transfer is' : `${running} file transfers are`} still running and would stop.`);
  if (reasons.length === 0) return undefined;
  return `${reasons.join(' ')} Type /quit again to leave (Ctrl-C leaves at once), or anything else to stay.`;
}
