// Finds the router's IGDv2 IPv6 firewall service (WANIPv6FirewallControl) over IPv6 SSDP, from
// the very address a pinhole is wanted for: routers grant a pinhole only to the address that asks
// (miniupnpd answers 606 otherwise), so its control calls must leave from there over IPv6.
// Runs in the UPnP child process.
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import natUpnp from 'nat-upnp';
import type { Device } from 'nat-upnp';
import { GatewayError } from './gateway-error';
import { describeService } from './gateway-discovery';
import { sameAddress } from './ip-bytes';

declare module 'nat-upnp' {
  interface DeviceOptions {
    /** Source address of every HTTP request (added by patches/nat-upnp+1.1.1.patch). */
    localAddress?: string;
  }
}

export const FIREWALL_SERVICE = 'urn:schemas-upnp-org:service:WANIPv6FirewallControl:1';
const SSDP_PORT = 1900;
const SSDP_LINK_GROUP = 'ff02::c';
const MAX_DATAGRAM_BYTES = 8192;
const MAX_CANDIDATES = 8;
const MAX_DESCRIPTION_BYTES = 256 * 1024;

/** The firewall service of a router, reached from `localAddress`. */
export interface DiscoveredFirewall { device: Device; gatewayHost: string; localAddress: string }

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
  const deadline = Date.now() + timeoutMs;
  const socket = createSocket({ type: 'udp6' });
  const seen = new Set<string>();
  const queue: Array<{ location: string; host: string }> = [];
  let problem: string | undefined;
  // Answered, but its description lists no firewall service (miniupnpd in IGDv1 mode does this).
  let withoutService = false;
  let checking = false;

  return new Promise<DiscoveredFirewall>((resolve, reject) => {
    let settled = false;
    const finish = (result: DiscoveredFirewall | GatewayError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(resend);
      try { socket.close(); } catch { /* already closed */ }
      if (result instanceof GatewayError) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(problem
      ? new GatewayError('bad-gateway', `A device answered IPv6 UPnP discovery but ${problem}.`)
      : new GatewayError('no-gateway', withoutService
        ? 'The router answered IPv6 UPnP discovery but offers no IPv6 firewall service.'
        : `No router with an IPv6 firewall service answered within ${timeoutMs} ms.`)), timeoutMs);

    const checkNext = async () => {
      if (checking || settled) return;
      const candidate = queue.shift();
      if (!candidate) return;
      checking = true;
      const device = natUpnp.device.create(candidate.location, {
        allowedHost: candidate.host,
        timeoutMs: Math.max(100, Math.min(3000, deadline - Date.now())),
        maxBytes: MAX_DESCRIPTION_BYTES,
        localAddress,
      });
      device.services = [FIREWALL_SERVICE];
      try {
        await describeService(device, deadline);
        finish({ device, gatewayHost: candidate.host, localAddress });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (message === 'Service not found') withoutService = true;
        else problem = `its description was unusable (${message})`;
      }
      checking = false;
      void checkNext();
    };

    socket.on('error', (err: NodeJS.ErrnoException) => {
      finish(new GatewayError('internal', `Cannot search from ${localAddress} (${err.code ?? err.message}).`));
    });
    socket.on('message', (message, remote) => {
      if (message.length > MAX_DATAGRAM_BYTES || seen.size >= MAX_CANDIDATES) return;
      const reply = message.toString('latin1');
      if (!reply.startsWith('HTTP/1.1 200') || headerValue(reply, 'ST') !== FIREWALL_SERVICE) return;
      const location = headerValue(reply, 'LOCATION') ?? '';
      let url: URL;
      try { url = new URL(location); } catch { problem ??= 'sent an invalid location'; return; }
      const host = url.hostname.replace(/^\[|\]$/g, '');
      // The description must come from the device that answered, never from a host it names.
      if (url.protocol !== 'http:' || !sameAddress(host, remote.address)) { problem ??= 'pointed to a description on another host'; return; }
      if (/^fe[89ab]/i.test(host)) { problem ??= 'offered only a link-local description address'; return; }
      if (seen.has(location)) return;
      seen.add(location);
      queue.push({ location, host });
      void checkNext();
    });

    const search = () => {
      const query = Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: [FF02::C]:${SSDP_PORT}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ${FIREWALL_SERVICE}\r\n\r\n`);
      if (!settled) socket.send(query, SSDP_PORT, `${SSDP_LINK_GROUP}%${ifname}`, () => undefined);
    };
    // One resend covers a lost datagram without flooding the link.
    const resend = setTimeout(search, Math.min(1000, timeoutMs / 3));
    socket.bind(0, localAddress, search);
  });
}
