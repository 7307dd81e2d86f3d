// Finds a usable UPnP Internet Gateway Device on the LAN (runs in the UPnP child process).
import natUpnp from 'nat-upnp';
import type { Device } from 'nat-upnp';
import { GatewayError } from './gateway-error';
import { routedAddress } from './local-addresses';
import { startSsdpSearch } from './ssdp-search';

const SEARCH_TARGETS = ['urn:schemas-upnp-org:device:InternetGatewayDevice:1', 'urn:schemas-upnp-org:device:InternetGatewayDevice:2'];

/** A gateway whose description was fetched and which offers a WAN connection service. */
export interface DiscoveredGateway {
  device: Device;
  gatewayHost: string;
  localAddress: string;
  serviceType: string;
}

/** Searches with SSDP until a responder checks out or the timeout passes. */
export function discoverGateway(timeoutMs: number): Promise<DiscoveredGateway> {
  const ssdp = natUpnp.ssdp.create();
  // A failed description check says more than a malformed reply, so it wins when both happen.
  let problem: string | undefined;
  let replyProblem: string | undefined;

  const search = startSsdpSearch<DiscoveredGateway>({
    timeoutMs,
    sendQuery: () => {
      for (const target of SEARCH_TARGETS) ssdp.search(target).on('device', onReply);
    },
    close: () => ssdp.close(),
    accept: async (candidate, device, serviceType) => {
      // The address the kernel uses toward the gateway: the one to pass as internal client.
      const localAddress = await routedAddress(4, candidate.host);
      if (!localAddress) throw new Error('no route to it from this machine');
      return { device, gatewayHost: candidate.host, localAddress, serviceType };
    },
    onUnusable: (reason) => {
      problem = `its description was unusable (${reason})`;
    },
    deadlineError: () => {
      const reason = problem ?? replyProblem;
      return reason
        ? new GatewayError('bad-gateway', `A device answered UPnP discovery but ${reason}.`)
        : new GatewayError('no-gateway', `No UPnP gateway answered within ${timeoutMs} ms.`);
    },
  });

  function onReply(headers: unknown, _local: unknown, remote: unknown): void {
    const location = (headers as { location?: unknown } | null)?.location;
    if (typeof location !== 'string' || typeof remote !== 'string' || search.full) return;
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      replyProblem = 'sent an invalid location';
      return;
    }
    // The description must come from the device that answered, never from a host it names.
    if (url.protocol !== 'http:' || url.hostname !== remote) {
      replyProblem = 'pointed to a description on another host';
      return;
    }
    search.offer({ location, host: remote });
  }

  search.send();
  return search.result;
}
