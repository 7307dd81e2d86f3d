// A relay as the user names it: `relay://HOST:PORT/?id=DEVICEID&…`, the URI strelaysrv prints on
// every start. The id pins the relay (SHA-256 of its certificate); networkTimeout says how long a
// silent connection lives there. Every other parameter (pingInterval, statusAddr, providedBy, …)
// is kept as written and otherwise ignored.
import { isIP } from 'node:net';
import { PortholeError } from '../wire/errors';
import { deviceIdOf, parseDeviceId } from './device-id';

export { deviceIdOf, parseDeviceId } from './device-id';

export const DEFAULT_RELAY_PORT = 22067;
export const DEFAULT_NETWORK_TIMEOUT_MS = 120_000;
/** A shorter networkTimeout than this is taken as this, so keepalives never become a flood. */
const MIN_NETWORK_TIMEOUT_MS = 2_000;

export interface RelayUri {
  /** IPv4, IPv6 (without brackets) or a DNS name. */
  host: string;
  port: number;
  /** The relay's id: SHA-256 of its certificate, 32 bytes. */
  id: Buffer;
  /** How long the relay keeps a silent connection, from `networkTimeout` (default 2 minutes). */
  networkTimeoutMs: number;
  /** The other query parameters, in their order, as written. */
  params: ReadonlyArray<readonly [string, string]>;
}

const EXAMPLE = 'relay://relay.example.org:22067/?id=XXXXXXX-XXXXXXX-…';

/** Reads a relay URI; throws PortholeError `relay-invalid` with a sentence saying what to fix. */
export function parseRelayUri(text: string): RelayUri {
  const trimmed = text.trim();
  if (!/^relay:\/\//i.test(trimmed)) {
    throw invalid(`A relay address starts with relay:// (like ${EXAMPLE}); copy the URI the relay printed when it started.`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid(`The relay address is not a valid URI; it looks like ${EXAMPLE}. Copy the URI the relay printed when it started.`);
  }
  const host = hostOf(url.hostname);
  if (host === '') throw invalid(`The relay address names no host; it looks like ${EXAMPLE}.`);
  if (url.username !== '' || url.password !== '') throw invalid('The relay address must not carry a user name or password.');
  const port = url.port === '' ? DEFAULT_RELAY_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('The relay address has a port outside 1-65535.');
  const ids = url.searchParams.getAll('id');
  if (ids.length === 0) {
    throw invalid(`The relay address has no id (the ?id=… part pins which relay answers); copy the whole URI the relay printed.`);
  }
  if (ids.length > 1) throw invalid('The relay address has more than one id; keep only the one the relay printed.');
  const id = parseDeviceId(ids[0]!);
  const params = [...url.searchParams].filter(([name]) => name !== 'id');
  const timeout = params.find(([name]) => name === 'networkTimeout')?.[1];
  const parsed = timeout === undefined ? undefined : parseGoDuration(timeout);
  const networkTimeoutMs = parsed === undefined ? DEFAULT_NETWORK_TIMEOUT_MS : Math.max(parsed, MIN_NETWORK_TIMEOUT_MS);
  return { host, port, id, networkTimeoutMs, params };
}

/** The URI text of a relay: host, port, the id in device-ID form, then the other parameters as kept. */
export function formatRelayUri(uri: RelayUri): string {
  const host = isIP(uri.host) === 6 ? `[${uri.host}]` : uri.host;
  const query = new URLSearchParams([['id', deviceIdOf(uri.id)], ...uri.params.map(([name, value]) => [name, value])]);
  return `relay://${host}:${uri.port}/?${query.toString()}`;
}

/** `host:port`, or `[host]:port` for IPv6: how errors name the relay. */
export function relayAddressText(uri: { host: string; port: number }): string {
  return isIP(uri.host) === 6 ? `[${uri.host}]:${uri.port}` : `${uri.host}:${uri.port}`;
}

function hostOf(hostname: string): string {
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const inner = hostname.slice(1, -1);
    if (isIP(inner) !== 6) throw invalid('The relay address has a bracketed host that is not an IPv6 address.');
    return inner;
  }
  const host = hostname.toLowerCase();
  if (host !== '' && isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(host)) {
    throw invalid(`The relay address's host "${hostname}" is not an IP address or a host name.`);
  }
  return host;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's duration text (`2m0s`, `90s`, `1.5h`) in milliseconds, or undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

function invalid(message: string): PortholeError {
  return new PortholeError('relay-invalid', message);
}
