// PCP (RFC 6887) MAP requests and replies: encode and check, pure. Replies are untrusted LAN
// input, so the decoder never throws and treats anything unexpected as "not an answer".
import { addressToBytes, bytesToAddress } from './ip-bytes';

export const PCP_PORT = 5351;
export const PCP_VERSION = 2;
export const PCP_OPCODE_MAP = 1;
export const PROTOCOL_TCP = 6;
export const PCP_NONCE_BYTES = 12;
const HEADER_BYTES = 24;
const MAP_PAYLOAD_BYTES = 36;
const MAP_MESSAGE_BYTES = HEADER_BYTES + MAP_PAYLOAD_BYTES;
/** RFC 6887 §7: no PCP message is longer than this. */
export const PCP_MAX_MESSAGE_BYTES = 1100;

/** PCP result codes (RFC 6887 §7.4). */
export const PcpResult = {
  SUCCESS: 0,
  UNSUPP_VERSION: 1,
  NOT_AUTHORIZED: 2,
  MALFORMED_REQUEST: 3,
  UNSUPP_OPCODE: 4,
  UNSUPP_OPTION: 5,
  MALFORMED_OPTION: 6,
  NETWORK_FAILURE: 7,
  NO_RESOURCES: 8,
  UNSUPP_PROTOCOL: 9,
  USER_EX_QUOTA: 10,
  CANNOT_PROVIDE_EXTERNAL: 11,
  ADDRESS_MISMATCH: 12,
  EXCESSIVE_REMOTE_PEERS: 13,
} as const;

const REASONS: Record<number, string> = {
  1: 'the router does not speak this protocol version',
  2: 'the router does not allow it (not authorized)',
  3: 'the router found the request malformed',
  4: 'the router does not support port mapping requests',
  5: 'the router does not support an option that was sent',
  6: 'the router found an option malformed',
  7: 'the router has a network failure (it may have no internet address yet)',
  8: 'the router has no mappings left',
  9: 'the router does not map TCP',
  10: 'this machine used up its mapping quota on the router',
  11: 'the router cannot provide an external address or port',
  12: 'another NAT between this machine and the router changed its address',
  13: 'the router cannot track that many remote peers',
};

/** Codes meaning "this router will not do it" rather than "something broke, try again later". */
export const PCP_REFUSALS: ReadonlySet<number> = new Set([2, 4, 8, 9, 10, 11, 12]);

/** A person-readable reason for a PCP result code. */
export function pcpResultReason(code: number): string {
  return REASONS[code] ?? `the router answered with unknown result code ${code}`;
}

export interface PcpMapRequest {
  /** Our own address as the server sees it (the PCP client IP); v4 or v6. */
  clientAddress: string;
  lifetime: number;
  nonce: Buffer;
  internalPort: number;
  suggestedExternalPort: number;
  /** '0.0.0.0' or '::' when we have no preference. */
  suggestedExternalAddress: string;
}

/** Encodes a MAP request for TCP (60 bytes, no options). */
export function encodePcpMap(request: PcpMapRequest): Buffer {
  if (request.nonce.length !== PCP_NONCE_BYTES) throw new Error('a PCP nonce is 12 bytes');
  const message = Buffer.alloc(MAP_MESSAGE_BYTES);
  message[0] = PCP_VERSION;
  message[1] = PCP_OPCODE_MAP; // R bit clear: a request
  message.writeUInt32BE(request.lifetime >>> 0, 4);
  addressToBytes(request.clientAddress).copy(message, 8);
  request.nonce.copy(message, HEADER_BYTES);
  message[HEADER_BYTES + 12] = PROTOCOL_TCP;
  message.writeUInt16BE(request.internalPort, HEADER_BYTES + 16);
  message.writeUInt16BE(request.suggestedExternalPort, HEADER_BYTES + 18);
  addressToBytes(request.suggestedExternalAddress).copy(message, HEADER_BYTES + 20);
  return message;
}

