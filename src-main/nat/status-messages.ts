// The sentences shown to a person for each port-mapping outcome. Every "forward TCP X to Y"
// names Y, and each sentence fits the network it describes.

const ASK_GUEST = 'or ask the guest to host';

/** What IPv6 adds to a sentence about IPv4: friends with IPv6 can still come in, or not. */
export function ipv6Note(ipv6: { address: string; port: number } | undefined): string {
  return ipv6 ? ` Friends with IPv6 can still join: [${ipv6.address}]:${ipv6.port} is open to them.` : '';
}

/** Sentence for a working public mapping. */
export function mappedMessage(address: string, port: number): string {
  return `Port ${port} on ${address} forwards to this machine: the invite works from anywhere.`;
}

/** Sentence for a mapping behind a second, private-addressed router: names where to forward. */
export function doubleNatMessage(innerRouterAddress: string, port: number): string {
  return `A second router is in the way: your router's own internet address (${innerRouterAddress}) is private. Forward TCP ${port} on the outer router to ${innerRouterAddress} and add the outer router's internet address to the invite (Settings, or --public-address), ${ASK_GUEST}.`;
}

/** Sentence for a provider that shares one public address (carrier-grade NAT). */
export function cgnatMessage(address: string, ipv6?: { address: string; port: number }): string {
  const base = `Your internet provider shares its public address between customers (carrier-grade NAT, ${address}), so friends cannot reach you over IPv4.`;
  return ipv6 ? `${base}${ipv6Note(ipv6)}` : `${base} Friends on your network can join; for others, ${ASK_GUEST.replace(/^or /, '')}.`;
}

/** Sentence for a router that will not forward. */
export function refusedMessage(port: number, internalAddress: string, reason: string, gateway?: string): string {
  const on = gateway ? `on your router (${gateway})` : 'on your router';
  return `The router will not forward (${reason}): forward TCP ${port} to ${internalAddress} ${on} by hand, ${ASK_GUEST}.`;
}

/** Sentence for a router that answers no port-forwarding protocol (yet: the search goes on). */
export function noRouterMessage(port: number, internalAddress: string | undefined, gateway: string | undefined): string {
  const router = gateway ? `Your router (${gateway})` : 'Your router';
  const to = internalAddress ? ` to ${internalAddress}` : ' to this machine';
  return `${router} did not answer UPnP, NAT-PMP or PCP; Porthole keeps asking. Meanwhile friends on your network can join; for others forward TCP ${port}${to} on your router, ${ASK_GUEST}.`;
}

/** Sentence for a machine with no route to the internet at all. */
export function noGatewayMessage(): string {
  return 'This machine has no router to the internet: friends must be on this network to join.';
}

/** Sentence for an unusable router answer; the room still works on the LAN. */
export function errorMessage(port: number, detail: string, internalAddress?: string): string {
  const to = internalAddress ? ` to ${internalAddress}` : ' to this machine';
  return `Port forwarding failed (${detail.replace(/[.\s]+$/, '')}): friends on your network can still join; for others forward TCP ${port}${to} on your router, ${ASK_GUEST}.`;
}

/** Sentence while the router forwards but has not told its internet address yet. */
export function addressPendingMessage(port: number): string {
  return `The router forwards port ${port}, but has not said its internet address yet; Porthole keeps asking.`;
}

/** Sentence after stopping, for what could not be removed. */
export function leftOpenMessage(minutes: number): string {
  return `Port forwarding is off, but the router did not confirm removing it: it expires by itself in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** Sentence after stopping, when every forward was removed. */
export function stoppedMessage(removedAny: boolean): string {
  return removedAny ? 'Port forwarding is off: the router no longer forwards to this machine.' : 'Port forwarding is off.';
}
