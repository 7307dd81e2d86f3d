import { isIP } from 'node:net';
import { PortholeError } from '../wire/errors';
import { deviceIdOf } from '../relay/device-id';

/** One place a room can be reached. */
export interface InviteAddress {
  /** IPv4, IPv6 (without brackets) or a DNS name. */
  host: string;
  port: number;
}

/** Everything a guest needs to reach a room and be sure it is the right one. */
export interface Invite {
  /** The first address's host (kept for callers that know only one address). */
  host: string;
  /** The first address's port. */
  port: number;
  /** Every address, in the host's order of preference, without duplicates: 1 to 8 of them. */
  addresses: InviteAddress[];
  /** SHA-256 of the host certificate, base64url. */
  fingerprint: string;
  /** The room secret, base64url. */
  secret: string;
  /** A Syncthing relay the host is joined to, tried after the direct addresses (PROTOCOL.md §1, §2). */
  relay?: InviteRelay;
}

/**
 * A relay in an invite: where it listens and its id (SHA-256 of its certificate, base64url). The
 * host's id on the relay is the invite's fingerprint, so the invite need not say it twice.
 */
export interface InviteRelay {
  /** IPv4, IPv6 (without brackets) or a DNS name. */
  host: string;
  port: number;
  /** SHA-256 of the relay's certificate, base64url (43 characters). */
  id: string;
}

/**
 * What formatInvite takes: one address the old way (`host`, `port`), or the list. When both are
 * given and `host`/`port` differ from the list's first entry, they replace it: `{...invite, host}`
 * moves the first address, as it did when an invite had only one.
 */
export type InviteParts = { fingerprint: string; secret: string; relay?: InviteRelay | undefined } & (
  | { host: string; port: number; addresses?: readonly InviteAddress[] }
  | { addresses: readonly InviteAddress[]; host?: undefined; port?: undefined }
);

/** One invite as shown to the host: for the same network, or for the internet once mapped. */
export interface InviteLine {
  kind: 'lan' | 'public';
  address: string;
  invite: string;
}

/** The most addresses one invite may carry (PROTOCOL.md §1). */
export const MAX_INVITE_ADDRESSES = 8;

const SCHEME = 'porthole://';
const B64URL_32_BYTES = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const DNS_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Parts after the secret (`NAME=VALUE`) a guest reads at most; more make the invite invalid. */
const MAX_INVITE_EXTENSIONS = 4;
const MAX_EXTENSION_CHARS = 300;
const EXTENSION = /^([a-z][a-z0-9-]{0,31})=(.*)$/;

/**
 * Formats an invite as the one pasteable string: porthole://ADDRESS,ADDRESS…/FINGERPRINT/SECRET,
 * each ADDRESS being HOST:PORT, then `/relay=RELAYID@HOST:PORT` when the host is joined to a relay.
 * With one address and no relay it is exactly the version-1 invite. Duplicates are dropped; more
 * than MAX_INVITE_ADDRESSES distinct addresses is a PortholeError('invite-invalid').
 */
export function formatInvite(invite: InviteParts): string {
  const authority = inviteAddresses(invite).map(formatAddress).join(',');
  const relay = invite.relay ? `/${formatInviteRelay(invite.relay)}` : '';
  return `${SCHEME}${authority}/${invite.fingerprint}/${invite.secret}${relay}`;
}

/** The invite's relay part: `relay=RELAYID@HOST:PORT` (an IPv6 host in brackets). */
export function formatInviteRelay(relay: InviteRelay): string {
  if (!B64URL_32_BYTES.test(relay.id)) bad("A relay's id in an invite is 32 bytes in base64url.");
  return `relay=${relay.id}@${formatAddress(relay)}`;
}

/** The relay URI an invite's relay stands for (`relay://HOST:PORT/?id=DEVICE-ID`), as strelaysrv prints it. */
export function inviteRelayUri(relay: InviteRelay): string {
  return `relay://${formatAddress(relay)}/?id=${deviceIdOf(Buffer.from(relay.id, 'base64url'))}`;
}

