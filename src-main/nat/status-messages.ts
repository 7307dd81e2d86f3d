// The sentences shown to a person for each port-mapping outcome.

const ASK_GUEST = 'or ask the guest to host';

/** Sentence for a working public mapping. */
export function mappedMessage(address: string, port: number): string {
  return `Port ${port} on ${address} forwards to this machine: friends can join with the public invite.`;
}

/** Sentence for a mapping behind a second, private-addressed router. */
export function doubleNatMessage(address: string, port: number): string {
  return `Your router's own internet address (${address}) is private, so a second router is in the way: forward TCP ${port} on that outer router too, ${ASK_GUEST}.`;
}

/** Sentence for a provider that shares one public address (carrier-grade NAT). */
export function cgnatMessage(address: string): string {
  return `Your internet provider shares its public address between customers (carrier-grade NAT, ${address}), so friends outside your network cannot reach you: ${ASK_GUEST}.`;
}

/** Sentence for a router that will not forward. */
export function refusedMessage(port: number, internalAddress: string, reason: string): string {
  return `The router will not forward (${reason}): forward TCP ${port} to ${internalAddress} on your router, ${ASK_GUEST}.`;
}

/** Sentence for no UPnP router on the network. */
export function noRouterMessage(port: number): string {
  return `No UPnP router found: forward TCP ${port} to this machine on your router, ${ASK_GUEST}.`;
}

/** Sentence for an unusable router answer; the room still works on the LAN. */
export function errorMessage(port: number, detail: string): string {
  return `Port forwarding failed (${detail.replace(/[.\s]+$/, '')}): friends on your network can still join; for others forward TCP ${port} to this machine, ${ASK_GUEST}.`;
}
