// The typed messages between the port mapper (parent) and the UPnP child process. Both sides
// validate what they receive: the child parses LAN input, so its replies are untrusted too.
import { isIP } from 'node:net';
import { z } from 'zod';

const requestId = z.number().int().nonnegative();
const port = z.number().int().min(1).max(65535);
const portOrZero = z.number().int().min(0).max(65535);
const family = z.union([z.literal(4), z.literal(6)]);
const ipAddress = z.union([z.ipv4(), z.ipv6()]);
/** A router's address; an IPv6 link-local one carries its zone ("fe80::1%eth0"). */
const routerAddress = z
  .string()
  .max(80)
  .refine((a) => isIP(a.split('%')[0] ?? '') !== 0, 'not an IP address');
/** PCP's 96-bit mapping nonce, as 24 lowercase hex digits. */
const nonce = z.string().regex(/^[0-9a-f]{24}$/);
const opTimeout = z.number().int().min(100).max(60_000);
const pcpProtocol = z.enum(['pcp', 'nat-pmp']);
// IGDv2 pinhole leases are 1..86400 s; PCP and NAT-PMP take up to a week here.
const pinholeLease = z.number().int().min(1).max(86_400);
const pinholeId = z.number().int().min(0).max(65_535);

export const mapperRequestSchema = z.discriminatedUnion('op', [
  z.object({ id: requestId, op: z.literal('discover'), timeoutMs: z.number().int().min(100).max(60_000) }),
  z.object({ id: requestId, op: z.literal('external-ip') }),
  z.object({
    id: requestId,
    op: z.literal('map'),
    externalPort: port,
    internalPort: port,
    internalClient: z.ipv4(),
    leaseSeconds: z.number().int().min(0).max(604_800),
    description: z.string().max(100),
  }),
  z.object({ id: requestId, op: z.literal('unmap'), externalPort: port }),
  z.object({ id: requestId, op: z.literal('list-mappings') }),
  // PCP MAP (falling back to NAT-PMP for IPv4) to the default router, or to `server` on renewal.
  z.object({
    id: requestId,
    op: z.literal('pcp-map'),
    family,
    internalAddress: ipAddress,
    internalPort: port,
    suggestedExternalPort: portOrZero,
    suggestedExternalAddress: ipAddress.optional(),
    leaseSeconds: z.number().int().min(1).max(604_800),
    nonce: nonce.optional(),
    server: routerAddress.optional(),
    protocol: pcpProtocol.optional(),
    timeoutMs: opTimeout,
  }),
  z.object({
    id: requestId,
    op: z.literal('pcp-unmap'),
    family,
    internalAddress: ipAddress,
    internalPort: port,
    externalPort: portOrZero,
    protocol: pcpProtocol,
    nonce,
    server: routerAddress,
    timeoutMs: opTimeout,
  }),
  z.object({
    id: requestId,
    op: z.literal('pinhole-add'),
    internalAddress: z.ipv6(),
    internalPort: port,
    leaseSeconds: pinholeLease,
    timeoutMs: opTimeout,
  }),
  z.object({
    id: requestId,
    op: z.literal('pinhole-renew'),
    internalAddress: z.ipv6(),
    uniqueId: pinholeId,
    leaseSeconds: pinholeLease,
    timeoutMs: opTimeout,
  }),
  z.object({ id: requestId, op: z.literal('pinhole-remove'), internalAddress: z.ipv6(), uniqueId: pinholeId, timeoutMs: opTimeout }),
  z.object({ id: requestId, op: z.literal('default-gateways') }),
]);

export type MapperRequest = z.infer<typeof mapperRequestSchema>;
export type MapperOp = MapperRequest['op'];

export const gatewayInfoSchema = z.object({
  gatewayHost: z.ipv4(),
  localAddress: z.ipv4(),
  serviceType: z.string().max(200),
});

export const mappingEntrySchema = z.object({
  externalPort: port,
  internalPort: port,
  internalClient: z.string().max(64),
  protocol: z.string().max(16),
  description: z.string().max(256),
  leaseSeconds: z.number().int().nonnegative(),
});

/**
 * Why a request failed. 'upnp': the router answered with an error code (a UPnP `upnpCode`, or a
 * PCP result code in `pcpCode`, NAT-PMP's translated to PCP's numbering).
 */
export const mapperFailureSchema = z.object({
  kind: z.enum(['no-gateway', 'bad-gateway', 'upnp', 'internal']),
  message: z.string().max(500),
  upnpCode: z.number().int().optional(),
  pcpCode: z.number().int().min(0).max(65_535).optional(),
});

export const pcpMappingSchema = z.object({
  protocol: pcpProtocol,
  /** '' when the router did not say (NAT-PMP without an address, or PCP's all-zero address). */
  externalAddress: z.union([ipAddress, z.literal('')]),
  externalPort: port,
  leaseSeconds: z.number().int().min(1).max(604_800),
  nonce,
  gateway: routerAddress,
});

const resultSchemas = {
  discover: gatewayInfoSchema,
  'external-ip': z.object({ address: z.string().max(64) }),
  map: z.object({}),
  unmap: z.object({}),
  'list-mappings': z.object({ mappings: z.array(mappingEntrySchema).max(1024) }),
  'pcp-map': pcpMappingSchema,
  'pcp-unmap': z.object({}),
  'pinhole-add': z.object({ uniqueId: pinholeId, leaseSeconds: pinholeLease, gateway: routerAddress }),
  'pinhole-renew': z.object({ leaseSeconds: pinholeLease }),
  'pinhole-remove': z.object({}),
  'default-gateways': z.object({ v4: z.ipv4().optional(), v6: routerAddress.optional() }),
} satisfies Record<MapperOp, z.ZodType>;

export const mapperResponseSchema = z.union([
  z.object({ id: requestId, ok: z.literal(true), result: z.unknown() }),
  z.object({ id: requestId, ok: z.literal(false), error: mapperFailureSchema }),
]);

export type MappingEntry = z.infer<typeof mappingEntrySchema>;
export type PcpMapping = z.infer<typeof pcpMappingSchema>;
export type MapperFailure = z.infer<typeof mapperFailureSchema>;
export type MapperResults = { [K in MapperOp]: z.infer<(typeof resultSchemas)[K]> };
export type MapperResponse = z.infer<typeof mapperResponseSchema>;
export type MapperOutcome<K extends MapperOp> = { ok: true; result: MapperResults[K] } | { ok: false; error: MapperFailure };

/** Checks a successful result's shape against what the request's op promises. */
export function parseMapperResult<K extends MapperOp>(op: K, result: unknown): MapperResults[K] | undefined {
  const parsed = resultSchemas[op].safeParse(result);
  return parsed.success ? (parsed.data as MapperResults[K]) : undefined;
}
