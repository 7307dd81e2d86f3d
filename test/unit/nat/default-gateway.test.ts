// Reading the default routers from the kernel's route tables and from route commands.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultGateways,
  parseIpRouteDefault,
  parseProcIpv6Route,
  parseProcNetRoute,
  parseRouteGet,
} from '../../../src-main/nat/default-gateway';

const procRoute = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
lan0\t00000000\t014DA8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
lan0\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

// As read in the lab's lan namespace, plus a second default with a worse metric and a reject route.
const procIpv6Route = `20010db8007700000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     lan0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db800770000000000000000fffe 00000800 00000001 00000000 00000003     eth1
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     lan0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
`;

it('reads the IPv4 default gateway with the lowest metric from /proc/net/route', () => {
  assert.equal(parseProcNetRoute(procRoute), '192.168.77.1');
  assert.equal(
    parseProcNetRoute(
      procRoute
        .split('\n')
        .filter((l) => !l.includes('00000000\t0'))
        .join('\n'),
    ),
    undefined,
  );
  assert.equal(parseProcNetRoute(''), undefined);
});

it('reads the IPv6 default router from /proc/net/ipv6_route, link-local with its zone', () => {
  assert.equal(parseProcIpv6Route(procIpv6Route), 'fe80::1%lan0');
  assert.equal(
    parseProcIpv6Route(
      procIpv6Route
        .split('\n')
        .filter((l) => !l.includes('fe80'))
        .join('\n'),
    ),
    '2001:db8:77::fffe',
  );
  assert.equal(parseProcIpv6Route('garbage\n\n'), undefined);
});

it('reads `ip route show default` and `route -n get default`', () => {
  assert.equal(parseIpRouteDefault('default via 192.168.77.1 dev lan0 proto dhcp metric 100\n'), '192.168.77.1');
  assert.equal(parseIpRouteDefault('default via fe80::1 dev lan0 metric 1024 pref medium\n'), 'fe80::1%lan0');
  assert.equal(parseIpRouteDefault('default dev ppp0 scope link\n'), undefined);
  assert.equal(parseRouteGet('   route to: default\ndestination: default\n    gateway: 192.168.1.1\n  interface: en0\n'), '192.168.1.1');
  assert.equal(parseRouteGet('    gateway: fe80::1%en0\n'), 'fe80::1%en0');
  assert.equal(parseRouteGet('route: writing to routing socket: not in table\n'), undefined);
});

it('finds nothing where Node has no way to ask (Windows)', async () => {
  assert.deepEqual(await defaultGateways('win32'), {});
});
