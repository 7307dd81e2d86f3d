// IGDv2 IPv6 pinholes for the UPnP child: finds the router's firewall service once per address,
// then adds, renews and removes pinholes, each call bounded by the caller's deadline.
import { GatewayError } from './gateway-error';
import { addPinhole, deletePinhole, updatePinhole } from './gateway-actions';
import { discoverFirewallControl } from './firewall-discovery';
import type { DiscoveredFirewall } from './firewall-discovery';

// Found services, by the local address they were found from (the pinhole's address).
const found = new Map<string, DiscoveredFirewall>();

function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayError('bad-gateway', 'The router did not answer the pinhole request in time.')), timeoutMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function withFirewall<T>(internalAddress: string, timeoutMs: number, action: (fw: DiscoveredFirewall) => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return withDeadline(
    (async () => {
      let fw = found.get(internalAddress);
      if (!fw) {
        fw = await discoverFirewallControl(internalAddress, Math.max(100, deadline - Date.now()));
        found.set(internalAddress, fw);
      }
      try {
        return await action(fw);
      } catch (err) {
        // A router that answered with a UPnP code is still there; anything else: search again next time.
        if (!(err instanceof GatewayError && err.kind === 'upnp')) found.delete(internalAddress);
        throw err;
      }
    })(),
    timeoutMs,
  );
}

/** Opens a pinhole; resolves with its id and the router's address. */
export function openPinhole(r: { internalAddress: string; internalPort: number; leaseSeconds: number; timeoutMs: number }) {
  return withFirewall(r.internalAddress, r.timeoutMs, async (fw) => ({
    uniqueId: await addPinhole(fw.device, r),
    leaseSeconds: r.leaseSeconds,
    gateway: fw.gatewayHost,
  }));
}

/** Extends a pinhole made from the same address. */
export function renewPinhole(r: { internalAddress: string; uniqueId: number; leaseSeconds: number; timeoutMs: number }) {
  return withFirewall(r.internalAddress, r.timeoutMs, async (fw) => {
    await updatePinhole(fw.device, r.uniqueId, r.leaseSeconds);
    return { leaseSeconds: r.leaseSeconds };
  });
}

/** Closes a pinhole made from the same address. */
export function closePinhole(r: { internalAddress: string; uniqueId: number; timeoutMs: number }) {
  return withFirewall(r.internalAddress, r.timeoutMs, async (fw) => {
    await deletePinhole(fw.device, r.uniqueId);
    return {};
  });
}
