// The child ops for PCP, NAT-PMP and pinholes: what the child accepts and what the parent believes.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mapperRequestSchema, mapperResponseSchema, parseMapperResult } from '../../../src-main/nat/mapper-messages';

it('accepts well-formed PCP and pinhole requests and rejects malformed ones', () => {
  const map = {
    id: 1,
    op: 'pcp-map',
    family: 6,
    internalAddress: '2001:db8:77::10',
    internalPort: 4000,
    suggestedExternalPort: 4000,
    leaseSeconds: 600,
    timeoutMs: 3000,
  };
  assert.ok(mapperRequestSchema.safeParse(map).success);
  assert.ok(mapperRequestSchema.safeParse({ ...map, nonce: '00112233445566778899aabb', server: 'fe80::1%lan0', protocol: 'pcp' }).success);
  const unmap = {
    id: 2,
    op: 'pcp-unmap',
    family: 4,
    internalAddress: '192.168.77.10',
    internalPort: 4000,
    externalPort: 4000,
    protocol: 'nat-pmp',
    nonce: '00112233445566778899aabb',
    server: '192.168.77.1',
    timeoutMs: 3000,
  };
  assert.ok(mapperRequestSchema.safeParse(unmap).success);
  const pinhole = { id: 3, op: 'pinhole-add', internalAddress: '2001:db8:77::10', internalPort: 4000, leaseSeconds: 600, timeoutMs: 3000 };
  assert.ok(mapperRequestSchema.safeParse(pinhole).success);
  assert.ok(mapperRequestSchema.safeParse({ id: 4, op: 'default-gateways' }).success);
  for (const bad of [
    { ...map, family: 5 },
    { ...map, leaseSeconds: 0 },
    { ...map, nonce: 'xyz' },
    { ...map, nonce: '00112233445566778899AABB' },
    { ...map, server: 'router.example' },
    { ...map, internalAddress: 'evil.example' },
    { ...map, timeoutMs: 10 },
    { ...unmap, nonce: undefined },
    { ...unmap, protocol: 'upnp' },
    { ...pinhole, internalAddress: '192.168.77.10' },
    { ...pinhole, leaseSeconds: 86_401 },
    { id: 5, op: 'pinhole-renew', internalAddress: '2001:db8:77::10', uniqueId: 70_000, leaseSeconds: 60, timeoutMs: 1000 },
  ])
    assert.equal(mapperRequestSchema.safeParse(bad).success, false, JSON.stringify(bad));
});

it('believes only bounded, well-formed results from the child', () => {
  const mapping = {
    protocol: 'pcp',
    externalAddress: '203.0.113.2',
    externalPort: 4000,
    leaseSeconds: 600,
    nonce: '00112233445566778899aabb',
    gateway: '192.168.77.1',
  };
  assert.deepEqual(parseMapperResult('pcp-map', mapping), mapping);
  assert.ok(parseMapperResult('pcp-map', { ...mapping, externalAddress: '' }));
  for (const bad of [
    { ...mapping, externalPort: 0 },
    { ...mapping, leaseSeconds: 0 },
    { ...mapping, externalAddress: 'x'.repeat(100) },
    { ...mapping, protocol: 'upnp' },
  ]) {
    assert.equal(parseMapperResult('pcp-map', bad), undefined, JSON.stringify(bad));
  }
  assert.ok(parseMapperResult('pinhole-add', { uniqueId: 7, leaseSeconds: 600, gateway: '2001:db8:77::1' }));
  assert.equal(parseMapperResult('pinhole-add', { uniqueId: -1, leaseSeconds: 600, gateway: '2001:db8:77::1' }), undefined);
  assert.deepEqual(parseMapperResult('default-gateways', { v4: '192.168.77.1', v6: 'fe80::1%lan0' }), {
    v4: '192.168.77.1',
    v6: 'fe80::1%lan0',
  });
  assert.equal(parseMapperResult('default-gateways', { v6: 'not an address' }), undefined);
  assert.ok(mapperResponseSchema.safeParse({ id: 1, ok: false, error: { kind: 'upnp', message: 'PCP: no.', pcpCode: 2 } }).success);
  assert.equal(mapperResponseSchema.safeParse({ id: 1, ok: false, error: { kind: 'upnp', message: 'x', pcpCode: -1 } }).success, false);
});
