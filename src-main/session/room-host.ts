import type { FileTransfers } from '../features/files/file-transfers';
import { HostedRoom, type HostedRoomOptions } from '../room/hosted-room';
import { hostFeatures, type HostFileOptions, type MemberSides } from './room-features';
import type { RoomSession, SessionEvents } from './room-session';

export { createRoomSecret, DEFAULT_POLICY } from '../room/hosted-room';
export type { HostFileOptions as HostTransferOptions } from './room-features';

export interface RoomHostOptions extends HostedRoomOptions {
  /** Download folder, auto-accept and relay limits for file transfers. */
  transfers?: HostFileOptions | undefined;
}

/** A hosted room with this build's features: what `porthole host` and the window's Host run. */
export class RoomHost extends HostedRoom<SessionEvents> implements RoomSession {
  /** The host member's own file transfers. */
  readonly transfers: FileTransfers;
  /** The member side of each feature, for the CLI and the window (chat, files, typing…). */
  readonly sides: MemberSides;

  private constructor(options: RoomHostOptions, built: ReturnType<typeof hostFeatures>) {
    super(options, built.features);
    this.sides = built.sides;
    this.transfers = built.sides.files;
    built.sides.chat.on('send-failed', (failure) => this.emit('send-failed', failure));
  }

  /** Starts listening; resolves once the port is open. */
  static async start(options: RoomHostOptions): Promise<RoomHost> {
    const host = new RoomHost(options, hostFeatures(options.transfers));
    await host.listen();
    return host;
  }

  /** The host's own chat message; returns its id. */
  send(text: string): string {
    return this.sides.chat.send(text);
  }
}
