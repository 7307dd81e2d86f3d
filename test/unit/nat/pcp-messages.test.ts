// PCP and NAT-PMP wire formats: what we send, and every kind of reply a LAN device could send back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { addressToBytes, bytesToAddress, sameAddress } from '../../../src-main/nat/ip-bytes';
import { PCP_REFUSALS, decodePcpMapReply, encodePcpMap, pcpResultReason } from '../../../src-main/nat/pcp-messages';
import { decodeNatPmpReply, encodeNatPmpExternalAddress, encodeNatPmpMap } from '../../../src-main/nat/natpmp-messages';
import { retransmitDelays } from '../../../src-main/nat/udp-exchange';

const nonce = Buffer.from('00112233445566778899aabb', 'hex');

/** A well-formed MAP success reply, as miniupnpd sends it, to adjust per case. */
function reply(
  o: { result?: number; lifetime?: number; nonce?: Buffer; port?: number; external?: string; version?: number; opcode?: number } = {},
): Buffer {
  const b = Buffer.alloc(60);
  b[0] = o.version ?? 2;
  b[1] = 0x80 | (o.opcode ?? 1);
  b[3] = o.result ?? 0;
  b.writeUInt32BE(o.lifetime ?? 600, 4);
  b.writeUInt32BE(1234, 8);
  (o.nonce ?? nonce).copy(b, 24);
  b[36] = 6;
  b.writeUInt16BE(o.port ?? 4000, 40);
  b.writeUInt16BE(4000, 42);
  addressToBytes(o.external ?? '203.0.113.2').copy(b, 44);
  return b;
}

describe('IP address bytes', () => {
  it('round-trips IPv4 (as IPv4-mapped) and IPv6, zones ignored', () => {
    assert.equal(addressToBytes('192.168.77.10').toString('hex'), '00000000000000000000ffffc0a84d0a');
    assert.equal(bytesToAddress(addressToBytes('192.168.77.10')), '192.168.77.10');
    assert.equal(addressToBytes('2001:db8:77::10').toString('hex'), '20010db8007700000000000000000010');
    for (const a of ['2001:db8:77::10', '::', '::1', 'fe80::1', '2001:db8::1:0:0:1', '2001:db8:0:1:1:1:1:1', '1:2:3:4:5:6:7:8']) {
      assert.equal(bytesToAddress(addressToBytes(a)), a);
    }
    assert.equal(bytesToAddress(addressToBytes('fe80::1%lan0')), 'fe80::1');
    assert.equal(bytesToAddress(addressToBytes('::ffff:203.0.113.2')), '203.0.113.2');
    assert.ok(sameAddress('fe80::1%lan0', 'FE80:0::1'));
    assert.equal(sameAddress('nonsense', '::'), false);
    assert.throws(() => addressToBytes('evil.example'));
  });
});

describe('PCP MAP', () => {
  it('encodes a 60-byte version-2 MAP request for TCP', () => {
    const m = encodePcpMap({
      clientAddress: '192.168.77.10',
      lifetime: 600,
      nonce,
      internalPort: 4000,
      suggestedExternalPort: 4001,
      suggestedExternalAddress: '0.0.0.0',
    });
    assert.equal(m.length, 60);
    assert.equal(m[0], 2);
    assert.equal(m[1], 1, 'opcode MAP, R bit clear');
    assert.equal(m.readUInt32BE(4), 600);
    assert.equal(bytesToAddress(m.subarray(8, 24)), '192.168.77.10');
    assert.ok(m.subarray(24, 36).equals(nonce));
    assert.equal(m[36], 6);
    assert.equal(m.readUInt16BE(40), 4000);
    assert.equal(m.readUInt16BE(42), 4001);
    assert.equal(m.subarray(44, 60).toString('hex'), '00000000000000000000ffff00000000');
    assert.throws(() =>
      encodePcpMap({
        clientAddress: '::1',
        lifetime: 1,
        nonce: Buffer.alloc(8),
        internalPort: 1,
        suggestedExternalPort: 0,
        suggestedExternalAddress: '::',
      }),
    );
  });

  it('reads a success reply', () => {
    assert.deepEqual(decodePcpMapReply(reply(), { nonce, internalPort: 4000 }), {
      kind: 'mapped',
      lifetime: 600,
      epoch: 1234,
      externalPort: 4000,
      externalAddress: '203.0.113.2',
    });
    const v6 = decodePcpMapReply(reply({ external: '2001:db8:77::10' }), { nonce, internalPort: 4000 });
    assert.equal(v6.kind === 'mapped' && v6.externalAddress, '2001:db8:77::10');
  });

  it('reads result codes as failures, and knows which are refusals', () => {
    assert.deepEqual(decodePcpMapReply(reply({ result: 2, lifetime: 30 }), { nonce, internalPort: 4000 }), {
      kind: 'failure',
      resultCode: 2,
      lifetime: 30,
    });
    assert.ok(PCP_REFUSALS.has(2) && PCP_REFUSALS.has(11) && !PCP_REFUSALS.has(7));
    assert.match(pcpResultReason(8), /no mappings left/);
    assert.match(pcpResultReason(200), /unknown result code 200/);
  });

  it('recognises a NAT-PMP-only server and a server of another PCP version', () => {
    const natPmp = Buffer.from([0, 0x81, 0, 1, 0, 0, 0, 99]);
    assert.deepEqual(decodePcpMapReply(natPmp, { nonce, internalPort: 4000 }), { kind: 'unsupported-version', version: 0 });
    assert.deepEqual(decodePcpMapReply(reply({ version: 1, result: 1 }).subarray(0, 24), { nonce, internalPort: 4000 }), {
      kind: 'unsupported-version',
      version: 1,
    });
    assert.deepEqual(decodePcpMapReply(reply({ result: 4 }).subarray(0, 24), { nonce, internalPort: 4000 }), {
      kind: 'failure',
      resultCode: 4,
      lifetime: 600,
    });
  });

  it('ignores replies that do not answer this request, whatever is in them', () => {
    const cases: Array<[string, Buffer]> = [
      ['empty', Buffer.alloc(0)],
      ['three bytes', Buffer.from([2, 0x81, 0])],
      ['header only', reply().subarray(0, 24)],
      ['truncated payload', reply().subarray(0, 56)],
      ['not a multiple of four', Buffer.concat([reply(), Buffer.from([0])])],
      ['huge', Buffer.concat([reply(), Buffer.alloc(65_000)])],
      ['a request', Buffer.from(reply().map((b, i) => (i === 1 ? 1 : b)))],
      ['another opcode', reply({ opcode: 2 })],
      ['another nonce', reply({ nonce: randomBytes(12) })],
      ['another internal port', reply({ port: 4001 })],
      ['unknown version', reply({ version: 9 })],
      ['a newer version "unsupported"', reply({ version: 3, result: 1 })],
      ['version 2 calling version 2 unsupported', reply({ result: 1 })],
      ['a 4-byte "unsupported version"', Buffer.from([1, 0x81, 0, 1])],
      ['NAT-PMP "unsupported" for another opcode', Buffer.from([0, 0x82, 0, 1, 0, 0, 0, 9])],
      ['NAT-PMP "unsupported", oversized', Buffer.concat([Buffer.from([0, 0x81, 0, 1, 0, 0, 0, 9]), Buffer.alloc(60)])],
      ['NAT-PMP success to a PCP request', Buffer.from([0, 0x81, 0, 0, 0, 0, 0, 1])],
      ['NAT-PMP request', Buffer.from([0, 0])],
    ];
    for (const [name, message] of cases) {
      assert.equal(decodePcpMapReply(message, { nonce, internalPort: 4000 }).kind, 'ignored', name);
    }
  });

  it('never throws on random bytes', () => {
    for (let i = 0; i < 5000; i++) {
      const message = randomBytes(Math.floor(Math.random() * 120));
      if (i % 3 === 0 && message.length > 1) message[0] = 2;
      if (i % 5 === 0 && message.length > 2) message[1] = 0x81;
      const decoded = decodePcpMapReply(message, { nonce, internalPort: 4000 });
      assert.ok(['ignored', 'unsupported-version', 'failure', 'mapped'].includes(decoded.kind));
    }
  });
});