/** What a datagram from the PCP server means for one MAP request. */
export type PcpReply =
  /** Not an answer to this request (wrong length, nonce, opcode…): keep waiting. */
  | { kind: 'ignored'; reason: string }
  /** The server speaks another version; version 0 means a NAT-PMP-only server. */
  | { kind: 'unsupported-version'; version: number }
  | { kind: 'failure'; resultCode: number; lifetime: number }
  | { kind: 'mapped'; lifetime: number; epoch: number; externalPort: number; externalAddress: string };

// Errors about the request as a whole, which a server may send without the MAP payload.
const WHOLE_REQUEST_ERRORS = new Set<number>([PcpResult.MALFORMED_REQUEST, PcpResult.UNSUPP_OPCODE]);

/** Checks a reply against the request it should answer (RFC 6887 §8.3 and §11.5). */
export function decodePcpMapReply(message: Buffer, expected: { nonce: Buffer; internalPort: number }): PcpReply {
  if (message.length < 4) return { kind: 'ignored', reason: 'a truncated reply' };
  if (message.length > PCP_MAX_MESSAGE_BYTES) return { kind: 'ignored', reason: 'an oversized reply' };
  const version = message[0] ?? 0;
  const isResponse = ((message[1] ?? 0) & 0x80) !== 0;
  if (!isResponse) return { kind: 'ignored', reason: 'a request instead of a reply' };
  if (version === 0) {
    // RFC 6887 §9: a NAT-PMP server answers with its own 8-byte format: opcode 128 + ours, result 1.
    return message.length >= 8 &&
      message.length <= 16 &&
      (message[1] === 0x80 + PCP_OPCODE_MAP || message[1] === 0x80) &&
      message.readUInt16BE(2) === 1
      ? { kind: 'unsupported-version', version: 0 }
      : { kind: 'ignored', reason: 'a NAT-PMP reply that is not "unsupported version"' };
  }
  if (message.length < HEADER_BYTES || message.length % 4 !== 0) return { kind: 'ignored', reason: 'a truncated reply' };
  if (((message[1] ?? 0) & 0x7f) !== PCP_OPCODE_MAP) return { kind: 'ignored', reason: 'a reply to another opcode' };
  // We send the highest version there is: only an older one (1, the drafts') can say it is unsupported.
  if (version !== PCP_VERSION) {
    return version === 1 && message[3] === PcpResult.UNSUPP_VERSION
      ? { kind: 'unsupported-version', version }
      : { kind: 'ignored', reason: `a reply of version ${version}` };
  }
  const resultCode = message[3] ?? 0;
  const lifetime = message.readUInt32BE(4);
  // A server answers "unsupported version" with its own, older version: version 2 here is nonsense.
  if (resultCode === PcpResult.UNSUPP_VERSION) return { kind: 'ignored', reason: 'a version-2 reply calling version 2 unsupported' };
  if (message.length < MAP_MESSAGE_BYTES) {
    return resultCode !== PcpResult.SUCCESS && WHOLE_REQUEST_ERRORS.has(resultCode)
      ? { kind: 'failure', resultCode, lifetime }
      : { kind: 'ignored', reason: 'a reply without its MAP payload' };
  }
  const payload = message.subarray(HEADER_BYTES, MAP_MESSAGE_BYTES);
  if (!payload.subarray(0, PCP_NONCE_BYTES).equals(expected.nonce))
    return { kind: 'ignored', reason: 'a reply with another mapping nonce' };
  if (payload[12] !== PROTOCOL_TCP) return { kind: 'ignored', reason: 'a reply for another protocol' };
  if (payload.readUInt16BE(16) !== expected.internalPort) return { kind: 'ignored', reason: 'a reply for another internal port' };
  if (resultCode !== PcpResult.SUCCESS) return { kind: 'failure', resultCode, lifetime };
  return {
    kind: 'mapped',
    lifetime,
    epoch: message.readUInt32BE(8),
    externalPort: payload.readUInt16BE(18),
    externalAddress: bytesToAddress(Buffer.from(payload.subarray(20, 36))),
  };
}