/** `HOST:PORT`, with an IPv6 host in brackets: one entry of an invite. */
export function formatAddress(address: InviteAddress): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

/** The addresses an invite (or the parts of one) names, first address first, duplicates removed. */
export function inviteAddresses(invite: InviteParts | Invite): InviteAddress[] {
  const listed = invite.addresses ?? [];
  const first = invite.host !== undefined && invite.port !== undefined ? { host: invite.host, port: invite.port } : undefined;
  let all: InviteAddress[];
  if (first && listed.length > 0 && inviteAddressKey(first) !== inviteAddressKey(listed[0]!)) all = [first, ...listed.slice(1)];
  else if (first && listed.length === 0) all = [first];
  else all = [...listed];
  const unique = dedupe(all);
  if (unique.length === 0) bad('An invite needs at least one address.');
  if (unique.length > MAX_INVITE_ADDRESSES) {
    bad(`An invite holds at most ${MAX_INVITE_ADDRESSES} addresses, and ${unique.length} were given. Leave out the least useful ones.`);
  }
  return unique.map(({ host, port }) => ({ host, port }));
}

/** Parses what a person pasted; throws a PortholeError('invite-invalid') saying what is wrong. */
export function parseInvite(pasted: string): Invite {
  const text = pasted
    .trim()
    .replace(/^<(.*)>$/s, '$1')
    .trim();
  if (text === '') bad('The invite is empty. Paste the whole invite your host sent you.');
  if (!text.toLowerCase().startsWith(SCHEME)) {
    bad('This is not a Porthole invite: an invite starts with porthole://.');
  }
  if (/\s/.test(text)) bad('The invite contains spaces or line breaks. Paste it again as one piece.');
  const rest = text.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const [fingerprint, secret, ...extensions] =
    slash === -1
      ? []
      : rest
          .slice(slash + 1)
          .replace(/\/$/, '')
          .split('/');
  const addresses = parseAddressList(authority);
  if (!fingerprint || !secret) {
    bad('The invite is cut short or has extra parts. Ask for the invite again and paste all of it.');
  }
  const relay = parseExtensions(extensions);
  if (!B64URL_32_BYTES.test(fingerprint)) {
    bad("The invite's host fingerprint is damaged. Ask for the invite again and paste all of it.");
  }
  if (!B64URL_32_BYTES.test(secret)) {
    bad("The invite's room secret is damaged. Ask for the invite again and paste all of it.");
  }
  const first = addresses[0]!;
  return { host: first.host, port: first.port, addresses, fingerprint, secret, ...(relay ? { relay } : {}) };
}

/**
 * The parts after the secret: each `NAME=VALUE`, at most MAX_INVITE_EXTENSIONS. `relay` is read;
 * a name this version does not know is skipped, so later versions can add parts older guests ignore.
 */
function parseExtensions(parts: readonly string[]): InviteRelay | undefined {
  if (parts.length > MAX_INVITE_EXTENSIONS)
    bad('The invite is cut short or has extra parts. Ask for the invite again and paste all of it.');
  let relay: InviteRelay | undefined;
  for (const part of parts) {
    const named = EXTENSION.exec(part);
    if (!named || part.length > MAX_EXTENSION_CHARS) {
      bad('The invite is cut short or has extra parts. Ask for the invite again and paste all of it.');
    }
    if (named[1] !== 'relay') continue;
    if (relay) bad('The invite names more than one relay. Ask for the invite again.');
    relay = parseInviteRelay(named[2]!);
  }
  return relay;
}

