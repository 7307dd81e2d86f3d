import { userInfo } from 'node:os';
import { RoomClient } from '../session/room-client';
import { settingsStore } from '../config/settings';
import type { CliOutput } from './cli-output';
import { runSessionLoop, type LoopIo } from './session-loop';
import { showTransfers } from './transfer-commands';

export interface JoinCommandOptions {
  invite: string;
  name?: string | undefined;
  configDir: string;
  /** Where received files go, and whether every offer is accepted at once. */
  transfers?: { downloadDir?: string | undefined; autoAccept?: boolean | undefined };
}

/** `porthole join`: joins a room and chats until /quit, a signal, or the room ends. */
export async function joinCommand(options: JoinCommandOptions, output: CliOutput, io: LoopIo): Promise<number> {
  const { value: saved } = await settingsStore(options.configDir).load();
  const client = RoomClient.create(options.invite, {
    name: options.name ?? saved.displayName ?? userInfo().username,
    transfers: { ...options.transfers, downloadDir: options.transfers?.downloadDir ?? saved.downloadDir },
  });
  showTransfers(client, output);
  client.on('room-event', (event, replayed) => output.roomEvent(event, replayed));
  client.on('members', (members) => output.members(members));
  client.on('warning', (error) => output.warning(error));
  client.on('send-failed', (failure) => output.sendFailed(failure));
  client.on('status', (status) => output.status(status));
  try {
    // A signal or a broken stdout while joining gives the join up at once, like /quit after it.
    await client.connect(io.shutdown);
  } catch (err) {
    await client.close();
    if (io.shutdown.aborted) return 0;
    throw err;
  }
  output.ready({ role: 'guest', me: client.me, members: client.members() });
  return runSessionLoop(client, output, io);
}
