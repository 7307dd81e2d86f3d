// Hosting, composed once for `porthole host` and the window alike: the room (openHostRoom), the
// router's port mapping when forwarding is on, the relay when one is set, the invite kept current
// from the router's answers, cancellation while it starts, and closing in the one right order.
import { EventEmitter } from 'node:events';
import { cancelledBy } from '../wire/errors';
import { markRelayed } from '../link/connection-gate';
import { RelayListener } from '../relay/relay-listener';
import { relayStatusOf, type RelayStatus } from '../relay/relay-status';
import { parseRelayUri, type RelayUri } from '../relay/relay-uri';
import { createRoomSecret } from '../room/hosted-room';
import { createPortMapper, type ForkFn, type PortMapper } from '../nat/port-mapper';
import type { PortMappingStatus } from '../nat/port-mapping-status';
import { openHostRoom, type OpenHostRoom, type OpenHostRoomOptions } from './open-host-room';

export interface StartHostingOptions extends OpenHostRoomOptions {
  /** Ask the router to let friends in (UPnP IGD, PCP, NAT-PMP, IPv6 pinholes). */
  portForwarding: boolean;
  /** How the router helper process is started (the app: utilityProcess); child_process.fork when absent. */
  fork?: ForkFn | undefined;
  /** A relay to join (`relay://HOST:PORT/?id=…`): friends who cannot reach any address come through it. */
  relay?: string | undefined;
}

type HostedSessionEvents = {
  /** The router's answer changed; the invite has not been updated yet when this fires. */
  'port-mapping': [status: PortMappingStatus];
  /** The relay connection's state changed (only when a relay is set). */
  relay: [status: RelayStatus];
};

/**
 * A room being hosted. Whoever starts it subscribes to the room, the invite and `port-mapping`,
 * shows the room (and its `warnings`), then calls startPortMapping(), so the first answer of the
 * router comes after the room is shown. close() closes the room, then removes the port mapping.
 */
export class HostedSession extends EventEmitter<HostedSessionEvents> {
  readonly host: OpenHostRoom['host'];
  readonly identity: OpenHostRoom['identity'];
  readonly invite: OpenHostRoom['invite'];
  /** Things the person should know that did not stop the room (a damaged file set aside, …). */
  readonly warnings: OpenHostRoom['warnings'];
  private readonly mapper: PortMapper | undefined;
  private readonly relayListener: RelayListener | undefined;
  private readonly relayUri: RelayUri | undefined;
  private readonly saveSecret: OpenHostRoom['saveSecret'];
  private closing: Promise<void> | undefined;

  constructor(opened: OpenHostRoom, mapper: PortMapper | undefined, relay?: RelayUri) {
    super();
    ({ host: this.host, identity: this.identity, invite: this.invite, warnings: this.warnings, saveSecret: this.saveSecret } = opened);
    this.mapper = mapper;
    this.relayUri = relay;
    if (relay) {
      // The host's own certificate: its id on the relay is the fingerprint every invite carries.
      const listener = new RelayListener({ uri: relay, identity: opened.identity });
      listener.on('status', (status) => this.emit('relay', relayStatusOf(relay, status)));
      // Relayed guests get the same TLS, gate and upgrade as direct ones, counted by their relay id.
      listener.on('session', (socket, { from }) => {
        markRelayed(socket, from);
        this.host.adoptConnection(socket);
      });
      this.relayListener = listener;
      this.invite.relayChanged({ host: relay.host, port: relay.port, id: relay.id.toString('base64url') });
    }
    // Reported first, then the invite changes: the window and the CLI show the status before the new invite.
    mapper?.on('status', (status: PortMappingStatus) => {
      this.emit('port-mapping', status);
      this.invite.mappingChanged(status);
    });
  }

  /** The router's state; undefined when port forwarding is off. */
  get portMapping(): PortMappingStatus | undefined {
    return this.mapper?.status;
  }

  /** The relay connection's state; undefined when no relay is set. */
  get relay(): RelayStatus | undefined {
    return this.relayUri && this.relayListener ? relayStatusOf(this.relayUri, this.relayListener.status) : undefined;
  }

  /**
   * Starts asking the router (nothing when forwarding is off) and joining the relay (when one is
   * set); statuses follow as `port-mapping` and `relay`.
   */
  startPortMapping(): void {
    if (this.closing) return;
    void this.mapper?.start();
    this.relayListener?.start();
  }

  /**
   * Revokes the invite: a new secret for the room at once (everyone present stays; the old invite
   * opens nothing from now on), kept for the next start, and the invite's `changed` with the new
   * text. Resolves with the new secret once it is saved.
   */
  async revokeInvite(): Promise<string> {
    const secret = createRoomSecret();
    this.host.setSecret(secret);
    this.invite.secretChanged(secret);
    await this.saveSecret(secret);
    return secret;
  }

  /**
   * Closes the room for everyone with close frames, then leaves the relay and removes the port
   * mapping (within a second each). The room closes first so that guests on the internet still
   * get their close frame through the router or the relay. The relay and the mapping go even if
   * the room's close failed; the first failure is what this rejects with. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const failures: unknown[] = [];
      await this.host.close().catch((err: unknown) => void failures.push(err));
      await Promise.all([
        this.relayListener?.close().catch((err: unknown) => void failures.push(err)),
        this.mapper?.stop().catch((err: unknown) => void failures.push(err)),
      ]);
      if (failures.length > 0) throw failures[0];
    })();
    return this.closing;
  }
}

/**
 * Opens a room as host (see openHostRoom) and prepares its port mapping. `signal` gives it up while
 * it starts: whatever was opened is closed again and this rejects with a 'cancelled' PortholeError.
 */
export async function startHosting(options: StartHostingOptions): Promise<HostedSession> {
  const { portForwarding, fork, relay: relayText, ...roomOptions } = options;
  // A mistyped relay fails before the room opens (PortholeError 'relay-invalid').
  const relay = relayText ? parseRelayUri(relayText) : undefined;
  const opened = await openHostRoom(roomOptions);
  const { signal } = options;
  if (signal?.aborted) {
    await opened.host.close();
    throw cancelledBy(signal, 'Hosting was cancelled.');
  }
  const mapper = portForwarding
    ? createPortMapper({
        internalPort: opened.host.port,
        owner: opened.identity.fingerprint,
        ...(fork ? { fork } : {}),
      })
    : undefined;
  return new HostedSession(opened, mapper, relay);
}
