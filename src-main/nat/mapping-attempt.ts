// One attempt to open the room's port on the gateway, with the router's error codes read by meaning.
import type { MapperClient } from './mapper-client';
import type { MapperFailure } from './mapper-messages';

/** Tag in every mapping description we create; how the next start recognises leftovers. */
export const MAPPING_TAG = 'Porthole';
/** How long one request to the UPnP child may take. */
export const REQUEST_TIMEOUT_MS = 8000;
const EXTRA_PORT_TRIES = 3;
// UPnP codes meaning "this router will not do it" rather than "something broke".
const REFUSAL_CODES = new Set([501, 606, 718, 728]);

export type MappingOutcome = { kind: 'mapped'; externalPort: number; leaseSeconds: number } | { kind: 'refused' | 'error'; reason: string };

function reasonOf(error: MapperFailure): string {
  return error.upnpCode === undefined ? error.message : `UPnP error ${error.upnpCode}`;
}

function randomHighPort(): number {
  return 49152 + Math.floor(Math.random() * 16000);
}

/** Removes mappings an earlier run of this app left for this machine (crash, permanent lease). */
export async function removeStaleMappings(client: MapperClient, internalClient: string): Promise<number> {
  const listed = await client.request({ op: 'list-mappings' }, REQUEST_TIMEOUT_MS * 4);
  if (!listed.ok) return 0;
  let removed = 0;
  for (const m of listed.result.mappings) {
    if (m.protocol !== 'TCP' || m.internalClient !== internalClient || !m.description.startsWith(MAPPING_TAG)) continue;
    const done = await client.request({ op: 'unmap', externalPort: m.externalPort }, REQUEST_TIMEOUT_MS);
    if (done.ok) removed++;
  }
  return removed;
}

/** Maps the internal port, same external number first; 718 → other ports, 725 → permanent lease. */
export async function mapPort(
  client: MapperClient,
  options: {
    internalPort: number;
    internalClient: string;
    leaseSeconds: number;
    description: string;
  },
): Promise<MappingOutcome> {
  const ports = [options.internalPort];
  while (ports.length < 1 + EXTRA_PORT_TRIES) ports.push(randomHighPort());
  let leaseSeconds = options.leaseSeconds;
  let lastReason = 'no answer';
  for (const externalPort of ports) {
    const description = `${MAPPING_TAG} ${options.description}${leaseSeconds === 0 ? ' (permanent)' : ''}`.slice(0, 100);
    const result = await client.request(
      {
        op: 'map',
        externalPort,
        internalPort: options.internalPort,
        internalClient: options.internalClient,
        leaseSeconds,
        description,
      },
      REQUEST_TIMEOUT_MS,
    );
    if (result.ok) return { kind: 'mapped', externalPort, leaseSeconds };
    const code = result.error.upnpCode;
    lastReason = reasonOf(result.error);
    if (code === 718) continue;
    if (code === 725 && leaseSeconds !== 0) {
      // The router only keeps permanent mappings: take one, tagged so the next start removes it.
      leaseSeconds = 0;
      return mapPort(client, { ...options, leaseSeconds: 0 });
    }
    if (code !== undefined && REFUSAL_CODES.has(code)) return { kind: 'refused', reason: lastReason };
    return { kind: 'error', reason: lastReason };
  }
  return { kind: 'refused', reason: `${lastReason}: every port tried is taken` };
}
