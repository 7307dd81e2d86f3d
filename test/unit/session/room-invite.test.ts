import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseInvite } from '../../../src-main/link/invite';
import { PortholeError } from '../../../src-main/wire/errors';
import { HostInvite, buildRoomInvite, parsePublicAddress } from '../../../src-main/session/room-invite';
import type { PortMappingStatus } from '../../../src-main/nat/port-mapping-status';

const fingerprint = randomBytes(32).toString('base64url');
const secret = randomBytes(32).toString('base64url');
const parts = { lan: ['192.168.1.20', '2001:db8::20', 'fd00::20'], port: 41234, fingerprint, secret };

test('one invite carries every address: internet ones first, then the LAN ones; a pinholed LAN address counts once', () => {
  const mapping: PortMappingStatus = {
    code: 'mapped',
    message: '',
    internalPort: 41234,
    externalAddress: '198.51.100.7',
    externalPort: 50000,
    ipv6: { address: '2001:db8::20', port: 41234, method: 'pcp', leaseSeconds: 3600 },
  };
  const invite = buildRoomInvite({ ...parts, manual: [{ host: 'home.example.org', port: 41234 }], mapping });
  assert.deepEqual(
    invite.addresses.map((a) => [a.host, a.port, a.kind, a.internet]),
    [
      ['198.51.100.7', 50000, 'public', true],
      ['2001:db8::20', 41234, 'ipv6', true],
      ['home.example.org', 41234, 'manual', true],
      ['192.168.1.20', 41234, 'lan', false],
      ['fd00::20', 41234, 'lan', false],
    ],
  );
  const parsed = parseInvite(invite.invite);
  assert.deepEqual(
    parsed.addresses,
    invite.addresses.map(({ host, port }) => ({ host, port })),
  );
  assert.equal(parsed.fingerprint, fingerprint);
  assert.ok(invite.invite.length < 300, `${invite.invite.length} characters`);
});

test('a double NAT or carrier-grade NAT address is not offered to friends', () => {
  for (const code of ['double-nat', 'cgnat'] as const) {
    const invite = buildRoomInvite({
      ...parts,
      mapping: { code, message: '', internalPort: 41234, externalAddress: '10.0.0.2', externalPort: 41234 },
    });
    assert.ok(
      invite.addresses.every((a) => a.kind === 'lan'),
      code,
    );
  }
});

test('the invite keeps at most eight addresses, the least useful LAN ones go', () => {
  const lan = Array.from({ length: 12 }, (_, i) => `10.0.0.${i + 1}`);
  const invite = buildRoomInvite({ ...parts, lan, manual: [{ host: '203.0.113.9', port: 1 }] });
  assert.equal(invite.addresses.length, 8);
  assert.equal(invite.addresses[0]!.kind, 'manual');
  assert.equal(invite.addresses[7]!.host, '10.0.0.7');
});

test('HostInvite tells its listeners when, and only when, the addresses change', () => {
  const host = new HostInvite(parts);
  const seen: string[] = [];
  host.on('changed', (invite) => seen.push(invite.invite));
  const starting: PortMappingStatus = { code: 'starting', message: 'a', internalPort: 41234 };
  host.mappingChanged(starting);
  host.mappingChanged({ ...starting, message: 'b' });
  assert.deepEqual(seen, [], 'no address changed');
  host.mappingChanged({ code: 'mapped', message: '', internalPort: 41234, externalAddress: '198.51.100.7', externalPort: 41234 });
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /^porthole:\/\/198\.51\.100\.7:41234,/);
  host.mappingChanged({ code: 'stopped', message: '', internalPort: 41234 });
  assert.equal(seen.length, 2);
  assert.doesNotMatch(seen[1]!, /198\.51\.100\.7/);
});

test('addresses forwarded by hand: forms people write are read, mistakes are refused with a sentence', () => {
  assert.deepEqual(parsePublicAddress(' 203.0.113.7 ', 41234), { host: '203.0.113.7', port: 41234 });
  assert.deepEqual(parsePublicAddress('203.0.113.7:5000', 41234), { host: '203.0.113.7', port: 5000 });
  assert.deepEqual(parsePublicAddress('[2001:DB8::7]:5000', 41234), { host: '2001:db8::7', port: 5000 });
  assert.deepEqual(parsePublicAddress('2001:db8::7', 41234), { host: '2001:db8::7', port: 41234 });
  assert.deepEqual(parsePublicAddress('Home.Example.org:443', 41234), { host: 'home.example.org', port: 443 });
  for (const bad of ['', '203.0.113.7:0', '203.0.113.7:70000', '300.1.2.3', 'not an address', '[203.0.113.7]:80', 'a:b:c']) {
    assert.throws(
      () => parsePublicAddress(bad, 41234),
      (e: unknown) => e instanceof PortholeError && e.code === 'invalid-request' && /Write it like/.test(e.message),
      bad,
    );
  }
});

test('one IPv6 address spelled two ways is one entry, so the list matches the invite text', () => {
  const mapping: PortMappingStatus = {
    code: 'cgnat',
    message: '',
    internalPort: 41234,
    ipv6: { address: '2001:DB8:0:0::20', port: 41234, method: 'pcp', leaseSeconds: 3600 },
  };
  const invite = buildRoomInvite({ ...parts, mapping });
  assert.deepEqual(
    invite.addresses.map((a) => [a.kind, a.internet]),
    [
      ['ipv6', true],
      ['lan', false],
      ['lan', false],
    ],
  );
  assert.equal(parseInvite(invite.invite).addresses.length, invite.addresses.length);
});
