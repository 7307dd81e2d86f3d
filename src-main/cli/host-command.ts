import { startHosting, type HostedSession } from '../session/hosted-session';
import type { CliOutput } from './cli-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';

export interface HostCommandOptions {
  port?: number | undefined;
  name?: string | undefined;
  upnp: boolean;
  newInvite: boolean;
  /** Addresses forwarded by hand, added to the invite. */
  publicAddresses?: string[];
  configDir: string;
  /** Where received files go, and whether every offer is accepted at once. */
  transfers?: { downloadDir?: string | undefined; autoAccept?: boolean | undefined };
}

/** `porthole host`: runs a room until /quit or a signal. Resolves with the exit code. */
export async function hostCommand(options: HostCommandOptions, output: CliOutput, io: LoopIo): Promise<number> {
  let hosting: HostedSession;
  try {
    // A signal or a broken stdout while the room opens closes it again, before any router is asked.
    hosting = await startHosting({ ...options, portForwarding: options.upnp, signal: io.shutdown });
  } catch (err) {
    if (io.shutdown.aborted) return 0;
    throw err;
  }
  const { host, identity, invite } = hosting;
  for (const warning of hosting.warnings) output.warning(warning);
  host.on('room-event', (event, replayed) => output.roomEvent(event, replayed));
  host.on('members', (members) => output.members(members));
  showTransfers(host, output);
  output.ready({
    role: 'host',
    me: host.me,
    members: host.members(),
    port: host.port,
    fingerprint: identity.fingerprint,
    invite: invite.current,
  });
  invite.on('changed', (updated) => output.inviteUpdated(updated));
  // Every change of the router's state is reported, then the invite it changed.
  hosting.on('port-mapping', (status) => output.portMapping(status));
  hosting.startPortMapping();
  // The session closes the room first (guests on the internet still get their close frame through
  // the router), then the mapping goes.
  return runSessionLoop(host, output, io, { close: () => hosting.close() });
}
