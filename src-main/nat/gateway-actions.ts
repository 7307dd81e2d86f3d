// The UPnP actions the port mapper needs: WAN-connection mappings and IGDv2 IPv6 pinholes
// (runs in the UPnP child process).
import type { Device, UpnpCallError } from 'nat-upnp';
import type { MappingEntry } from './mapper-messages';
import { GatewayError } from './gateway-error';

const MAX_LISTED = 256;

function runAction(device: Device, action: string, args: Array<[string, string | number | undefined]>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    device.run(action, args, (err: UpnpCallError | null, body?: Record<string, unknown>) => {
      if (err) {
        const code = typeof err.upnpErrorCode === 'number' ? err.upnpErrorCode : undefined;
        reject(new GatewayError(code === undefined ? 'bad-gateway' : 'upnp', err.message, code));
        return;
      }
      const key = Object.keys(body ?? {}).find((k) => k.endsWith(`${action}Response`));
      const response = key === undefined ? undefined : body?.[key];
      // An empty response element parses as '' or {}; both mean "no values".
      resolve(response && typeof response === 'object' ? (response as Record<string, unknown>) : {});
    });
  });
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Asks the gateway for its external IPv4 address ('' when it has none). */
export async function getExternalAddress(device: Device): Promise<string> {
  const response = await runAction(device, 'GetExternalIPAddress', []);
  return text(response['NewExternalIPAddress']).slice(0, 64);
}

/** Adds (or refreshes) a TCP port mapping to an explicit internal client. */
export async function addMapping(
  device: Device,
  m: {
    externalPort: number;
    internalPort: number;
    internalClient: string;
    leaseSeconds: number;
    description: string;
  },
): Promise<void> {
  await runAction(device, 'AddPortMapping', [
    ['NewRemoteHost', ''],
    ['NewExternalPort', m.externalPort],
    ['NewProtocol', 'TCP'],
    ['NewInternalPort', m.internalPort],
    ['NewInternalClient', m.internalClient],
    ['NewEnabled', 1],
    ['NewPortMappingDescription', m.description],
    ['NewLeaseDuration', m.leaseSeconds],
  ]);
}

/** Removes a TCP port mapping. */
export async function deleteMapping(device: Device, externalPort: number): Promise<void> {
  await runAction(device, 'DeletePortMapping', [
    ['NewRemoteHost', ''],
    ['NewExternalPort', externalPort],
    ['NewProtocol', 'TCP'],
  ]);
}

function toEntry(r: Record<string, unknown>): MappingEntry | undefined {
  const externalPort = Number(text(r['NewExternalPort']));
  const internalPort = Number(text(r['NewInternalPort']));
  const leaseSeconds = Number(text(r['NewLeaseDuration']) || '0');
  const valid = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  if (!valid(externalPort) || !valid(internalPort) || !Number.isInteger(leaseSeconds) || leaseSeconds < 0) return undefined;
  return {
    externalPort,
    internalPort,
    internalClient: text(r['NewInternalClient']).slice(0, 64),
    protocol: text(r['NewProtocol']).toUpperCase().slice(0, 16),
    description: text(r['NewPortMappingDescription']).slice(0, 256),
    leaseSeconds,
  };
}

/** Lists the gateway's mappings; 713/714 end the table, other errors are reported. */
export async function listMappings(device: Device): Promise<MappingEntry[]> {
  const entries: MappingEntry[] = [];
  for (let index = 0; index < MAX_LISTED; index++) {
    let response: Record<string, unknown>;
    try {
      response = await runAction(device, 'GetGenericPortMappingEntry', [['NewPortMappingIndex', index]]);
    } catch (err) {
      if (err instanceof GatewayError && (err.upnpCode === 713 || err.upnpCode === 714)) return entries;
      throw err;
    }
    const entry = toEntry(response);
    if (entry) entries.push(entry);
  }
  return entries;
}

const PROTOCOL_TCP = 6;

/** Opens an IGDv2 IPv6 firewall pinhole for TCP to internalAddress:internalPort from anywhere. */
export async function addPinhole(
  device: Device,
  p: { internalAddress: string; internalPort: number; leaseSeconds: number },
): Promise<number> {
  const response = await runAction(device, 'AddPinhole', [
    ['RemoteHost', ''],
    ['RemotePort', 0],
    ['InternalClient', p.internalAddress],
    ['InternalPort', p.internalPort],
    ['Protocol', PROTOCOL_TCP],
    ['LeaseTime', p.leaseSeconds],
  ]);
  const idText = text(response['UniqueID']);
  const uniqueId = /^\d{1,5}$/.test(idText) ? Number(idText) : NaN;
  if (!(uniqueId >= 0 && uniqueId <= 65535))
    throw new GatewayError('bad-gateway', 'The router opened a pinhole but sent no valid pinhole id.');
  return uniqueId;
}

/** Extends a pinhole's lease. */
export async function updatePinhole(device: Device, uniqueId: number, leaseSeconds: number): Promise<void> {
  await runAction(device, 'UpdatePinhole', [
    ['UniqueID', uniqueId],
    ['NewLeaseTime', leaseSeconds],
  ]);
}

/** Closes a pinhole. */
export async function deletePinhole(device: Device, uniqueId: number): Promise<void> {
  await runAction(device, 'DeletePinhole', [['UniqueID', uniqueId]]);
}
