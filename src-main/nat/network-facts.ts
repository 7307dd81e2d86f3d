// What the port mapper needs to know about this machine's network: its routers and the
// addresses it would open doors for. Local facts only; nothing here talks to the LAN.
import { networkInterfaces } from 'node:os';
import { defaultGateways } from './default-gateway';
import { routedAddress } from './local-addresses';

export interface NetworkFacts {
  /** The IPv4 default gateway and this machine's address towards it. */
  ipv4: { gateway?: string; address?: string };
  /** A global IPv6 address of this machine (the one a pinhole would be for), and the IPv6 router. */
  ipv6: { gateway?: string; address?: string };
}

/** Global unicast IPv6 (2000::/3): not loopback, link-local, unique-local or mapped. */
export function isGlobalIpv6(address: string): boolean {
  return /^[23][0-9a-f]{0,3}:/i.test(address);
}

function globalIpv6Addresses(): string[] {
  const found: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? [])
      if (entry.family === 'IPv6' && !entry.internal && isGlobalIpv6(entry.address)) found.push(entry.address);
  }
  return found;
}

/** This machine's routers and addresses as they are now. */
export async function currentNetwork(): Promise<NetworkFacts> {
  const gateways = await defaultGateways();
  const ipv4Address = gateways.v4 ? await routedAddress(4, gateways.v4) : undefined;
  const globals = globalIpv6Addresses();
  const routed6 = await routedAddress(6);
  const ipv6Address = routed6 && globals.includes(routed6) ? routed6 : globals[0];
  return {
    ipv4: { ...(gateways.v4 ? { gateway: gateways.v4 } : {}), ...(ipv4Address ? { address: ipv4Address } : {}) },
    ipv6: { ...(gateways.v6 ? { gateway: gateways.v6 } : {}), ...(ipv6Address ? { address: ipv6Address } : {}) },
  };
}

/** Every non-loopback address of this machine, sorted: changes when the network does. */
export function networkSignature(): string {
  const all: string[] = [];
  for (const entries of Object.values(networkInterfaces())) for (const entry of entries ?? []) if (!entry.internal) all.push(entry.address);
  return all.sort().join(' ');
}
