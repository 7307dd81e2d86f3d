import { userInfo } from 'node:os';
import { parseInvite, type Invite } from '../link/invite';
import { parseRelayUri } from '../relay/relay-uri';
import { RoomClient } from '../session/room-client';
import { rememberChoices, settingsStore } from '../config/settings';
import type { CliOutput } from './cli-output';
import { holdUntilReady } from './held-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';

export interface JoinCommandOptions {
  invite: string;
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
  const invite = withRelay(parseInvite(options.invite), options.relay);
  const client = RoomClient.create(invite, {
    name: options.name ?? saved.displayName ?? userInfo().username,
    transfers: { ...options.transfers, downloadDir: options.transfers?.downloadDir ?? saved.downloadDir },
  });
  showTransfers(client, shown);
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
    throw err;
  } finally {
    clearInterval(progress);
  }
  shown.ready({ role: 'guest', me: client.me, members: client.members() });
  // The name the room took is the one to use next time, in either role (as the window does). Not
  // awaited before the loop: a room that closes meanwhile must still end it.
  const remembering =
    options.name === undefined
      ? undefined
      : rememberChoices(options.configDir, { displayName: client.me.name }).catch((err: Error) =>
          shown.warning({ code: 'internal', message: `Your name could not be remembered for next time (${err.message}).` }),
        );
  const code = await runSessionLoop(client, shown, io);
  await remembering;
  return code;
}

/** The invite with `--relay`'s relay in place of its own (PortholeError 'relay-invalid' for a bad URI). */
function withRelay(invite: Invite, relayText: string | undefined): Invite {
  if (relayText === undefined) return invite;
  const { host, port, id } = parseRelayUri(relayText);
  return { ...invite, relay: { host, port, id: id.toString('base64url') } };
}
