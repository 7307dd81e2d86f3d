// The UPnP IGD way to open the room's IPv4 port: discover, clear leftovers, learn the external
// address (retried: a lost reply is not a refusal), map. All of it through the child process.
import type { MapperClient } from './mapper-client';
import { REQUEST_TIMEOUT_MS, mapPort, removeStaleMappings } from './mapping-attempt';
import type { PortOpening } from './mapping-methods';

export type UpnpOutcome =
  | { ok: true; opening: PortOpening }
  | { ok: false; kind: 'no-gateway' | 'refused' | 'error'; reason: string; internalAddress?: string; externalAddress?: string };

const EXTERNAL_ADDRESS_TRIES = 3;

/** Asks the router for its internet address, a few times: UDP-lossy links drop SOAP replies too. */
export async function upnpExternalAddress(client: MapperClient, timeoutMs = REQUEST_TIMEOUT_MS): Promise<string> {
  for (let i = 0; i < EXTERNAL_ADDRESS_TRIES; i++) {
    const ip = await client.request({ op: 'external-ip' }, timeoutMs);
    if (ip.ok && ip.result.address) return ip.result.address;
  }
  return '';
}

/** Finds the UPnP gateway; the child keeps it for the calls that follow. */
export async function discoverUpnp(
  client: MapperClient,
  discoveryTimeoutMs: number,
): Promise<
  | { ok: true; internalAddress: string; gatewayHost: string; igdVersion: 1 | 2 }
  | { ok: false; kind: 'no-gateway' | 'error'; reason: string }
> {
  const found = await client.request({ op: 'discover', timeoutMs: discoveryTimeoutMs }, discoveryTimeoutMs + 15_000);
  if (!found.ok) return { ok: false, kind: found.error.kind === 'no-gateway' ? 'no-gateway' : 'error', reason: found.error.message };
  const igdVersion = found.result.serviceType.endsWith(':2') ? 2 : 1;
  return { ok: true, internalAddress: found.result.localAddress, gatewayHost: found.result.gatewayHost, igdVersion };
}

/** Maps `internalPort` on the discovered IGD, same external number first, after clearing our leftovers. */
export async function mapWithUpnpIgd(
  client: MapperClient,
  options: { internalAddress: string; internalPort: number; leaseSeconds: number; description: string; stillWanted: () => boolean },
): Promise<UpnpOutcome> {
  const { internalAddress } = options;
  await removeStaleMappings(client, internalAddress);
  const externalAddress = await upnpExternalAddress(client);
  if (!options.stillWanted()) return { ok: false, kind: 'error', reason: 'stopped', internalAddress };
  const outcome = await mapPort(client, {
    internalPort: options.internalPort,
    internalClient: internalAddress,
    leaseSeconds: options.leaseSeconds,
    description: options.description,
  });
  if (outcome.kind !== 'mapped')
    return { ok: false, kind: outcome.kind, reason: outcome.reason, internalAddress, ...(externalAddress ? { externalAddress } : {}) };
  return {
    ok: true,
    opening: {
      method: 'upnp-igd',
      family: 4,
      internalAddress,
      internalPort: options.internalPort,
      externalAddress,
      externalPort: outcome.externalPort,
      leaseSeconds: outcome.leaseSeconds,
      handle: { description: options.description },
    },
  };
}
