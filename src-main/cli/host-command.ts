import { startHosting, type HostedSession } from '../session/hosted-session';
import { rememberChoices, settingsStore } from '../config/settings';
import type { CliOutput } from './cli-output';
import { holdUntilReady } from './held-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';

export interface HostCommandOptions {
  port?: number | undefined;
  name?: string | undefined;
  upnp: boolean;
  newInvite: boolean;
  /** Addresses forwarded by hand, added to the invite. */
  publicAddresses?: string[];
  /** `--relay URI` (used and remembered), `--no-relay` (false: none, and forgotten), or the remembered one (undefined). */
  relay?: string | false | undefined;
  configDir: string;
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
    hosting = await startHosting({ ...options, relay, portForwarding: options.upnp, signal: io.shutdown });
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
  invite.on('changed', (updated) => shown.inviteUpdated(updated));
  // Every change of the router's state is reported, then the invite it changed.
  hosting.on('port-mapping', (status) => shown.portMapping(status));
  hosting.on('relay', (status) => shown.relay(status));
  hosting.startPortMapping();
  // The session closes the room first (guests on the internet still get their close frame through
  // the router), then the mapping goes.
  return runSessionLoop(host, shown, io, { close: () => hosting.close(), hosting });
}
