// From what each way of opening a door found, to one status and one sentence. Pure: the port
// mapper gathers the facts, this decides what they mean for the person.
import { classifyExternalAddress } from './external-address-class';
import type { PortOpening } from './mapping-methods';
import type { PortMappingStatus } from './port-mapping-status';
import * as say from './status-messages';

/** A way that did not open the door, and why. */
export interface MethodFailure {
  kind: 'no-gateway' | 'refused' | 'error';
  reason: string;
  /** The router's internet address, when it told us before refusing. */
  externalAddress?: string;
}

export interface MappingFacts {
  internalPort: number;
  /** This machine's IPv4 address towards its router. */
  internalAddress: string | undefined;
  /** The IPv4 default gateway; undefined when there is no route to the internet. */
  gateway: string | undefined;
  v4: PortOpening | undefined;
  v6: PortOpening | undefined;
  /** IPv4 methods that failed in the last search. */
  failures: MethodFailure[];
  /** Whether the search goes on in the background. */
  searching: boolean;
}

/** The status for these facts. */
export function mappingVerdict(facts: MappingFacts): PortMappingStatus {
  const { internalPort, v4, v6, gateway } = facts;
  const internalAddress = v4?.internalAddress ?? facts.internalAddress;
  const ipv6 = v6 ? { address: v6.externalAddress, port: v6.externalPort, method: v6.method, leaseSeconds: v6.leaseSeconds } : undefined;
  const base = {
    internalPort,
    ...(internalAddress ? { internalAddress } : {}),
    ...(gateway ? { gateway } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ...(facts.searching ? { searching: true } : {}),
  };
  const note = say.ipv6Note(ipv6);
  if (v4) {
    const mapped = { ...base, externalPort: v4.externalPort, leaseSeconds: v4.leaseSeconds, method: v4.method };
    const address = v4.externalAddress;
    switch (classifyExternalAddress(address)) {
      case 'public':
        return { ...mapped, code: 'mapped', externalAddress: address, message: say.mappedMessage(address, v4.externalPort) };
      case 'private':
        return { ...mapped, code: 'double-nat', externalAddress: address, message: say.doubleNatMessage(address, v4.externalPort) + note };
      case 'cgnat':
        return { ...mapped, code: 'cgnat', externalAddress: address, message: say.cgnatMessage(address, ipv6) };
      case 'empty':
        return { ...mapped, code: 'starting', searching: true, message: say.addressPendingMessage(v4.externalPort) + note };
      default:
        return {
          ...mapped,
          code: 'error',
          externalAddress: address,
          message: say.errorMessage(internalPort, `the router reports ${address} as its internet address`, internalAddress) + note,
        };
    }
  }
  if (!gateway) return { ...base, code: 'no-gateway', message: say.noGatewayMessage() + note };
  const reported = facts.failures.map((f) => f.externalAddress).find((a) => a && classifyExternalAddress(a) === 'cgnat');
  if (reported) return { ...base, code: 'cgnat', externalAddress: reported, message: say.cgnatMessage(reported, ipv6) };
  const refusal = facts.failures.find((f) => f.kind === 'refused');
  const to = internalAddress ?? 'this machine';
  if (refusal) return { ...base, code: 'refused', message: say.refusedMessage(internalPort, to, refusal.reason, gateway) + note };
  const error = facts.failures.find((f) => f.kind === 'error');
  if (error) return { ...base, code: 'error', message: say.errorMessage(internalPort, error.reason, internalAddress) + note };
  return { ...base, code: 'no-router', message: say.noRouterMessage(internalPort, internalAddress, gateway) + note };
}
