// Finds the IPv4 and IPv6 default routers: where PCP and NAT-PMP requests go. Linux reads
// /proc/net/route and /proc/net/ipv6_route, falling back to `ip route`; macOS asks
// `route -n get` (not tested here); elsewhere (Windows) Node can find nothing and we say so.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { bytesToAddress, withoutZone } from './ip-bytes';

/** Default routers by family; a missing one means "none found". IPv6 link-local carries its zone. */
export interface DefaultGateways {
  v4?: string;
  v6?: string;
}

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_REJECT = 0x200;
const COMMAND_TIMEOUT_MS = 2000;

function usable(address: string | undefined): string | undefined {
  return address !== undefined && isIP(withoutZone(address)) !== 0 ? address : undefined;
}

function lowestMetric(candidates: Array<{ metric: number; address: string }>): string | undefined {
  return candidates.sort((a, b) => a.metric - b.metric)[0]?.address;
}

/** The IPv4 default gateway in /proc/net/route text (hex, little-endian), lowest metric first. */
export function parseProcNetRoute(text: string): string | undefined {
  const candidates: Array<{ metric: number; address: string }> = [];
  for (const line of text.split('\n').slice(1)) {
    const [, destination, gateway, flags, , , metric, mask] = line.trim().split(/\s+/);
    if (destination !== '00000000' || mask !== '00000000' || !gateway || !/^[0-9A-Fa-f]{8}$/.test(gateway)) continue;
    const f = parseInt(flags ?? '0', 16);
    if ((f & (RTF_UP | RTF_GATEWAY)) !== (RTF_UP | RTF_GATEWAY) || (f & RTF_REJECT) !== 0) continue;
    const n = parseInt(gateway, 16);
    const address = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
    candidates.push({ metric: Number(metric) || 0, address });
  }
  return usable(lowestMetric(candidates));
}

/** The IPv6 default router in /proc/net/ipv6_route text; a link-local one gets "%interface". */
export function parseProcIpv6Route(text: string): string | undefined {
  const candidates: Array<{ metric: number; address: string }> = [];
  for (const line of text.split('\n')) {
    const [destination, prefix, , , nextHop, metric, , , flags, device] = line.trim().split(/\s+/);
    if (destination !== '0'.repeat(32) || prefix !== '00' || !nextHop || !/^[0-9a-fA-F]{32}$/.test(nextHop)) continue;
    if (nextHop === '0'.repeat(32) || !device) continue;
    const f = parseInt(flags ?? '0', 16);
    if ((f & (RTF_UP | RTF_GATEWAY)) !== (RTF_UP | RTF_GATEWAY) || (f & RTF_REJECT) !== 0) continue;
    const address = bytesToAddress(Buffer.from(nextHop, 'hex'));
    candidates.push({ metric: parseInt(metric ?? '0', 16), address: /^fe[89ab]/i.test(address) ? `${address}%${device}` : address });
  }
  return usable(lowestMetric(candidates));
}

/** The first "default via X dev Y" of `ip route show default` output. */
export function parseIpRouteDefault(text: string): string | undefined {
  const match = /^default\s+via\s+(\S+)(?:.*?\sdev\s+(\S+))?/m.exec(text);
  if (!match?.[1]) return undefined;
  const address = match[1];
  return usable(/^fe[89ab]/i.test(address) && match[2] && !address.includes('%') ? `${address}%${match[2]}` : address);
}

/** The "gateway:" line of BSD/macOS `route -n get default` output. */
export function parseRouteGet(text: string): string | undefined {
  return usable(/^\s*gateway:\s*(\S+)/m.exec(text)?.[1]);
}

function command(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 256 * 1024 }, (err, stdout) => resolve(err ? '' : stdout));
  });
}

async function procFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

async function linux(): Promise<DefaultGateways> {
  const ipv4 =
    parseProcNetRoute(await procFile('/proc/net/route')) ?? parseIpRouteDefault(await command('ip', ['-4', 'route', 'show', 'default']));
  const ipv6 =
    parseProcIpv6Route(await procFile('/proc/net/ipv6_route')) ??
    parseIpRouteDefault(await command('ip', ['-6', 'route', 'show', 'default']));
  return { ...(ipv4 ? { v4: ipv4 } : {}), ...(ipv6 ? { v6: ipv6 } : {}) };
}

async function macos(): Promise<DefaultGateways> {
  const ipv4 = parseRouteGet(await command('route', ['-n', 'get', 'default']));
  const ipv6 = parseRouteGet(await command('route', ['-n', 'get', '-inet6', 'default']));
  return { ...(ipv4 ? { v4: ipv4 } : {}), ...(ipv6 ? { v6: ipv6 } : {}) };
}

/** This machine's default routers; {} where the platform gives Node no way to ask (Windows). */
export async function defaultGateways(platform: NodeJS.Platform = process.platform): Promise<DefaultGateways> {
  if (platform === 'linux') return linux();
  if (platform === 'darwin') return macos();
  return {};
}
