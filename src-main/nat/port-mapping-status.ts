// Port-mapping state shared by the host, the CLI and the UI. No Node imports: the renderer uses it too.

/** What happened when we asked the router to let friends on the internet in. */
export type PortMappingCode =
  | 'starting'
  | 'mapped'
  | 'double-nat'
  | 'cgnat'
  | 'refused'
  /** A router is there, but nothing it speaks (UPnP, NAT-PMP, PCP) answered. */
  | 'no-router'
  /** No router at all: this machine has no route to the internet. */
  | 'no-gateway'
  | 'error'
  | 'stopped';

/** How a door was opened on the router. */
export type MappingMethod = 'upnp-igd' | 'nat-pmp' | 'pcp' | 'upnp-pinhole';

/** An IPv6 pinhole: friends on the internet reach this global address directly. */
export interface Ipv6Opening {
  address: string;
  port: number;
  method: MappingMethod;
  leaseSeconds: number;
}

/** The port mapper's current state, with one sentence a person can act on. */
export type PortMappingStatus = {
  code: PortMappingCode;
  message: string;
  /** The IPv4 address and port friends on the internet use, when the router forwards. */
  externalAddress?: string;
  externalPort?: number;
  /** This machine's address on the router's network (where a hand forward must point). */
  internalAddress?: string;
  internalPort: number;
  leaseSeconds?: number;
  /** How the IPv4 forward was made. */
  method?: MappingMethod;
  /** The router this machine goes through (its default gateway), when known. */
  gateway?: string;
  /** The IPv6 pinhole, when one is open. */
  ipv6?: Ipv6Opening;
  /** Still looking for a router that answers; the status upgrades itself when one does. */
  searching?: boolean;
};
