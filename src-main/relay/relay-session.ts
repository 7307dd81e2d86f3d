// The relay's session mode: a plain TCP connection to the address an invitation names, a
// JoinSessionRequest with the invitation's one-time key, and the relay's Response. Every other
// byte is the other side's (some may come before the Response: see session-start.ts): the socket
// is handed on paused, with those bytes put back in front (`unshift`).
import { connect, isIP, type Socket } from 'node:net';
import { cancelledBy, PortholeError } from '../wire/errors';
import { describeNetworkError } from '../link/pinned-connect';
import { relayUnreachable } from './relay-control';
import { readSessionStart } from './session-start';
import { encodeRelayMessage, type RelayMessage } from './relay-messages';
import type { RelayUri } from './relay-uri';

type Invitation = Extract<RelayMessage, { type: 'session-invitation' }>;

/** A Response other than success, as the relay sent it: `responseCode` 2 is the join race. */
export class RelayRefusedError extends PortholeError {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super('relay-refused', message);
  }
}

/** Where to join an invitation's session: its address, or the relay's own when it names none. */
export function sessionAddress(invitation: Invitation, uri: RelayUri): { host: string; port: number } {
  const port = invitation.port === 0 ? uri.port : invitation.port;
  const host = ipText(invitation.address);
  return { host: host === undefined ? uri.host : host, port };
}

/** An address of 4 or 16 bytes as text (IPv4-mapped IPv6 as IPv4); undefined when empty or unspecified. */
function ipText(bytes: Buffer): string | undefined {
  if (bytes.every((byte) => byte === 0)) return undefined;
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return undefined;
  const mapped = bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]));
  if (mapped) return [...bytes.subarray(12)].join('.');
  const groups: string[] = [];
  for (let at = 0; at < 16; at += 2) groups.push(bytes.readUInt16BE(at).toString(16));
  const text = groups.join(':');
  return isIP(text) === 6 ? text : undefined;
}

export interface SessionJoin {
  uri: RelayUri;
  invitation: Invitation;
  timeoutMs: number;
  signal?: AbortSignal;
}

function refusal(message: RelayMessage, target: { host: string; port: number }): PortholeError {
  if (message.type === 'response') {
    return new RelayRefusedError(`The relay refused to join the session (${message.code}: ${message.message}).`, message.code);
  }
  if (message.type === 'relay-full') {
    return new PortholeError('relay-full', 'The relay is full and took no new session. Try again later, or use another relay.');
  }
  return relayUnreachable(target, `it answered the session join with ${message.type}`);
}

/**
 * Joins the session of `invitation`. Resolves with the raw TCP socket, paused, right after the
 * relay's success Response. Rejects with a RelayRefusedError for any other Response ("already
 * connected" when the relay's join race hit), `relay-full`, `relay-unreachable` or `cancelled`;
 * the socket is destroyed then.
 */
export function joinRelaySession(join: SessionJoin): Promise<Socket> {
  const { uri, invitation, signal } = join;
  const target = sessionAddress(invitation, uri);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledBy(signal, 'Joining the relay session was cancelled.'));
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      socket.removeListener('data', onData);
    };
    const fail = (err: PortholeError) => {
      if (settled) return;
      settle();
      socket.on('error', () => {});
      socket.destroy();
      reject(err);
    };
    const onAbort = () => fail(cancelledBy(signal, 'Joining the relay session was cancelled.'));
    const onError = (err: NodeJS.ErrnoException) => fail(relayUnreachable(target, describeNetworkError(err)));
    const onClose = () => fail(relayUnreachable(target, 'it closed the session connection'));
    const timer = setTimeout(() => fail(relayUnreachable(target, 'it did not answer the session join in time')), join.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('connect', () => socket.write(encodeRelayMessage({ type: 'join-session-request', key: invitation.key })));
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const start = readSessionStart(received);
      switch (start.kind) {
        case 'need-more':
          return;
        case 'joined':
          settle();
          socket.pause();
          if (start.peerBytes.length > 0) socket.unshift(start.peerBytes);
          resolve(socket);
          return;
        case 'answered':
          fail(refusal(start.message, target));
          return;
        case 'error':
          fail(relayUnreachable(target, `it sent something that is not the relay protocol: ${start.error}`));
          return;
      }
    };
    socket.on('data', onData);
  });
}
