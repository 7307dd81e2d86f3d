// Finds the router's IGDv2 IPv6 firewall service (WANIPv6FirewallControl) over IPv6 SSDP, from
// the very address a pinhole is wanted for: routers grant a pinhole only to the address that asks
// (miniupnpd answers 606 otherwise), so its control calls must leave from there over IPv6.
// Runs in the UPnP child process.
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { Device } from 'nat-upnp';
import { GatewayError } from './gateway-error';
import { sameAddress } from './ip-bytes';
import { startSsdpSearch } from './ssdp-search';

export const FIREWALL_SERVICE = 'urn:schemas-upnp-org:service:WANIPv6FirewallControl:1';
const SSDP_PORT = 1900;
const SSDP_LINK_GROUP = 'ff02::c';
const MAX_DATAGRAM_BYTES = 8192;

/** The firewall service of a router, reached from `localAddress`. */
export interface DiscoveredFirewall {
  device: Device;
  gatewayHost: string;
  localAddress: string;
}

function interfaceOf(address: string): string | undefined {
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    if (entries?.some((e) => e.family === 'IPv6' && sameAddress(e.address, address))) return name;
  }
  return undefined;
}

function headerValue(reply: string, name: string): string | undefined {
  const match = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*?)[ \\t]*$`, 'im').exec(reply);
  return match?.[1];
}

/** Searches ff02::c on the address's link until a router's firewall service checks out. */
export function discoverFirewallControl(localAddress: string, timeoutMs: number): Promise<DiscoveredFirewall> {
  const ifname = interfaceOf(localAddress);
  if (!ifname) return Promise.reject(new GatewayError('internal', `This machine has no IPv6 address ${localAddress}.`));
  const socket = createSocket({ type: 'udp6' });
  let problem: string | undefined;
  // Answered, but its description lists no firewall service (miniupnpd in IGDv1 mode does this).
  let withoutService = false;

  const search = startSsdpSearch<DiscoveredFirewall>({
    timeoutMs,
    services: [FIREWALL_SERVICE],
    localAddress,
    sendQuery: () => {
      const query = Buffer.from(
        `M-SEARCH * HTTP/1.1\r\nHOST: [FF02::C]:${SSDP_PORT}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ${FIREWALL_SERVICE}\r\n\r\n`,
      );
      socket.send(query, SSDP_PORT, `${SSDP_LINK_GROUP}%${ifname}`, () => undefined);
    },
    close: () => {
      try {
        socket.close();
      } catch {
        /* already closed */
      }
    },
    accept: (candidate, device) => ({ device, gatewayHost: candidate.host, localAddress }),
    onUnusable: (reason) => {
      if (reason === 'Service not found') withoutService = true;
      else problem = `its description was unusable (${reason})`;
    },
    deadlineError: () =>
      problem
        ? new GatewayError('bad-gateway', `A device answered IPv6 UPnP discovery but ${problem}.`)
        : new GatewayError(
            'no-gateway',
            withoutService
              ? 'The router answered IPv6 UPnP discovery but offers no IPv6 firewall service.'
              : `No router with an IPv6 firewall service answered within ${timeoutMs} ms.`,
          ),
  });

  socket.on('error', (err: NodeJS.ErrnoException) => {
    search.fail(new GatewayError('internal', `Cannot search from ${localAddress} (${err.code ?? err.message}).`));
  });
  socket.on('message', (message, remote) => {
    if (message.length > MAX_DATAGRAM_BYTES || search.full) return;
    const reply = message.toString('latin1');
    if (!reply.startsWith('HTTP/1.1 200') || headerValue(reply, 'ST') !== FIREWALL_SERVICE) return;
    const location = headerValue(reply, 'LOCATION') ?? '';
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      problem ??= 'sent an invalid location';
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // The description must come from the device that answered, never from a host it names.
    if (url.protocol !== 'http:' || !sameAddress(host, remote.address)) {
      problem ??= 'pointed to a description on another host';
      return;
    }
    if (/^fe[89ab]/i.test(host)) {
      problem ??= 'offered only a link-local description address';
      return;
    }
    search.offer({ location, host });
  });
  socket.bind(0, localAddress, search.send);
  return search.result;
}
