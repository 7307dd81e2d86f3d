import { userInfo } from 'node:os';
import { lanAddresses } from '../nat/local-addresses';
import { createPortMapper, type PortMapper } from '../nat/port-mapper';
import type { PortMappingStatus } from '../nat/port-mapping-status';
import { loadOrCreateHostIdentity, type HostIdentity } from '../room/host-identity';
import { formatInvite } from '../room/invite';
import { RoomHost, createRoomSecret } from '../room/room-host';
import { nameSchema } from '../room/protocol';
import { PortholeError } from '../room/errors';
import { roomSecretStore, settingsStore } from '../config/settings';
import type { CliOutput, InviteLine } from './cli-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';

export interface HostCommandOptions {
  port?: number;
  name?: string;
  upnp: boolean;
  newInvite: boolean;
  configDir: string;
  /** Where received files go, and whether every offer is accepted at once. */
  transfers?: { downloadDir?: string; autoAccept?: boolean };
}

/** `porthole host`: runs a room until /quit or a signal. Resolves with the exit code. */
export async function hostCommand(options: HostCommandOptions, output: CliOutput, io: LoopIo): Promise<number> {
  const settings = settingsStore(options.configDir);
  const secrets = roomSecretStore(options.configDir);
  const [{ value: saved, problem }, { value: kept }] = await Promise.all([settings.load(), secrets.load()]);
  if (problem) output.warning({ code: 'internal', message: problem });
  const name = chooseName(options.name ?? saved.displayName);
  const { identity, replacedDamaged } = await loadOrCreateHostIdentity(options.configDir);
  if (replacedDamaged) {
    output.warning({
      code: 'internal',
      message: `The saved host identity was damaged (kept as ${replacedDamaged}); a new one was made, so invites sent earlier no longer work.`,
    });
  }
  const secret = !options.newInvite && kept.secret ? kept.secret : createRoomSecret();
  const host = await startOnPort(options.port, saved.port, { identity, secret, hostName: name, transfers: options.transfers });
  await Promise.all([
    settings.save({ ...saved, displayName: name, port: host.port }),
    secrets.save({ secret }),
  ]);

  const invites: InviteLine[] = (await lanAddresses()).map((address) => ({
    kind: 'lan',
    address,
    invite: formatInvite({ host: address, port: host.port, fingerprint: identity.fingerprint, secret }),
  }));
  host.on('room-event', (event, replayed) => output.roomEvent(event, replayed));
  host.on('members', (members) => output.members(members));
  showTransfers(host, output);
  output.ready({ role: 'host', me: host.me, members: host.members(), port: host.port, fingerprint: identity.fingerprint, invites });
  const mapper = options.upnp ? startPortMapping(host.port, output, (status) => publicInvite(status, identity.fingerprint, secret)) : undefined;
  // The room closes first so that guests on the internet still get their close frame through
  // the router; the mapping goes right after (closing is bounded by the close timeout).
  return runSessionLoop(host, output, io, undefined, async () => mapper?.stop());
}

/** Asks the router to forward the room's port; reports every change of state as it happens. */
function startPortMapping(
  port: number,
  output: CliOutput,
  inviteFor: (status: PortMappingStatus) => InviteLine | undefined,
): PortMapper {
  const mapper = createPortMapper({ internalPort: port });
  mapper.on('status', (status: PortMappingStatus) => output.portMapping(status, inviteFor(status)));
  void mapper.start();
  return mapper;
}

/** The invite for friends on the internet: only when the router maps to a public address. */
function publicInvite(status: PortMappingStatus, fingerprint: string, secret: string): InviteLine | undefined {
  if (status.code !== 'mapped' || !status.externalAddress || !status.externalPort) return undefined;
  return {
    kind: 'public',
    address: status.externalAddress,
    invite: formatInvite({ host: status.externalAddress, port: status.externalPort, fingerprint, secret }),
  };
}

function chooseName(wanted: string | undefined): string {
  const candidate = nameSchema.safeParse(wanted ?? userInfo().username);
  if (candidate.success) return candidate.data;
  if (wanted !== undefined) throw new PortholeError('name-invalid', `${candidate.error.issues[0]?.message} Pick another name.`);
  return 'Host';
}

/** A port the person asked for must be used; a remembered one is given up if it is taken. */
async function startOnPort(
  asked: number | undefined,
  remembered: number | undefined,
  base: { identity: HostIdentity; secret: string; hostName: string; transfers?: HostCommandOptions['transfers'] },
): Promise<RoomHost> {
  try {
    return await RoomHost.start({ ...base, port: asked ?? remembered ?? 0 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && asked === undefined && remembered) return RoomHost.start({ ...base, port: 0 });
    if (code === 'EADDRINUSE') throw new PortholeError('internal', `Port ${asked} is already in use. Choose another with --port, or leave it out to pick a free one.`);
    if (code === 'EACCES') throw new PortholeError('internal', `Port ${asked} needs administrator rights. Choose a port above 1023.`);
    throw err;
  }
}
