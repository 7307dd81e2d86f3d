import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mapperRequestSchema, mapperResponseSchema, parseMapperResult } from '../../../src-main/nat/mapper-messages';

it('accepts well-formed requests and rejects malformed ones', () => {
  const map = {
    id: 1,
    op: 'map',
    externalPort: 4000,
    internalPort: 4000,
    internalClient: '192.168.77.10',
    leaseSeconds: 3600,
    description: 'Porthole room',
  };
  assert.ok(mapperRequestSchema.safeParse(map).success);
  assert.ok(mapperRequestSchema.safeParse({ id: 0, op: 'discover', timeoutMs: 2000 }).success);
  for (const bad of [
    { ...map, externalPort: 0 },
    { ...map, externalPort: 70000 },
    { ...map, internalClient: 'evil.example' },
    { ...map, leaseSeconds: -1 },
    { ...map, description: 'x'.repeat(101) },
    { ...map, id: -1 },
    { id: 2, op: 'reboot-router' },
    { id: 3, op: 'discover', timeoutMs: 10 },
    null,
    'map',
    [],
  ])
    assert.equal(mapperRequestSchema.safeParse(bad).success, false, JSON.stringify(bad));
});

it('validates child replies and their per-op results', () => {
  assert.ok(mapperResponseSchema.safeParse({ id: 1, ok: false, error: { kind: 'upnp', message: 'x', upnpCode: 718 } }).success);
  assert.equal(mapperResponseSchema.safeParse({ id: 1, ok: false, error: { kind: 'boom', message: 'x' } }).success, false);
  assert.equal(mapperResponseSchema.safeParse({ id: 1, ok: false, error: { kind: 'upnp', message: 'x'.repeat(501) } }).success, false);
  assert.equal(mapperResponseSchema.safeParse({ ok: true, result: {} }).success, false);
  assert.deepEqual(parseMapperResult('external-ip', { address: '203.0.113.2' }), { address: '203.0.113.2' });
  assert.equal(parseMapperResult('external-ip', { address: 42 }), undefined);
  assert.equal(parseMapperResult('discover', { gatewayHost: '192.168.77.1', localAddress: 'x', serviceType: 's' }), undefined);
  const entry = { externalPort: 1, internalPort: 2, internalClient: '192.168.77.10', protocol: 'TCP', description: 'd', leaseSeconds: 0 };
  assert.ok(parseMapperResult('list-mappings', { mappings: [entry] }));
  assert.equal(parseMapperResult('list-mappings', { mappings: Array(1025).fill(entry) }), undefined);
});