describe('NAT-PMP', () => {
  it('encodes the external-address and mapping requests', () => {
    assert.deepEqual([...encodeNatPmpExternalAddress()], [0, 0]);
    assert.equal(
      encodeNatPmpMap({ internalPort: 4000, suggestedExternalPort: 4000, lifetime: 600 }).toString('hex'),
      '000200000fa00fa000000258',
    );
  });

  it('reads mapping and address replies, and failures in PCP numbering', () => {
    const mapped = Buffer.from('0082000000000063' + '0fa00fa100000258', 'hex');
    assert.deepEqual(decodeNatPmpReply(mapped, { opcode: 2, internalPort: 4000 }), {
      kind: 'mapped',
      externalPort: 4001,
      lifetime: 600,
      epoch: 99,
    });
    assert.deepEqual(decodeNatPmpReply(Buffer.from('0080000000000063cb007102', 'hex'), { opcode: 0 }), {
      kind: 'external-address',
      address: '203.0.113.2',
      epoch: 99,
    });
    assert.deepEqual(decodeNatPmpReply(Buffer.from('0082000300000063', 'hex'), { opcode: 2 }), {
      kind: 'failure',
      resultCode: 7,
      natPmpCode: 3,
    });
  });

  it('ignores what does not answer the request', () => {
    const cases: Array<[string, Buffer, number]> = [
      ['short', Buffer.from([0, 0x82, 0]), 2],
      ['PCP reply', reply(), 2],
      ['another opcode', Buffer.from('0081000000000063cb007102', 'hex'), 2],
      ['truncated mapping', Buffer.from('00820000000000630fa0', 'hex'), 2],
      ['another internal port', Buffer.from('00820000000000630fa10fa100000258', 'hex'), 2],
      ['truncated address', Buffer.from('0080000000000063cb', 'hex'), 0],
      ['huge', Buffer.alloc(5000), 2],
    ];
    for (const [name, message, opcode] of cases) {
      assert.equal(decodeNatPmpReply(message, { opcode, internalPort: 4000 }).kind, 'ignored', name);
    }
    for (let i = 0; i < 2000; i++) decodeNatPmpReply(randomBytes(Math.floor(Math.random() * 40)), { opcode: 2, internalPort: 4000 });
  });
});

describe('retransmission', () => {
  it('PCP: about 3 s, then doubling, each within ±10 %', () => {
    const next = retransmitDelays('pcp');
    let previous = next() ?? 0;
    assert.ok(previous >= 2700 && previous <= 3300, String(previous));
    for (let i = 0; i < 12; i++) {
      const wait = next() ?? 0;
      assert.ok(
        wait >= 0.9 * Math.min(2 * previous, 1_024_000) && wait <= 1.1 * Math.min(2 * previous, 1_024_000),
        `${wait} after ${previous}`,
      );
      previous = wait;
    }
  });

  it('NAT-PMP: 250 ms doubling, nine sends in all', () => {
    const next = retransmitDelays('nat-pmp');
    const waits: Array<number | undefined> = Array.from({ length: 9 }, () => next());
    assert.deepEqual(waits, [250, 500, 1000, 2000, 4000, 8000, 16000, 32000, undefined]);
  });
});
