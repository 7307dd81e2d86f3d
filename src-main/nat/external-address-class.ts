// Sorts the address a router reports as "external" by what it means for reachability.
import { isIPv4 } from 'node:net';

/** Where an external address sits: reachable, behind another NAT, or unknown. */
export type ExternalAddressClass = 'public' | 'private' | 'cgnat' | 'reserved' | 'empty';

function octets(address: string): [number, number, number, number] {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return [a, b, c, d];
}

/** Classifies a router-reported IPv4 external address (RFC 1918, RFC 6598 100.64/10, others). */
export function classifyExternalAddress(address: string | undefined): ExternalAddressClass {
  if (!address || !isIPv4(address)) return 'empty';
  const [a, b, c] = octets(address);
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  // 0/8, loopback, link-local, multicast and up: a router reporting these is misconfigured.
  if (a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224) return 'reserved';
  // Documentation ranges (RFC 5737) count as public so the test lab (203.0.113.0/24) behaves like
  // the internet; no real router reports them.
  if (a === 192 && b === 0 && c === 0) return 'reserved';
  return 'public';
}
