// PCP MAP (RFC 6887) with a NAT-PMP (RFC 6886) fallback for IPv4, run in the UPnP child: the
// replies come from the LAN and are checked before anything in them is believed.
import { randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { GatewayError } from './gateway-error';
import { defaultGateways } from './default-gateway';
import { exchange } from './udp-exchange';
import { isUnspecified, addressToBytes } from './ip-bytes';
import { PCP_NONCE_BYTES, PCP_PORT, decodePcpMapReply, encodePcpMap, pcpResultReason } from './pcp-messages';
import {
  NATPMP_OPCODE_EXTERNAL_ADDRESS,
  NATPMP_OPCODE_MAP_TCP,
  decodeNatPmpReply,
  encodeNatPmpExternalAddress,
  encodeNatPmpMap,
} from './natpmp-messages';
import type { PcpMapping } from './mapper-messages';

const MAX_LEASE_SECONDS = 604_800;
// The external-address question after a NAT-PMP mapping gets at least this long.
const ADDRESS_QUESTION_MS = 500;

/** The router answered with a result code (PCP's numbering; NAT-PMP's codes are translated). */
export class PcpError extends GatewayError {
  constructor(
    message: string,
    readonly pcpCode: number,
  ) {
    super('upnp', message);
  }
}

export interface PcpMapOptions {
  family: 4 | 6;
  internalAddress: string;
  internalPort: number;
  suggestedExternalPort: number;
  suggestedExternalAddress?: string | undefined;
  leaseSeconds: number;
  /** Hex nonce of the mapping being renewed; a new random one otherwise. */
  nonce?: string | undefined;
  /** The server that holds the mapping (renewal); the default router otherwise. */
  server?: string | undefined;
  /** Renew with the protocol that made the mapping. */
  protocol?: 'pcp' | 'nat-pmp' | undefined;
  timeoutMs: number;
}

export interface PcpUnmapOptions {
  family: 4 | 6;
  internalAddress: string;
  internalPort: number;
  externalPort: number;
  protocol: 'pcp' | 'nat-pmp';
  nonce: string;
  server: string;
  timeoutMs: number;
}

async function routerFor(family: 4 | 6, server: string | undefined): Promise<string> {
  if (server) return server;
  const found = (await defaultGateways())[family === 4 ? 'v4' : 'v6'];
  if (!found) throw new GatewayError('no-gateway', `This machine has no IPv${family} default router to ask.`);
  return found;
}

function unknownAsEmpty(address: string): string {
  try {
    return isUnspecified(addressToBytes(address)) ? '' : address;
  } catch {
    return '';
  }
}

function granted(family: 4 | 6, externalAddress: string, externalPort: number, lifetime: number): void {
  const wrongFamily = externalAddress !== '' && (family === 4 ? !isIPv4(externalAddress) : !isIPv6(externalAddress));
  if (externalPort === 0 || lifetime === 0 || wrongFamily) {
    throw new GatewayError(
      'bad-gateway',
      `The router said yes but granted ${wrongFamily ? `an IPv${family === 4 ? 6 : 4} address` : 'no port or no time'}.`,
    );
  }
}

function pcpRequest(
  o: PcpMapOptions | PcpUnmapOptions,
  nonce: Buffer,
  server: string,
  deadline: number,
  lifetime: number,
  suggestedPort: number,
  suggestedAddress?: string,
) {
  return exchange({
    family: o.family,
    bindAddress: o.internalAddress,
    server,
    port: PCP_PORT,
    schedule: 'pcp',
    deadline,
    message: encodePcpMap({
      clientAddress: o.internalAddress,
      lifetime,
      nonce,
      internalPort: o.internalPort,
      suggestedExternalPort: suggestedPort,
      suggestedExternalAddress: suggestedAddress ?? (o.family === 4 ? '0.0.0.0' : '::'),
    }),
    decode: (m) => {
      const reply = decodePcpMapReply(m, { nonce, internalPort: o.internalPort });
      return reply.kind === 'ignored' ? { ignored: reply.reason } : reply;
    },
  });
}

function natPmpRequest(internalAddress: string, server: string, deadline: number, message: Buffer, opcode: number, internalPort?: number) {
  return exchange({
    family: 4,
    bindAddress: internalAddress,
    server,
    port: PCP_PORT,
    schedule: 'nat-pmp',
    deadline,
    message,
    decode: (m) => {
      const reply = decodeNatPmpReply(m, { opcode, ...(internalPort === undefined ? {} : { internalPort }) });
      return reply.kind === 'ignored' ? { ignored: reply.reason } : reply;
    },
  });
}

async function natPmpMap(o: PcpMapOptions, server: string, nonce: Buffer, deadline: number): Promise<PcpMapping> {
  if (o.family !== 4) throw new PcpError('The router speaks only NAT-PMP, which cannot open IPv6 ports.', 1);
  const message = encodeNatPmpMap({
    internalPort: o.internalPort,
    suggestedExternalPort: o.suggestedExternalPort,
    lifetime: o.leaseSeconds,
  });
  const reply = await natPmpRequest(o.internalAddress, server, deadline, message, NATPMP_OPCODE_MAP_TCP, o.internalPort);
  if (reply.kind === 'failure') throw new PcpError(`NAT-PMP: ${pcpResultReason(reply.resultCode)}.`, reply.resultCode);
  if (reply.kind !== 'mapped') throw new GatewayError('bad-gateway', 'The router answered another NAT-PMP question.');
  granted(4, '', reply.externalPort, reply.lifetime);
  const asked = await natPmpRequest(
    o.internalAddress,
    server,
    Math.max(deadline, Date.now() + ADDRESS_QUESTION_MS),
    encodeNatPmpExternalAddress(),
    NATPMP_OPCODE_EXTERNAL_ADDRESS,
  ).catch(() => undefined);
  return {
    protocol: 'nat-pmp',
    externalAddress: asked?.kind === 'external-address' ? unknownAsEmpty(asked.address) : '',
    externalPort: reply.externalPort,
    leaseSeconds: Math.min(reply.lifetime, MAX_LEASE_SECONDS),
    nonce: nonce.toString('hex'),
    gateway: server,
  };
}

/** Maps a TCP port with PCP; an IPv4 router that speaks only NAT-PMP gets a NAT-PMP request. */
export async function pcpMap(o: PcpMapOptions): Promise<PcpMapping> {
  const deadline = Date.now() + o.timeoutMs;
  const server = await routerFor(o.family, o.server);
  const nonce = o.nonce ? Buffer.from(o.nonce, 'hex') : randomBytes(PCP_NONCE_BYTES);
  if (o.protocol === 'nat-pmp') return natPmpMap(o, server, nonce, deadline);
  const reply = await pcpRequest(o, nonce, server, deadline, o.leaseSeconds, o.suggestedExternalPort, o.suggestedExternalAddress);
  // RFC 6887 §9: a NAT-PMP server (or a draft-PCP one, version 1) answers "unsupported version".
  if (reply.kind === 'unsupported-version') return natPmpMap(o, server, nonce, deadline);
  if (reply.kind === 'failure') throw new PcpError(`PCP: ${pcpResultReason(reply.resultCode)}.`, reply.resultCode);
  const externalAddress = unknownAsEmpty(reply.externalAddress);
  granted(o.family, externalAddress, reply.externalPort, reply.lifetime);
  return {
    protocol: 'pcp',
    externalAddress,
    externalPort: reply.externalPort,
    leaseSeconds: Math.min(reply.lifetime, MAX_LEASE_SECONDS),
    nonce: nonce.toString('hex'),
    gateway: server,
  };
}

/** Deletes a mapping: lifetime 0, with the nonce (PCP) that made it. */
export async function pcpUnmap(o: PcpUnmapOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  if (o.protocol === 'nat-pmp') {
    const reply = await natPmpRequest(
      o.internalAddress,
      o.server,
      deadline,
      encodeNatPmpMap({ internalPort: o.internalPort, suggestedExternalPort: 0, lifetime: 0 }),
      NATPMP_OPCODE_MAP_TCP,
      o.internalPort,
    );
    if (reply.kind === 'failure') throw new PcpError(`NAT-PMP: ${pcpResultReason(reply.resultCode)}.`, reply.resultCode);
    return;
  }
  const reply = await pcpRequest(o, Buffer.from(o.nonce, 'hex'), o.server, deadline, 0, o.externalPort);
  if (reply.kind === 'failure') throw new PcpError(`PCP: ${pcpResultReason(reply.resultCode)}.`, reply.resultCode);
  if (reply.kind === 'unsupported-version') throw new PcpError('The router no longer speaks PCP.', 1);
}
