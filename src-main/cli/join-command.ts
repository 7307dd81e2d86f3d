import { userInfo } from 'node:os';
import { formatInvite, parseInvite, type Invite } from '../link/invite';
import { parseRelayUri } from '../relay/relay-uri';
import { RoomClient } from '../session/room-client';
import { offerKeySecret } from '../config/offer-key-secret';
import { rememberChoices, settingsStore } from '../config/settings';
import { PortholeError, toAppError } from '../wire/errors';
import type { RoomEvent } from '../session/room-session';
import type { CliOutput } from './cli-output';
import { holdUntilReady } from './held-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';
import { cliRecentRooms, recordRoom } from './cli-recent-rooms';
import { openRecentRoom } from './recent-room-pick';

export interface JoinCommandOptions {
  /** The invite typed; or `recent`, the number of a recent room (`porthole rooms`) to rejoin with its kept invite. */
  invite?: string | undefined;
  recent?: number | undefined;
  /** The display name; remembered for the next `join` and `host` (and the window) once the room took it. */
  name?: string | undefined;
  /** A relay to reach the host through instead of the invite's (`relay://HOST:PORT/?id=…`). */
  relay?: string | undefined;
  configDir: string;
  /** Where received files go, and whether every offer is accepted at once. */
  transfers?: { downloadDir?: string | undefined; autoAccept?: boolean | undefined };
}

/** How often the connecting progress is told, and so the longest silence while joining. */
const PROGRESS_EVERY_MS = 1000;

/** `porthole join`: joins a room and chats until /quit, a signal, or the room ends. */
export async function joinCommand(options: JoinCommandOptions, output: CliOutput, io: LoopIo): Promise<number> {
  // `ready` first: the history, members and status the room reports while joining follow it.
  const shown = holdUntilReady(output);
  const { value: saved } = await settingsStore(options.configDir).load();
  const recent =
    options.recent === undefined ? undefined : await openRecentRoom(cliRecentRooms(options.configDir), options.recent, 'guest');
  const invite = withRelay(parseInvite(recent?.secret ?? options.invite ?? ''), options.relay);
  const client = RoomClient.create(invite, {
    // Back in a recent room under the name used there, unless another is asked for.
    name: options.name ?? recent?.room.name ?? saved.displayName ?? userInfo().username,
    transfers: {
      ...options.transfers,
      downloadDir: options.transfers?.downloadDir ?? saved.downloadDir,
      keySecret: await offerKeySecret(options.configDir), // files offered again after a restart resume
    },
  });
  showTransfers(client, shown);
  // What the room replays while joining is kept with the room once it is joined.
  const seen: RoomEvent[] = [];
  const see = (event: RoomEvent) => void seen.push(event);
  client.on('room-event', see);
  client.on('room-event', (event, replayed) => shown.roomEvent(event, replayed));
  client.on('members', (members) => shown.members(members));
  client.on('warning', (error) => shown.warning(error));
  client.on('send-failed', (failure) => shown.sendFailed(failure));
  client.on('status', (status) => shown.status(status));
  const began = Date.now();
  const tell = () => shown.connecting({ addresses: invite.addresses.length, elapsedMs: Date.now() - began });
  tell();
  const progress = setInterval(tell, PROGRESS_EVERY_MS);
  try {
    // A signal or a broken stdout while joining gives the join up at once, like /quit after it.
    await client.connect(io.shutdown);
  } catch (err) {
    await client.close();
    if (io.shutdown.aborted) return 0;
    throw options.recent === undefined ? err : refusedRecent(err, options.recent);
  } finally {
    clearInterval(progress);
    client.off('room-event', see);
  }
  shown.ready({ role: 'guest', me: client.me, members: client.members() });
  // Kept in the recent rooms (`porthole rooms`), the invite in the 0600 index file, with what is said from now on.
  const recording = recordRoom(options.configDir, client, { role: 'guest', invite: formatInvite(invite) }, seen);
  // The name the room took is the one to use next time, in either role (as the window does). Not
  // awaited before the loop: a room that closes meanwhile must still end it.
  const remembering =
    options.name === undefined
      ? undefined
      : rememberChoices(options.configDir, { displayName: client.me.name }).catch((err: Error) =>
          shown.warning({ code: 'internal', message: `Your name could not be remembered for next time (${err.message}).` }),
        );
  const code = await runSessionLoop(client, shown, io);
  await Promise.all([remembering, recording.end()]);
  return code;
}

/** Why a recent room could not be rejoined: a revoked invite said as such; a removal in the host's words. */
function refusedRecent(err: unknown, number: number): unknown {
  const { code } = toAppError(err);
  if (code !== 'wrong-secret') return err;
  return new PortholeError(
    'wrong-secret',
    `The host no longer accepts the invite kept for room ${number} (it was revoked, or the room was made anew). Ask the host for the new invite; \`porthole rooms forget ${number}\` forgets this one.`,
  );
}

/** The invite with `--relay`'s relay in place of its own (PortholeError 'relay-invalid' for a bad URI). */
function withRelay(invite: Invite, relayText: string | undefined): Invite {
  if (relayText === undefined) return invite;
  const { host, port, id } = parseRelayUri(relayText);
  return { ...invite, relay: { host, port, id: id.toString('base64url') } };
}
