import type { Member } from '../../wire/protocol';
import { FileTransfers, type FileTransferOptions } from './file-transfers';
import type { MemberPort } from './member-link';
import { RemotePort, localPair, type GuestConnection } from './member-ports';
import { DEFAULT_HUB_POLICY, TransferHub, type HubPolicy } from './transfer-hub';
import type { TransferClientMessage } from './transfer-messages';

export interface HostTransferOptions extends Partial<FileTransferOptions> {
  policy?: Partial<HubPolicy>;
}

/**
 * File transfers on the host: the hub that relays between members, and the host member's own
 * FileTransfers joined to it in-process. RoomHost tells it who joined and left and hands it
 * transfer frames.
 */
export class HostTransfers {
  readonly files: FileTransfers;
  private readonly hub: TransferHub;
  private readonly local: MemberPort;
  private readonly remote = new Map<GuestConnection, RemotePort>();

  constructor(me: Member, members: () => Member[], options: HostTransferOptions = {}) {
    this.hub = new TransferHub(
      { all: () => this.ports() },
      {
        ...DEFAULT_HUB_POLICY,
        ...options.policy,
      },
    );
    this.files = new FileTransfers(options, (id) => members().find((m) => m.id === id));
    const { port, link } = localPair(me.id, this.hub, this.files);
    this.local = port;
    this.files.attach(link);
  }

  /** A guest finished its hello: it can now send and receive files. */
  joined(connection: GuestConnection, memberId: string): void {
    this.remote.set(connection, new RemotePort(memberId, connection));
  }

  /** A transfer message from a guest; returns a sentence when it broke the protocol. */
  control(connection: GuestConnection, message: TransferClientMessage): string | undefined {
    const port = this.remote.get(connection);
    return port ? this.hub.control(port, message) : 'Send hello before anything else.';
  }

  /** A binary frame from a guest; returns a sentence when it broke the protocol. */
  chunk(connection: GuestConnection, frame: Buffer): string | undefined {
    const port = this.remote.get(connection);
    return port ? this.hub.chunk(port, frame) : 'Send hello before anything else.';
  }

  /** A guest's connection closed. */
  gone(connection: GuestConnection): void {
    const port = this.remote.get(connection);
    this.remote.delete(connection);
    if (port) this.hub.portGone(port);
  }

  /** The room closes: guests are told `host-left` before the close frames; the host's own transfers end. */
  close(): void {
    this.hub.close();
    this.files.detach('host-left');
  }

  /** The host first, then one port per member (the newest connection when one resumed). */
  private ports(): MemberPort[] {
    const byMember = new Map<string, MemberPort>();
    for (const port of this.remote.values()) byMember.set(port.memberId, port);
    return [this.local, ...byMember.values()];
  }
}
