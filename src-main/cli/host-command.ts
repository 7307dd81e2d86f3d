import { createPortMapper, type PortMapper } from '../nat/port-mapper';
import type { PortMappingStatus } from '../nat/port-mapping-status';
import { openHostRoom, type OpenHostRoom } from '../session/open-host-room';
import type { HostInvite } from '../session/room-invite';
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
  let room: OpenHostRoom;
  try {
    // A signal or a broken stdout while the room opens closes it again, before any router is asked.
    room = await openHostRoom({ ...options, signal: io.shutdown });
  } catch (err) {
    if (io.shutdown.aborted) return 0;
    throw err;
  }
  const { host, identity, invite } = room;
  for (const warning of room.warnings) output.warning(warning);
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
  const mapper = options.upnp ? startPortMapping(host.port, identity.fingerprint, output, invite) : undefined;
  // The room closes first so that guests on the internet still get their close frame through
  // the router; the mapping goes right after (closing is bounded by the close timeout).
  return runSessionLoop(host, output, io, undefined, async () => mapper?.stop());
}

/** Asks the router to let friends in; reports every change of state, and updates the invite. */
function startPortMapping(port: number, owner: string, output: CliOutput, invite: HostInvite): PortMapper {
  const mapper = createPortMapper({ internalPort: port, owner });
  mapper.on('status', (status: PortMappingStatus) => {
    output.portMapping(status);
    invite.mappingChanged(status);
  });
  void mapper.start();
  return mapper;
}
