// Parent-side ways to open the room's port besides UPnP IGD mappings: PCP (NAT-PMP for old IPv4
// routers) and IGDv2 IPv6 pinholes. Each call is one request to the UPnP child, which does the
// talking; here the outcome becomes a PortOpening the port mapper keeps, renews and closes.
import { isIPv6 } from 'node:net';
import type { MapperClient } from './mapper-client';
import type { MapperFailure, PcpMapping } from './mapper-messages';
import { MAPPING_TAG } from './mapping-attempt';
import { PCP_REFUSALS, PcpResult } from './pcp-messages';

export type MappingMethod = 'upnp-igd' | 'nat-pmp' | 'pcp' | 'upnp-pinhole';

/** One open door on the router, with what it takes to renew and close it. */
export interface PortOpening {
  method: MappingMethod;
  family: 4 | 6;
  internalAddress: string;
  internalPort: number;
  /** For IPv6 (pinholes) the same as the internal address; '' when a router did not say. */
  externalAddress: string;
  externalPort: number;
  leaseSeconds: number;
  /**
   * What renew/close need: pcp and nat-pmp {nonce, server, protocol}; upnp-pinhole
   * {uniqueId, gateway}; upnp-igd {description}.
   */
  handle: Record<string, string | number>;
}

export type OpenResult = { ok: true; opening: PortOpening } | { ok: false; kind: 'no-gateway' | 'refused' | 'error'; reason: string };

// The child gets its own deadline; this much more before the client declares it hung (kills it).
const CHILD_MARGIN_MS = 3000;
const MAX_PCP_LEASE = 604_800;
const MAX_PINHOLE_LEASE = 86_400;
// WANIPv6FirewallControl codes meaning "this router will not": not authorized, no room, firewall
// off, inbound pinholes not allowed, protocol not supported.
const PINHOLE_REFUSALS = new Set([606, 701, 702, 703, 705]);

function opTimeout(timeoutMs: number): number {
  return Math.min(60_000, Math.max(100, Math.round(timeoutMs)));
}

/** A lease the protocol accepts; 0 ("permanent" to UPnP) becomes the longest one allowed. */
function lease(seconds: number, max: number): number {
  return seconds <= 0 ? max : Math.min(max, Math.max(1, Math.round(seconds)));
}

function failed(error: MapperFailure): OpenResult {
  if (error.kind === 'no-gateway') return { ok: false, kind: 'no-gateway', reason: error.message };
  const refused =
    (error.pcpCode !== undefined && (PCP_REFUSALS.has(error.pcpCode) || error.pcpCode === PcpResult.UNSUPP_VERSION)) ||
    (error.upnpCode !== undefined && PINHOLE_REFUSALS.has(error.upnpCode));
  const code = error.upnpCode !== undefined ? ` (UPnP error ${error.upnpCode})` : '';
  return { ok: false, kind: refused ? 'refused' : 'error', reason: `${error.message.replace(/\.$/, '')}${code}` };
}

function fromPcp(req: { family: 4 | 6; internalAddress: string; internalPort: number }, m: PcpMapping): PortOpening {
  return {
    method: m.protocol === 'pcp' ? 'pcp' : 'nat-pmp',
    family: req.family,
    internalAddress: req.internalAddress,
    internalPort: req.internalPort,
    externalAddress: m.externalAddress,
    externalPort: m.externalPort,
    leaseSeconds: m.leaseSeconds,
    handle: { nonce: m.nonce, server: m.gateway, protocol: m.protocol },
  };
}

