// The typed messages between the port mapper (parent) and the UPnP child process. Both sides
// validate what they receive: the child parses LAN input, so its replies are untrusted too.
import { z } from 'zod';

const requestId = z.number().int().nonnegative();
const port = z.number().int().min(1).max(65535);

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

export const mapperFailureSchema = z.object({
  kind: z.enum(['no-gateway', 'bad-gateway', 'upnp', 'internal']),
  message: z.string().max(500),
  upnpCode: z.number().int().optional(),
});

const resultSchemas = {
  discover: gatewayInfoSchema,
  'external-ip': z.object({ address: z.string().max(64) }),
  map: z.object({}),
  unmap: z.object({}),
  'list-mappings': z.object({ mappings: z.array(mappingEntrySchema).max(1024) }),
} satisfies Record<MapperOp, z.ZodType>;

export const mapperResponseSchema = z.union([
  z.object({ id: requestId, ok: z.literal(true), result: z.unknown() }),
  z.object({ id: requestId, ok: z.literal(false), error: mapperFailureSchema }),
]);

export type GatewayInfo = z.infer<typeof gatewayInfoSchema>;
export type MappingEntry = z.infer<typeof mappingEntrySchema>;
export type MapperFailure = z.infer<typeof mapperFailureSchema>;
export type MapperResults = { [K in MapperOp]: z.infer<(typeof resultSchemas)[K]> };
export type MapperResponse = z.infer<typeof mapperResponseSchema>;
export type MapperOutcome<K extends MapperOp> =
  | { ok: true; result: MapperResults[K] }
  | { ok: false; error: MapperFailure };

/** Checks a successful result's shape against what the request's op promises. */
export function parseMapperResult<K extends MapperOp>(op: K, result: unknown): MapperResults[K] | undefined {
  const parsed = resultSchemas[op].safeParse(result);
  return parsed.success ? (parsed.data as MapperResults[K]) : undefined;
}
