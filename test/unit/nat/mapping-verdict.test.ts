import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mappingVerdict, type MappingFacts } from '../../../src-main/nat/mapping-verdict';
import type { PortOpening } from '../../../src-main/nat/mapping-methods';

const v4 = (externalAddress: string, method: PortOpening['method'] = 'upnp-igd'): PortOpening => ({
  method,
  family: 4,
  internalAddress: '192.168.1.20',
  internalPort: 41234,
  externalAddress,
  externalPort: 41234,
  leaseSeconds: 3600,
  handle: {},
});
const v6: PortOpening = {
  method: 'pcp',
  family: 6,
  internalAddress: '2001:db8::20',
  internalPort: 41234,
  externalAddress: '2001:db8::20',
  externalPort: 41234,
  leaseSeconds: 3600,
  handle: {},
};
const facts = (over: Partial<MappingFacts>): MappingFacts => ({
  internalPort: 41234,
  internalAddress: '192.168.1.20',
  gateway: '192.168.1.1',
  v4: undefined,
  v6: undefined,
  failures: [],
  searching: false,
  ...over,
});

test('a public forward is mapped, and says how', () => {
  const status = mappingVerdict(facts({ v4: v4('198.51.100.7', 'pcp') }));
  assert.equal(status.code, 'mapped');
  assert.equal(status.method, 'pcp');
  assert.equal(status.externalAddress, '198.51.100.7');
  assert.match(status.message, /198\.51\.100\.7/);
});

test('double NAT names the address to forward to on the outer router', () => {
  const status = mappingVerdict(facts({ v4: v4('10.0.0.2') }));
  assert.equal(status.code, 'double-nat');
  assert.match(status.message, /forward TCP 41234 on the outer router to 10\.0\.0\.2/i);
});

test('carrier-grade NAT says whether IPv6 still lets friends in', () => {
  const without = mappingVerdict(facts({ v4: v4('100.64.3.4') }));
  assert.equal(without.code, 'cgnat');
  assert.doesNotMatch(without.message, /IPv6/);
  const withV6 = mappingVerdict(facts({ v4: v4('100.64.3.4'), v6 }));
  assert.equal(withV6.code, 'cgnat');
  assert.match(withV6.message, /IPv6 can still join: \[2001:db8::20\]:41234/);
  assert.deepEqual(withV6.ipv6, { address: '2001:db8::20', port: 41234, method: 'pcp', leaseSeconds: 3600 });
});

test('no router at all is told that friends must be on this network', () => {
  const status = mappingVerdict(facts({ gateway: undefined, internalAddress: undefined }));
  assert.equal(status.code, 'no-gateway');
  assert.match(status.message, /friends must be on this network/);
});

test('a router that answers nothing, a refusal and an error each name where to forward', () => {
  const silent = mappingVerdict(facts({ searching: true }));
  assert.equal(silent.code, 'no-router');
  assert.equal(silent.searching, true);
  assert.match(silent.message, /forward TCP 41234 to 192\.168\.1\.20 on your router/);
  const refused = mappingVerdict(
    facts({
      failures: [
        { kind: 'no-gateway', reason: 'x' },
        { kind: 'refused', reason: 'UPnP error 718' },
      ],
    }),
  );
  assert.equal(refused.code, 'refused');
  assert.match(refused.message, /forward TCP 41234 to 192\.168\.1\.20 on your router \(192\.168\.1\.1\)/);
  const error = mappingVerdict(facts({ failures: [{ kind: 'error', reason: 'the description is on another host' }] }));
  assert.equal(error.code, 'error');
  assert.match(error.message, /forward TCP 41234 to 192\.168\.1\.20/);
});

test('a refusal after the router said it is behind carrier-grade NAT is told as carrier-grade NAT', () => {
  const status = mappingVerdict(facts({ failures: [{ kind: 'refused', reason: 'UPnP error 501', externalAddress: '100.64.0.2' }] }));
  assert.equal(status.code, 'cgnat');
  assert.equal(status.externalAddress, '100.64.0.2');
});

test('a forward whose internet address is not known yet is still being found out, not refused', () => {
  const status = mappingVerdict(facts({ v4: v4('') }));
  assert.equal(status.code, 'starting');
  assert.equal(status.searching, true);
});