function handleText(opening: PortOpening, key: string): string | undefined {
  const value = opening.handle[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function handleNumber(opening: PortOpening, key: string): number | undefined {
  const value = opening.handle[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

const missing = (what: string): OpenResult => ({ ok: false, kind: 'error', reason: `The opening has no ${what}.` });

/** Opens the port with PCP on the default router of that family; IPv4 falls back to NAT-PMP. */
export async function openWithPcp(
  client: MapperClient,
  req: {
    family: 4 | 6;
    internalAddress: string;
    internalPort: number;
    leaseSeconds: number;
    timeoutMs: number;
    /** A nonce of the caller's (24 hex digits): the same one next time lets a restart take over, renew and remove what a crash left. */
    nonce?: string;
  },
): Promise<OpenResult> {
  const timeoutMs = opTimeout(req.timeoutMs);
  const result = await client.request(
    {
      op: 'pcp-map',
      family: req.family,
      internalAddress: req.internalAddress,
      internalPort: req.internalPort,
      suggestedExternalPort: req.internalPort,
      leaseSeconds: lease(req.leaseSeconds, MAX_PCP_LEASE),
      timeoutMs,
      ...(req.nonce ? { nonce: req.nonce } : {}),
    },
    timeoutMs + CHILD_MARGIN_MS,
  );
  return result.ok ? { ok: true, opening: fromPcp(req, result.result) } : failed(result.error);
}

/**
 * Opens an IPv6 pinhole through the router's IGDv2 firewall service. The child finds that
 * service itself, over IPv6 from internalAddress (the router grants pinholes only to the
 * address that asks), so no earlier 'discover' is needed.
 */
export async function openUpnpPinhole(
  client: MapperClient,
  req: {
    internalAddress: string;
    internalPort: number;
    leaseSeconds: number;
    timeoutMs: number;
  },
): Promise<OpenResult> {
  if (!isIPv6(req.internalAddress)) return { ok: false, kind: 'error', reason: 'A pinhole needs an IPv6 address.' };
  const timeoutMs = opTimeout(req.timeoutMs);
  const leaseSeconds = lease(req.leaseSeconds, MAX_PINHOLE_LEASE);
  const result = await client.request(
    {
      op: 'pinhole-add',
      internalAddress: req.internalAddress,
      internalPort: req.internalPort,
      leaseSeconds,
      timeoutMs,
    },
    timeoutMs + CHILD_MARGIN_MS,
  );
  if (!result.ok) return failed(result.error);
  return {
    ok: true,
    opening: {
      method: 'upnp-pinhole',
      family: 6,
      internalAddress: req.internalAddress,
      internalPort: req.internalPort,
      externalAddress: req.internalAddress,
      externalPort: req.internalPort,
      leaseSeconds: result.result.leaseSeconds,
      handle: { uniqueId: result.result.uniqueId, gateway: result.result.gateway },
    },
  };
}

/** Renews an opening with the method that made it; the router may change the external port. */
export async function renewOpening(client: MapperClient, opening: PortOpening, timeoutMs: number): Promise<OpenResult> {
  const wait = opTimeout(timeoutMs);
  switch (opening.method) {
    case 'pcp':
    case 'nat-pmp': {
      const nonce = handleText(opening, 'nonce');
      const server = handleText(opening, 'server');
      if (!nonce || !server) return missing('PCP nonce or server');
      const result = await client.request(
        {
          op: 'pcp-map',
          family: opening.family,
          internalAddress: opening.internalAddress,
          internalPort: opening.internalPort,
          suggestedExternalPort: opening.externalPort,
          ...(opening.externalAddress ? { suggestedExternalAddress: opening.externalAddress } : {}),
          leaseSeconds: lease(opening.leaseSeconds, MAX_PCP_LEASE),
          nonce,
          server,
          protocol: opening.method,
          timeoutMs: wait,
        },
        wait + CHILD_MARGIN_MS,
      );
      return result.ok ? { ok: true, opening: fromPcp(opening, result.result) } : failed(result.error);
    }
    case 'upnp-pinhole': {
      const uniqueId = handleNumber(opening, 'uniqueId');
      if (uniqueId === undefined) return missing('pinhole id');
      const result = await client.request(
        {
          op: 'pinhole-renew',
          internalAddress: opening.internalAddress,
          uniqueId,
          leaseSeconds: lease(opening.leaseSeconds, MAX_PINHOLE_LEASE),
          timeoutMs: wait,
        },
        wait + CHILD_MARGIN_MS,
      );
      return result.ok ? { ok: true, opening: { ...opening, leaseSeconds: result.result.leaseSeconds } } : failed(result.error);
    }
    case 'upnp-igd': {
      const result = await client.request(
        {
          op: 'map',
          externalPort: opening.externalPort,
          internalPort: opening.internalPort,
          internalClient: opening.internalAddress,
          leaseSeconds: opening.leaseSeconds,
          description: `${MAPPING_TAG} ${handleText(opening, 'description') ?? 'room'}`.slice(0, 100),
        },
        wait,
      );
      return result.ok ? { ok: true, opening } : failed(result.error);
    }
  }
}

/** Closes an opening; false when the router did not confirm it. */
export async function closeOpening(client: MapperClient, opening: PortOpening, timeoutMs: number): Promise<boolean> {
  const wait = opTimeout(timeoutMs);
  switch (opening.method) {
    case 'pcp':
    case 'nat-pmp': {
      const nonce = handleText(opening, 'nonce');
      const server = handleText(opening, 'server');
      if (!nonce || !server) return false;
      const result = await client.request(
        {
          op: 'pcp-unmap',
          family: opening.family,
          internalAddress: opening.internalAddress,
          internalPort: opening.internalPort,
          externalPort: opening.externalPort,
          protocol: opening.method,
          nonce,
          server,
          timeoutMs: wait,
        },
        wait + CHILD_MARGIN_MS,
      );
      return result.ok;
    }
    case 'upnp-pinhole': {
      const uniqueId = handleNumber(opening, 'uniqueId');
      if (uniqueId === undefined) return false;
      const result = await client.request(
        { op: 'pinhole-remove', internalAddress: opening.internalAddress, uniqueId, timeoutMs: wait },
        wait + CHILD_MARGIN_MS,
      );
      return result.ok;
    }
    case 'upnp-igd':
      return (await client.request({ op: 'unmap', externalPort: opening.externalPort }, wait)).ok;
  }
}
