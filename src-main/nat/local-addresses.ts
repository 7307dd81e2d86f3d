import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';

// Route look-ups only: connecting a UDP socket asks the kernel which local address it would
// use for that destination and sends no packet at all.
const ROUTE_PROBES = { 4: '1.1.1.1', 6: '2606:4700:4700::1111' } as const;

/** The local address the routing table picks for traffic leaving this machine, if any. */
export async function routedAddress(family: 4 | 6, destination: string = ROUTE_PROBES[family]): Promise<string | undefined> {
  const socket = createSocket(family === 4 ? 'udp4' : 'udp6');
  try {
    return await new Promise<string | undefined>((resolve) => {
      socket.once('error', () => resolve(undefined));
      socket.connect(53, destination, () => {
        try {
          resolve(socket.address().address);
        } catch {
          resolve(undefined);
        }
      });
    });
  } finally {
    socket.close();
  }
}

function isUsable(address: string, family: string, internal: boolean): boolean {
  if (internal) return false;
  if (family === 'IPv4') return !address.startsWith('169.254.');
  return !/^fe[89ab]/i.test(address); // link-local IPv6 needs a zone id nobody can paste
}

/**
 * Addresses a guest on the same network could use to reach this machine: the routed ones
 * first, then every other usable interface address; 127.0.0.1 only when nothing else exists.
 */
export async function lanAddresses(): Promise<string[]> {
  const routed = (await Promise.all([routedAddress(4), routedAddress(6)])).filter((a): a is string => !!a);
  const others: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (isUsable(entry.address, entry.family, entry.internal)) others.push(entry.address);
    }
  }
  const all = [...new Set([...routed.filter((a) => others.includes(a)), ...others])];
  all.sort((a, b) => rank(a, routed) - rank(b, routed));
  return all.length > 0 ? all : ['127.0.0.1'];
}

function rank(address: string, routed: string[]): number {
  const routedIndex = routed.indexOf(address);
  if (routedIndex !== -1) return routedIndex;
  return address.includes(':') ? 3 : 2;
}
