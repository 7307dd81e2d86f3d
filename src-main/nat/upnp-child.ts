// Entry point of the UPnP child process: everything that parses LAN replies runs here, so a
// hostile or broken device can at worst kill this process, never the room host.
import './child-signals';
import { mapperRequestSchema } from './mapper-messages';
import type { MapperFailure, MapperRequest, MapperResponse } from './mapper-messages';
import { GatewayError } from './gateway-error';
import { discoverGateway } from './gateway-discovery';
import type { DiscoveredGateway } from './gateway-discovery';
import { addMapping, deleteMapping, getExternalAddress, listMappings } from './gateway-actions';
import { PcpError, pcpMap, pcpUnmap } from './pcp-client';
import { closePinhole, openPinhole, renewPinhole } from './pinhole-service';
import { defaultGateways } from './default-gateway';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

// Electron's utilityProcess talks through process.parentPort; child_process.fork through process.send.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (message: MapperResponse) => {
  if (parentPort) parentPort.postMessage(message);
  else if (process.connected) process.send?.(message);
};

let gateway: DiscoveredGateway | undefined;

function requireGateway(): DiscoveredGateway {
  if (!gateway) throw new GatewayError('internal', 'Discover the gateway first.');
  return gateway;
}

async function handle(request: MapperRequest): Promise<unknown> {
  switch (request.op) {
    case 'discover': {
      gateway = await discoverGateway(request.timeoutMs);
      const { gatewayHost, localAddress, serviceType } = gateway;
      return { gatewayHost, localAddress, serviceType };
    }
    case 'external-ip':
      return { address: await getExternalAddress(requireGateway().device) };
    case 'map':
      await addMapping(requireGateway().device, request);
      return {};
    case 'unmap':
      await deleteMapping(requireGateway().device, request.externalPort);
      return {};
    case 'list-mappings':
      return { mappings: await listMappings(requireGateway().device) };
    case 'pcp-map':
      return pcpMap(request);
    case 'pcp-unmap':
      await pcpUnmap(request);
      return {};
    case 'pinhole-add':
      return openPinhole(request);
    case 'pinhole-renew':
      return renewPinhole(request);
    case 'pinhole-remove':
      return closePinhole(request);
    case 'default-gateways':
      return defaultGateways();
  }
}

function failureOf(err: unknown): MapperFailure {
  const failure = GatewayError.toFailure(err);
  return err instanceof PcpError ? { ...failure, pcpCode: err.pcpCode } : failure;
}

// Requests of one kind run one at a time, in order, like the parent issues them; the kinds run
// side by side, so a PCP request is not held up behind a slow UPnP discovery.
const lanes = new Map<string, Promise<void>>();

function laneOf(op: MapperRequest['op']): string {
  if (op.startsWith('pcp-')) return 'pcp';
  if (op.startsWith('pinhole-')) return 'pinhole';
  return op === 'default-gateways' ? 'local' : 'upnp';
}

function onMessage(raw: unknown): void {
  const parsed = mapperRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
      send({ id, ok: false, error: { kind: 'internal', message: 'Invalid request.' } });
    }
    return;
  }
  const request = parsed.data;
  const lane = laneOf(request.op);
  lanes.set(
    lane,
    (lanes.get(lane) ?? Promise.resolve()).then(async () => {
      try {
        send({ id: request.id, ok: true, result: await handle(request) });
      } catch (err) {
        send({ id: request.id, ok: false, error: failureOf(err) });
      }
    }),
  );
}

if (parentPort) parentPort.on('message', (event) => onMessage(event.data));
else process.on('message', onMessage);
// Without a parent there is nobody to serve: leave rather than linger as an orphan.
process.on('disconnect', () => process.exit(0));
