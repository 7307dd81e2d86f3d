import type { HubFeature, HubRoom, MemberConnection, WireMessage } from '../../room/feature';
import type { MemberPort } from './member-link';
import { RemotePort } from './member-ports';
import { DEFAULT_HUB_POLICY, TransferHub, type HubPolicy } from './transfer-hub';
import type { TransferClientMessage } from './transfer-messages';

/**
 * The files feature on the host: the hub that numbers offers and relays chunks between members
 * (transfer-hub.ts), with one port per connection that speaks files — the host's own member's
 * in-process connection first. A broken transfer rule counts as an offense, like any invalid message.
 */
export class FilesHub implements HubFeature {
  private readonly hub: TransferHub;
  private readonly ports = new Map<MemberConnection, RemotePort>();

  constructor(policy: Partial<HubPolicy> = {}) {
    this.hub = new TransferHub({ all: () => this.current() }, { ...DEFAULT_HUB_POLICY, ...policy });
  }

  start(_room: HubRoom): void {}

  connected(connection: MemberConnection): void {
    this.ports.set(connection, new RemotePort(connection.member.id, connection));
  }

  message(connection: MemberConnection, message: WireMessage): void {
    const port = this.ports.get(connection);
    const problem = port ? this.hub.control(port, message as TransferClientMessage) : 'Send hello before anything else.';
    if (problem) connection.offend({ code: 'invalid-message', message: problem });
  }

  binary(connection: MemberConnection, frame: Buffer): void {
    const port = this.ports.get(connection);
    const problem = port ? this.hub.chunk(port, frame) : 'Send hello before anything else.';
    if (problem) connection.offend({ code: 'binary-not-expected', message: problem });
  }

  /** A refused offer is settled too, or the sender would wait for an answer forever. */
  rejected(connection: MemberConnection, type: string, ref: string): void {
    if (type === 'file-offer') connection.send({ type: 'file-refused', ref, reason: 'bad-data' } as WireMessage);
  }

  disconnected(connection: MemberConnection): void {
    const port = this.ports.get(connection);
    this.ports.delete(connection);
    if (port) this.hub.portGone(port);
  }

  /** The room closes: every transfer's members are told `host-left` before the close frames. */
  close(): void {
    this.hub.close();
  }

  /** The members whose connection speaks files/1 now. */
  memberIds(): string[] {
    return this.current().map((port) => port.memberId);
  }

  /** One port per member (the newest connection when one resumed), in the order they joined: the host first. */
  private current(): MemberPort[] {
    const byMember = new Map<string, MemberPort>();
    for (const port of this.ports.values()) byMember.set(port.memberId, port);
    return [...byMember.values()];
  }
}