/** `RELAYID@HOST:PORT`: the relay's id (base64url SHA-256 of its certificate) and where it listens. */
function parseInviteRelay(value: string): InviteRelay {
  const at = value.indexOf('@');
  const id = at === -1 ? '' : value.slice(0, at);
  if (!B64URL_32_BYTES.test(id)) bad("The invite's relay id is damaged. Ask for the invite again and paste all of it.");
  // Its sentences name it: "The relay address in the invite has no valid port (…)."
  const address = parseAddress(value.slice(at + 1), 'relay');
  return { host: address.host, port: address.port, id };
}

function parseAddressList(authority: string): InviteAddress[] {
  const entries = authority.split(',');
  if (entries.length === 1) return [parseAddress(authority, undefined)];
  if (entries.length > MAX_INVITE_ADDRESSES) {
    bad(`The invite lists ${entries.length} addresses; an invite holds at most ${MAX_INVITE_ADDRESSES}. Ask for the invite again.`);
  }
  const addresses = entries.map((entry, i) => {
    if (entry === '') bad(`The ${ordinal(i + 1)} address in the invite is empty (two commas in a row, or a comma at the start or end).`);
    return parseAddress(entry, ordinal(i + 1));
  });
  return dedupe(addresses);
}

/** One `HOST:PORT` entry. `nth` ("3rd") names the entry in a list; a lone address keeps the version-1 sentences. */
function parseAddress(entry: string, nth: string | undefined): InviteAddress {
  function say(alone: string, inList: string): never {
    bad(nth ? `The ${nth} address in the invite ${inList}.` : alone);
  }
  let host: string;
  let portText: string | undefined;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close === -1)
      say('The IPv6 address in the invite is missing its closing bracket "]".', 'is missing the closing bracket "]" of its IPv6 address');
    host = entry.slice(1, close);
    if (isIP(host) !== 6)
      say(`"${clip(host)}" in brackets is not an IPv6 address.`, `has "${clip(host)}" in brackets, which is not an IPv6 address`);
    const after = entry.slice(close + 1);
    if (!after.startsWith(':')) {
      say(
        'The invite has no port after the address (like [2001:db8::1]:41234).',
        'has no port after the address (like [2001:db8::1]:41234)',
      );
    }
    portText = after.slice(1);
  } else {
    if ((entry.match(/:/g) ?? []).length > 1) {
      say(
        'IPv6 addresses in an invite must be in brackets, like [2001:db8::1]:41234.',
        'is an IPv6 address without brackets; it must be written like [2001:db8::1]:41234',
      );
    }
    [host = '', portText] = entry.split(':');
    if (host === '') say('The invite has no host address.', 'has no host, only a port');
    if (isIP(host) === 0 && /^[\d.]+$/.test(host))
      say(`"${clip(host)}" is not a valid IPv4 address.`, `has "${clip(host)}", which is not a valid IPv4 address`);
    if (isIP(host) === 0 && !DNS_NAME.test(host))
      say(`"${clip(host)}" is not a valid host address.`, `has "${clip(host)}", which is not a valid host address`);
  }
  if (portText === undefined || !/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    say(
      'The invite has no valid port (a number from 1 to 65535 after the address).',
      'has no valid port (a number from 1 to 65535 after the address)',
    );
  }
  return { host: host.toLowerCase(), port: Number(portText) };
}

/** Keeps the first of addresses that name the same place (`2001:DB8:0::1` and `2001:db8::1` do). */
function dedupe(addresses: readonly InviteAddress[]): InviteAddress[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = inviteAddressKey(a);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One address as a comparable key: host case ignored, IPv6 compared by value. */
export function inviteAddressKey({ host, port }: InviteAddress): string {
  let name = host.toLowerCase();
  if (isIP(name) === 6) {
    try {
      name = new URL(`http://[${name}]/`).hostname; // the canonical (compressed) spelling
    } catch {
      // A zone index ("%eth0") is not URL syntax: compare as written.
    }
  }
  return `${name} ${port}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Echoes a piece of what was pasted without letting a huge paste make a huge sentence. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function bad(message: string): never {
  throw new PortholeError('invite-invalid', message);
}
