// NAT-PMP (RFC 6886) requests and replies, pure: the IPv4-only predecessor of PCP, spoken on the
// same port. Replies are untrusted LAN input: the decoder never throws.
import { PcpResult } from './pcp-messages';

export const NATPMP_OPCODE_EXTERNAL_ADDRESS = 0;
export const NATPMP_OPCODE_MAP_TCP = 2;
const RESPONSE_BIT = 128;
const MAX_REPLY_BYTES = 1100;

/** NAT-PMP result codes in PCP's numbering, so callers handle one set of codes. */
const AS_PCP_RESULT: Record<number, number> = {
  1: PcpResult.UNSUPP_VERSION,
  2: PcpResult.NOT_AUTHORIZED,
  3: PcpResult.NETWORK_FAILURE,
  4: PcpResult.NO_RESOURCES,
  5: PcpResult.UNSUPP_OPCODE,
};

/** "What is your external address?" (2 bytes). */
export function encodeNatPmpExternalAddress(): Buffer {
  return Buffer.from([0, NATPMP_OPCODE_EXTERNAL_ADDRESS]);
}

/** A TCP mapping request; lifetime 0 with suggested port 0 deletes the mapping (12 bytes). */
export function encodeNatPmpMap(r: { internalPort: number; suggestedExternalPort: number; lifetime: number }): Buffer {
  const message = Buffer.alloc(12);
  message[1] = NATPMP_OPCODE_MAP_TCP;
  message.writeUInt16BE(r.internalPort, 4);
  message.writeUInt16BE(r.suggestedExternalPort, 6);
  message.writeUInt32BE(r.lifetime >>> 0, 8);
  return message;
}

export type NatPmpReply =
  | { kind: 'ignored'; reason: string }
  /** resultCode is in PCP's numbering; natPmpCode is what the router sent. */
  | { kind: 'failure'; resultCode: number; natPmpCode: number }
  | { kind: 'external-address'; address: string; epoch: number }
  | { kind: 'mapped'; externalPort: number; lifetime: number; epoch: number };

/** Checks a reply against the request (opcode, and internal port for a mapping). */
export function decodeNatPmpReply(message: Buffer, expected: { opcode: number; internalPort?: number }): NatPmpReply {
  if (message.length < 8) return { kind: 'ignored', reason: 'a truncated reply' };
  if (message.length > MAX_REPLY_BYTES) return { kind: 'ignored', reason: 'an oversized reply' };
  if (message[0] !== 0) return { kind: 'ignored', reason: `a reply of version ${message[0] ?? 0}` };
  if (message[1] !== RESPONSE_BIT + expected.opcode) return { kind: 'ignored', reason: 'a reply to another opcode' };
  const natPmpCode = message.readUInt16BE(2);
  const epoch = message.readUInt32BE(4);
  if (natPmpCode !== 0) return { kind: 'failure', resultCode: AS_PCP_RESULT[natPmpCode] ?? 100 + natPmpCode, natPmpCode };
  if (expected.opcode === NATPMP_OPCODE_EXTERNAL_ADDRESS) {
    if (message.length < 12) return { kind: 'ignored', reason: 'a truncated reply' };
    return { kind: 'external-address', address: [...message.subarray(8, 12)].join('.'), epoch };
  }
  if (message.length < 16) return { kind: 'ignored', reason: 'a truncated reply' };
  if (expected.internalPort !== undefined && message.readUInt16BE(8) !== expected.internalPort) {
    return { kind: 'ignored', reason: 'a reply for another internal port' };
  }
  return { kind: 'mapped', externalPort: message.readUInt16BE(10), lifetime: message.readUInt32BE(12), epoch };
}
