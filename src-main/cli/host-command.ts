import { startHosting, type HostedSession } from '../session/hosted-session';
import { rememberChoices, settingsStore } from '../config/settings';
import type { CliOutput } from './cli-output';
import { holdUntilReady } from './held-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';
import { cliRecentRooms, recordRoom } from './cli-recent-rooms';
import { openRecentRoom } from './recent-room-pick';
import { parseInvite } from '../link/invite';
import { PortholeError } from '../wire/errors';

export interface HostCommandOptions {
  port?: number | undefined;
  name?: string | undefined;
  upnp: boolean;
  newInvite: boolean;
  /** The number of a recent room you hosted (`porthole rooms`): opened again with its secret and port. */
  recent?: number | undefined;
  /** Addresses forwarded by hand, added to the invite. */
  publicAddresses?: string[];
  /** `--relay URI` (used and remembered), `--no-relay` (false: none, and forgotten), or the remembered one (undefined). */
  relay?: string | false | undefined;
  configDir: string;
  /** `--max-people N`: how many people the room lets in, you included; the Room size setting when absent. */
  maxPeople?: number | undefined;
  /** Where received files go, and whether every offer is accepted at once. */
  transfers?: { downloadDir?: string | undefined; autoAccept?: boolean | undefined };
}

/** `porthole host`: runs a room until /quit or a signal. Resolves with the exit code. */
export async function hostCommand(options: HostCommandOptions, output: CliOutput, io: LoopIo): Promise<number> {
  let hosting: HostedSession;
  try {
    // A signal or a broken stdout while the room opens closes it again, before any router is asked.
    const remembered = options.relay === undefined ? (await settingsStore(options.configDir).load()).value.relay : undefined;
    const relay = options.relay === false ? undefined : (options.relay ?? remembered);
    const reopen = await reopened(options);
    hosting = await startHosting({ ...options, ...reopen, relay, portForwarding: options.upnp, signal: io.shutdown });
  } catch (err) {
    if (io.shutdown.aborted) return 0;
    throw err;
  }
  // The relay asked for (or turned off) is remembered for the next start, like the port and the name.
  if (options.relay !== undefined) {
    await rememberChoices(options.configDir, { relay: options.relay || undefined }).catch((err: Error) =>
      hosting.warnings.push({ code: 'internal', message: `The relay could not be remembered for next time (${err.message}).` }),
    );
  }
  const { host, identity, invite } = hosting;
  // `ready` first: the warnings of the start (a port that moved, a damaged file set aside) follow it.
  const shown = holdUntilReady(output);
  for (const warning of hosting.warnings) shown.warning(warning);
  host.on('room-event', (event, replayed) => shown.roomEvent(event, replayed));
  host.on('members', (members) => shown.members(members));
  showTransfers(host, shown);
  shown.ready({
    role: 'host',
    me: host.me,
    members: host.members(),
    port: host.port,
    fingerprint: identity.fingerprint,
    invite: invite.current,
  });
  // Kept in the recent rooms (`porthole rooms`), its secret in the 0600 index file, with what is said.
  const recording = recordRoom(options.configDir, host, { role: 'host', invite: invite.current.invite, port: host.port });
  let secret = parseInvite(invite.current.invite).secret;
  invite.on('changed', (updated) => {
    // A new secret is a revoked invite: the earlier one works nowhere, and the recent room keeps the new one.
    const next = parseInvite(updated.invite).secret;
    const revoked = next !== secret;
    secret = next;
    if (revoked) void recording.secretChanged(next);
    shown.inviteUpdated(updated, revoked);
  });
  // Every change of the router's state is reported, then the invite it changed.
  hosting.on('port-mapping', (status) => shown.portMapping(status));
  hosting.on('relay', (status) => shown.relay(status));
  hosting.startPortMapping();
  // The session closes the room first (guests on the internet still get their close frame through
  // the router), then the mapping goes.
  const code = await runSessionLoop(host, shown, io, { close: () => hosting.close(), hosting });
  await recording.end();
  return code;
}

/** `--recent N`: that room's secret and port, so the invite sent then works again. */
async function reopened(options: HostCommandOptions): Promise<{ secret: string; port: number | undefined } | undefined> {
  if (options.recent === undefined) return undefined;
  if (options.newInvite) throw new PortholeError('invalid-request', '--recent reopens a room with its own invite: leave out --new-invite.');
  const { room, secret } = await openRecentRoom(cliRecentRooms(options.configDir), options.recent, 'host');
  return { secret, port: options.port ?? room.port };
}
