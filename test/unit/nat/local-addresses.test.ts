import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { lanAddresses, routedAddress } from '../../../src-main/nat/local-addresses';

const isLinkLocal = (a: string) => a.startsWith('169.254.') || /^fe[89ab]/i.test(a);

/** Addresses on this machine someone else could use: not loopback, not link-local. */
function usableHere(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((e) => !e.internal && !isLinkLocal(e.address))
    .map((e) => e.address);
}

test('lists only real, usable addresses of this machine, without duplicates', async () => {
  const addresses = await lanAddresses();
  assert.ok(addresses.length > 0);
  assert.equal(new Set(addresses).size, addresses.length);
  const usable = usableHere();
  for (const address of addresses) {
    assert.notEqual(isIP(address), 0, address);
    assert.equal(isLinkLocal(address), false, `link-local ${address} listed`);
    if (address !== '127.0.0.1') assert.ok(usable.includes(address), `${address} is not a usable interface address`);
  }
});

test('never offers 127.0.0.1 (or ::1) when another usable address exists', async () => {
  const addresses = await lanAddresses();
  assert.equal(addresses.includes('::1'), false);
  if (usableHere().length > 0) {
    assert.equal(addresses.includes('127.0.0.1'), false);
    assert.deepEqual([...addresses].sort(), [...new Set(usableHere())].sort(), 'every usable address is offered');
  } else {
    assert.deepEqual(addresses, ['127.0.0.1']);
  }
});

test('never offers a link-local address even when the machine has one', async (t) => {
  const linkLocal = Object.values(networkInterfaces())
    .flatMap((e) => e ?? [])
    .filter((e) => !e.internal && isLinkLocal(e.address));
  if (linkLocal.length === 0) t.diagnostic('this machine has no link-local address; the check below is weaker');
  const addresses = await lanAddresses();
  for (const entry of linkLocal) assert.equal(addresses.includes(entry.address), false, entry.address);
});

test('the address the routing table picks comes first (IPv4 before IPv6)', async (t) => {
  const [v4, v6] = await Promise.all([routedAddress(4), routedAddress(6)]);
  const addresses = await lanAddresses();
  const routed = [v4, v6].filter((a): a is string => !!a && !isLinkLocal(a));
  if (routed.length === 0) t.diagnostic('no default route on this machine; nothing to order');
  assert.deepEqual(addresses.slice(0, routed.length), routed);
  // IPv4 ahead of IPv6 among the rest, since more networks route it.
  const rest = addresses.slice(routed.length);
  const firstV6 = rest.findIndex((a) => isIP(a) === 6);
  if (firstV6 !== -1)
    assert.ok(
      rest.slice(firstV6).every((a) => isIP(a) === 6),
      `order ${rest.join(', ')}`,
    );
});

test('routedAddress reports the source address the kernel picks for a destination', async () => {
  assert.equal(await routedAddress(4, '127.0.0.1'), '127.0.0.1');
  assert.equal(await routedAddress(4, '127.0.0.2'), '127.0.0.1');
});
