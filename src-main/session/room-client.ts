import type { FileTransfers, FileTransferOptions } from '../features/files/file-transfers';
import type { Outgoing } from '../features/chat/chat-member';
import type { Invite } from '../link/invite';
import { JoinedRoom, type JoinedRoomOptions } from '../room/joined-room';
import { guestFeatures, type MemberSides } from './room-features';
import type { RoomSession, SessionEvents } from './room-session';

export interface JoinOptions extends JoinedRoomOptions {
  /** Download folder and auto-accept for files offered in the room. */
  transfers?: FileTransferOptions | undefined;
}

/**
 * A guest in a room, with this build's features: what `porthole join` and the window's Join
 * run. Reconnects and resumes on its own (JoinedRoom); lines typed meanwhile wait and are sent once.
 */
export class RoomClient extends JoinedRoom<SessionEvents> implements RoomSession {
  /** This guest's file transfers; they end when the connection does. */
  readonly transfers: FileTransfers;
  /** The member side of each feature, for the CLI and the window (chat, files, typing…). */
  readonly sides: MemberSides;

  private constructor(invite: Invite | string, options: JoinOptions, built: ReturnType<typeof guestFeatures>) {
    super(invite, options, built.features);
    this.sides = built.sides;
    this.transfers = built.sides.files;
    built.sides.chat.on('send-failed', (failure) => this.emit('send-failed', failure));
  }

  /** Validates the invite and name; call connect() after subscribing to events. */
  static create(invite: Invite | string, options: JoinOptions): RoomClient {
    return new RoomClient(invite, options, guestFeatures(options.transfers));
  }

  /** Joins the room an invite names; rejects with a PortholeError saying why it could not. */
  static async join(invite: Invite | string, options: JoinOptions): Promise<RoomClient> {
    const client = RoomClient.create(invite, options);
    await client.connect();
    return client;
  }

  /** Sends a message now, or queues it while reconnecting. Returns its id. */
  send(text: string): string {
    return this.sides.chat.send(text);
  }

  /** Messages typed but not yet confirmed by the host. */
  pending(): Outgoing[] {
    return this.sides.chat.pending();
  }
}
