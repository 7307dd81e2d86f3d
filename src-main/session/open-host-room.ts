// Starting a room as host, the same for `porthole host` and the desktop window: remembered name,
// port and secret, the saved identity, and the invites to hand out.
import { userInfo } from 'node:os';
import type { AppError } from '../wire/errors';
import { PortholeError, cancelledBy } from '../wire/errors';
import { loadOrCreateHostIdentity, type HostIdentity } from '../link/host-identity';
import type { InviteAddress } from '../link/invite';
import { nameSchema } from '../wire/protocol';
import { RoomHost, createRoomSecret } from './room-host';
import type { HostTransferOptions } from './room-host';
import { lanAddresses } from '../nat/local-addresses';
import { HostInvite, parsePublicAddress } from './room-invite';
import { offerKeySecret } from '../config/offer-key-secret';
import { roomSecretStore, settingsStore } from '../config/settings';
import { ROOM_SIZE, checkedRoomSize } from '../room/room-size';

export interface OpenHostRoomOptions {
  configDir: string;
  /** The display name; the remembered one, then the login name, when left out. */
  name?: string | undefined;
  /** A port the person asked for; the remembered one (or any free one) when left out. */
  port?: number | undefined;
  /** Make a new room secret, so earlier invites stop working. */
  newInvite?: boolean;
  /** Reopen a recent room: its secret (base64url, 43 characters), instead of the one kept in the config folder. */
  secret?: string | undefined;
  /** Addresses the person forwarded by hand (`HOST[:PORT]`), added to the invite. */
  publicAddresses?: string[] | undefined;
  transfers?: HostTransferOptions | undefined;
  /** Where to listen; every interface when left out. */
  listenHost?: string;
  /** How many people the room lets in, you included (`--max-people`); the Room size setting, else the default, when left out. */
  maxPeople?: number | undefined;
  /**
   * Saves the name and port used, for the next start. The window passes its own settings
   * writer, so this save queues behind any other settings change instead of racing it.
   */
  remember?: (used: { displayName: string; port: number }) => Promise<void>;
  /**
   * Gives up hosting (the window's Leave, quitting, the CLI's Ctrl-C): checked between steps; a
   * room already listening is closed before this rejects with a 'cancelled' PortholeError.
   */
  signal?: AbortSignal | undefined;
}

export interface OpenHostRoom {
  host: RoomHost;
  identity: HostIdentity;
  secret: string;
  /** The one invite to hand out; it changes as the router answers (see HostInvite). */
  invite: HostInvite;
  /** Things the person should know that did not stop the room (a damaged file set aside, …). */
  warnings: AppError[];
  /** Keeps a new secret (a revoked invite) for the next start, in the 0600 room secret file. */
  saveSecret(secret: string): Promise<void>;
}

/** Starts a room host and remembers its name, port and secret for the next start. */
export async function openHostRoom(options: OpenHostRoomOptions): Promise<OpenHostRoom> {
  const { signal } = options;
  const stopIfCancelled = async (host?: RoomHost) => {
    if (!signal?.aborted) return;
    await host?.close();
    throw cancelledBy(signal, 'Hosting was cancelled.');
  };
  await stopIfCancelled();
  const settings = settingsStore(options.configDir);
  const secrets = roomSecretStore(options.configDir);
  const [{ value: saved, problem }, { value: kept }] = await Promise.all([settings.load(), secrets.load()]);
  const warnings: AppError[] = problem ? [{ code: 'internal', message: problem }] : [];
  const name = chooseName(options.name ?? saved.displayName);
  // A size the person asked for, then the Room size setting (the schema dropped a damaged one).
  const maxMembers = checkedRoomSize(options.maxPeople ?? saved.maxPeople ?? ROOM_SIZE.default);
  const { identity, replacedDamaged } = await loadOrCreateHostIdentity(options.configDir);
  await stopIfCancelled();
  if (replacedDamaged) {
    warnings.push({
      code: 'internal',
      message: `The saved host identity was damaged (kept as ${replacedDamaged}); a new one was made, so invites sent earlier no longer work.`,
    });
  }
  const secret = options.secret ?? (!options.newInvite && kept.secret ? kept.secret : createRoomSecret());
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) throw new PortholeError('invalid-request', 'The remembered invite is damaged; host a new room.');
  // Checked before the room opens, so a typo fails at once; the room's port fills in a missing one below.
  (options.publicAddresses ?? []).forEach((text) => parsePublicAddress(text, 1));
  const host = await startOnPort(options.port, saved.port, {
    identity,
    secret,
    hostName: name,
    // The download folder chosen in the window's settings applies unless the caller names one.
    // The same secret every start, so files offered again after a restart resume (PROTOCOL.md §11).
    transfers: {
      ...options.transfers,
      downloadDir: options.transfers?.downloadDir ?? saved.downloadDir,
      keySecret: options.transfers?.keySecret ?? (await offerKeySecret(options.configDir)),
    },
    ...(options.listenHost ? { listenHost: options.listenHost } : {}),
    maxMembers,
  });
  await stopIfCancelled(host);
  if (options.port === undefined && saved.port && host.port !== saved.port) warnings.push(portChanged(saved.port, host.port));
  const remember = options.remember ?? (async (used) => settings.save({ ...(await settings.load()).value, ...used }));
  try {
    await Promise.all([remember({ displayName: name, port: host.port }), secrets.save({ secret })]);
  } catch (err) {
    await host.close(); // a room nobody can find again is not left listening
    throw err;
  }
  const manual: InviteAddress[] = (options.publicAddresses ?? []).map((text) => parsePublicAddress(text, host.port));
  const lan = await lanAddresses();
  await stopIfCancelled(host);
  const invite = new HostInvite({ lan, port: host.port, fingerprint: identity.fingerprint, secret, manual });
  return { host, identity, secret, invite, warnings, saveSecret: (next) => secrets.save({ secret: next }) };
}

/** The remembered port was taken: said plainly, with both ports for programs (`--json`). */
function portChanged(previousPort: number, port: number): AppError & { previousPort: number; port: number } {
  return {
    code: 'port-changed',
    message: `Port ${previousPort} was taken, so the room is on port ${port}: invites sent before no longer work. Send the new invite instead.`,
    previousPort,
    port,
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
  base: {
    identity: HostIdentity;
    secret: string;
    hostName: string;
    transfers?: HostTransferOptions;
    listenHost?: string;
    maxMembers: number;
  },
): Promise<RoomHost> {
  try {
    return await RoomHost.start({ ...base, port: asked ?? remembered ?? 0 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && asked === undefined && remembered) return RoomHost.start({ ...base, port: 0 });
    if (code === 'EADDRINUSE')
      throw new PortholeError(
        'port-unavailable',
        `Port ${asked} is already in use. Choose another port, or leave it empty to pick a free one.`,
      );
    if (code === 'EACCES')
      throw new PortholeError('port-unavailable', `Port ${asked} needs administrator rights. Choose a port above 1023.`);
    throw err;
  }
}
