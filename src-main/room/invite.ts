import { isIP } from 'node:net';
import { PortholeError } from './errors';

/** Everything a guest needs to reach a room and be sure it is the right one. */
export interface Invite {
  /** IPv4, IPv6 (without brackets) or a DNS name. */
  host: string;
  port: number;
  /** SHA-256 of the host certificate, base64url. */
  fingerprint: string;
  /** The room secret, base64url. */
  secret: string;
}

/** One invite as shown to the host: for the same network, or for the internet once mapped. */
export interface InviteLine {
  kind: 'lan' | 'public';
  address: string;
  invite: string;
}

const SCHEME = 'porthole://';
const B64URL_32_BYTES = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const DNS_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Formats an invite as the one pasteable string: porthole://HOST:PORT/FINGERPRINT/SECRET */
export function formatInvite(invite: Invite): string {
  const host = isIP(invite.host) === 6 ? `[${invite.host}]` : invite.host;
  return `${SCHEME}${host}:${invite.port}/${invite.fingerprint}/${invite.secret}`;
}

/** Parses what a person pasted; throws a PortholeError('invite-invalid') saying what is wrong. */
export function parseInvite(pasted: string): Invite {
  const text = pasted.trim().replace(/^<(.*)>$/s, '$1').trim();
  if (text === '') bad('The invite is empty. Paste the whole invite your host sent you.');
  if (!text.toLowerCase().startsWith(SCHEME)) {
    bad('This is not a Porthole invite: an invite starts with porthole://.');
  }
  if (/\s/.test(text)) bad('The invite contains spaces or line breaks. Paste it again as one piece.');
  const rest = text.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const [fingerprint, secret, ...extra] = slash === -1 ? [] : rest.slice(slash + 1).replace(/\/$/, '').split('/');
  const { host, port } = parseAuthority(authority);
  if (!fingerprint || !secret || extra.length > 0) {
    bad('The invite is cut short or has extra parts. Ask for the invite again and paste all of it.');
  }
  if (!B64URL_32_BYTES.test(fingerprint)) {
    bad("The invite's host fingerprint is damaged. Ask for the invite again and paste all of it.");
  }
  if (!B64URL_32_BYTES.test(secret)) {
    bad("The invite's room secret is damaged. Ask for the invite again and paste all of it.");
  }
  return { host, port, fingerprint, secret };
}

function parseAuthority(authority: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) bad('The IPv6 address in the invite is missing its closing bracket "]".');
    host = authority.slice(1, close);
    if (isIP(host) !== 6) bad(`"${host}" in brackets is not an IPv6 address.`);
    const after = authority.slice(close + 1);
    if (!after.startsWith(':')) bad('The invite has no port after the address (like [2001:db8::1]:41234).');
    portText = after.slice(1);
  } else {
    if ((authority.match(/:/g) ?? []).length > 1) {
      bad('IPv6 addresses in an invite must be in brackets, like [2001:db8::1]:41234.');
    }
    [host = '', portText] = authority.split(':');
    if (host === '') bad('The invite has no host address.');
    if (isIP(host) === 0 && /^[\d.]+$/.test(host)) bad(`"${host}" is not a valid IPv4 address.`);
    if (isIP(host) === 0 && !DNS_NAME.test(host)) bad(`"${host}" is not a valid host address.`);
  }
  if (portText === undefined || !/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    bad('The invite has no valid port (a number from 1 to 65535 after the address).');
  }
  return { host: host.toLowerCase(), port: Number(portText) };
}

function bad(message: string): never {
  throw new PortholeError('invite-invalid', message);
}
