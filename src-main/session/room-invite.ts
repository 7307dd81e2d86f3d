// The one invite a host hands out: every address a friend might use — this machine's LAN
// addresses, the router's forwarded public address, the IPv6 pinhole, and addresses the person
// forwarded by hand — updated as the router answers. Guests try them all at once.
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { PortholeError } from '../wire/errors';
import {
  MAX_INVITE_ADDRESSES,
  formatAddress,
  formatInvite,
  inviteAddressKey,
  inviteRelayUri,
  type InviteAddress,
  type InviteRelay,
} from '../link/invite';
import type { PortMappingStatus } from '../nat/port-mapping-status';

/** What an address in the invite is for. */
export type InviteAddressKind = 'lan' | 'public' | 'ipv6' | 'manual';

export interface InviteEntry extends InviteAddress {
  kind: InviteAddressKind;
  /** Whether friends on the internet can use it (as far as this machine can tell). */
  internet: boolean;
}

/** The invite to copy, and what each of its addresses is for. */
export interface RoomInvite {
  invite: string;
  addresses: InviteEntry[];
  /** The relay the invite names (friends who cannot reach an address come through it); absent when none is set. */
  relay?: { address: string; uri: string };
}

export interface RoomInviteParts {
  /** This machine's addresses, most useful first. */
  lan: string[];
  port: number;
  fingerprint: string;
  secret: string;
  /** Addresses the person forwarded by hand (HOST, HOST:PORT). */
  manual?: InviteAddress[];
  mapping?: PortMappingStatus | undefined;
  /** The relay the host joins, added to the invite. */
  relay?: InviteRelay | undefined;
}

// The invite's own rule (IPv6 by value), so the addresses listed are exactly those the invite keeps.
const sameAddress = (a: InviteAddress, b: InviteAddress) => inviteAddressKey(a) === inviteAddressKey(b);

/** Builds the invite: internet addresses first, then LAN ones, at most MAX_INVITE_ADDRESSES. */
export function buildRoomInvite(parts: RoomInviteParts): RoomInvite {
  const entries: InviteEntry[] = [];
  const add = (entry: InviteEntry) => {
    const twin = entries.find((e) => sameAddress(e, entry));
    if (twin) twin.internet ||= entry.internet;
    else entries.push(entry);
  };
  const { mapping } = parts;
  if (mapping?.code === 'mapped' && mapping.externalAddress && mapping.externalPort) {
    add({ host: mapping.externalAddress, port: mapping.externalPort, kind: 'public', internet: true });
  }
  if (mapping?.ipv6) add({ host: mapping.ipv6.address, port: mapping.ipv6.port, kind: 'ipv6', internet: true });
  for (const manual of parts.manual ?? []) add({ ...manual, kind: 'manual', internet: true });
  for (const host of parts.lan) add({ host, port: parts.port, kind: 'lan', internet: false });
  const addresses = entries.slice(0, MAX_INVITE_ADDRESSES);
  const { relay } = parts;
  const invite = formatInvite({ addresses, fingerprint: parts.fingerprint, secret: parts.secret, relay });
  return { invite, addresses, ...(relay ? { relay: { address: formatAddress(relay), uri: inviteRelayUri(relay) } } : {}) };
}

/**
 * Reads an address the person forwarded by hand: `HOST`, `HOST:PORT`, `[IPv6]:PORT` or a bare
 * IPv6 address; the room's port when none is given. Throws PortholeError('invalid-request').
 */
export function parsePublicAddress(text: string, defaultPort: number): InviteAddress {
  const trimmed = text.trim();
  const bad = (why: string): never => {
    throw new PortholeError(
      'invalid-request',
      `"${trimmed.slice(0, 80)}" is not an address friends can use: ${why} Write it like 203.0.113.7, 203.0.113.7:41234, [2001:db8::7]:41234 or home.example.org:41234.`,
    );
  };
  if (trimmed === '') bad('it is empty.');
  let host = trimmed;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) [, host = '', portText] = bracketed;
  else if (isIP(trimmed) !== 6 && trimmed.includes(':')) [host = '', portText] = trimmed.split(':');
  if (portText !== undefined && (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535))
    bad('the port must be a number from 1 to 65535.');
  const validName = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(
    host,
  );
  if (isIP(host) === 0 && (!validName || /^[\d.]+$/.test(host))) bad('the host is not an IP address or a name.');
  if (bracketed && isIP(host) !== 6) bad('only IPv6 addresses go in brackets.');
  return { host: host.toLowerCase(), port: portText === undefined ? defaultPort : Number(portText) };
}

type HostInviteEvents = { changed: [invite: RoomInvite] };

/** The host's current invite; tells whoever listens each time its addresses change. */
export class HostInvite extends EventEmitter<HostInviteEvents> {
  private value: RoomInvite;

  constructor(private parts: RoomInviteParts) {
    super();
    this.value = buildRoomInvite(parts);
  }

  get current(): RoomInvite {
    return this.value;
  }

  /** The router's answer changed: the public address or the pinhole may come or go. */
  mappingChanged(mapping: PortMappingStatus): void {
    this.update({ ...this.parts, mapping });
  }

  /** The host joins a relay (or none): the invite names it, so friends behind any NAT can come in. */
  relayChanged(relay: InviteRelay | undefined): void {
    this.update({ ...this.parts, relay });
  }

  /** The invite was revoked: the same addresses with the new secret. */
  secretChanged(secret: string): void {
    this.update({ ...this.parts, secret });
  }

  private update(parts: RoomInviteParts): void {
    this.parts = parts;
    const next = buildRoomInvite(parts);
    if (JSON.stringify(next) === JSON.stringify(this.value)) return;
    this.value = next;
    this.emit('changed', next);
  }
}
