// Finds a usable UPnP Internet Gateway Device on the LAN (runs in the UPnP child process).
import natUpnp from 'nat-upnp';
import type { Device } from 'nat-upnp';
import { GatewayError } from './gateway-error';
import { routedAddress } from './local-addresses';

const SEARCH_TARGETS = [
  'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
  'urn:schemas-upnp-org:device:InternetGatewayDevice:2',
];
const MAX_REPLY_BYTES = 256 * 1024;
const MAX_CANDIDATES = 8;

/** A gateway whose description was fetched and which offers a WAN connection service. */
export interface DiscoveredGateway {
  device: Device;
  gatewayHost: string;
  localAddress: string;
  serviceType: string;
}

/** Fetches the device's description and picks the first of `device.services` it offers. */
export function describeService(device: Device, deadline: number): Promise<string> {
  return new Promise((resolve, reject) => {
    device.getService(device.services, (err, info) => {
      if (err || !info) reject(err ?? new Error('Service not found'));
      else if (Date.now() > deadline) reject(new Error('description came too late'));
      else resolve(info.service);
    });
  });
}

/** Searches with SSDP until a responder checks out or the timeout passes. */
export function discoverGateway(timeoutMs: number): Promise<DiscoveredGateway> {
  const deadline = Date.now() + timeoutMs;
  const ssdp = natUpnp.ssdp.create();
  const seen = new Set<string>();
  const queue: Array<{ location: string; host: string; port: number }> = [];
  // A failed description check says more than a malformed reply, so it wins when both happen.
  let problem: string | undefined;
  let replyProblem: string | undefined;
  let checking = false;

  return new Promise<DiscoveredGateway>((resolve, reject) => {
    let settled = false;
    const finish = (result: DiscoveredGateway | GatewayError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(resend);
      ssdp.close();
      if (result instanceof GatewayError) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => {
      const reason = problem ?? replyProblem;
      finish(reason
        ? new GatewayError('bad-gateway', `A device answered UPnP discovery but ${reason}.`)
        : new GatewayError('no-gateway', `No UPnP gateway answered within ${timeoutMs} ms.`));
    }, timeoutMs);

    const checkNext = async () => {
      if (checking || settled) return;
      const candidate = queue.shift();
      if (!candidate) return;
      checking = true;
      const device = natUpnp.device.create(candidate.location, {
        allowedHost: candidate.host,
        timeoutMs: Math.max(100, Math.min(3000, deadline - Date.now())),
        maxBytes: MAX_REPLY_BYTES,
      });
      try {
        const serviceType = await describeService(device, deadline);
        // The address the kernel uses toward the gateway: the one to pass as internal client.
        const localAddress = await routedAddress(4, candidate.host);
        if (!localAddress) throw new Error('no route to it from this machine');
        finish({ device, gatewayHost: candidate.host, localAddress, serviceType });
      } catch (err) {
        problem = `its description was unusable (${err instanceof Error ? err.message : String(err)})`;
      }
      checking = false;
      void checkNext();
    };

    const onReply = (headers: unknown, _local: unknown, remote: unknown) => {
      const location = (headers as { location?: unknown } | null)?.location;
      if (typeof location !== 'string' || typeof remote !== 'string' || seen.size >= MAX_CANDIDATES) return;
      let url: URL;
      try { url = new URL(location); } catch { replyProblem = 'sent an invalid location'; return; }
      // The description must come from the device that answered, never from a host it names.
      if (url.protocol !== 'http:' || url.hostname !== remote) {
        replyProblem = 'pointed to a description on another host';
        return;
      }
      if (seen.has(location)) return;
      seen.add(location);
      queue.push({ location, host: remote, port: Number(url.port || 80) });
      void checkNext();
    };

    const search = () => {
      for (const target of SEARCH_TARGETS) ssdp.search(target).on('device', onReply);
    };
    search();
    // One resend covers a lost datagram without flooding the LAN.
    const resend = setTimeout(search, Math.min(1000, timeoutMs / 3));
  });
}
