// The first bytes of a session connection: the relay's Response to our JoinSessionRequest, and
// the other side's bytes. strelaysrv (1.19) starts copying between the two sides as soon as the
// second one is added and writes that side's Response from another goroutine, so the other side's
// first bytes (a guest's TLS ClientHello) can come BEFORE our success Response as well as after
// it (measured: about 1 % of sessions for a host that joins 50 ms after the guest). Each write of
// the relay is whole, so the stream is [peer bytes][28-byte success Response][peer bytes].
import {
  HEADER_BYTES,
  MAX_PAYLOAD_BYTES,
  RESPONSE_CODES,
  decodeRelayPayload,
  encodeRelayMessage,
  type RelayMessage,
} from './relay-messages';

/** The relay's success Response, byte for byte as it writes it (28 bytes). */
export const SUCCESS_RESPONSE = encodeRelayMessage({ type: 'response', code: RESPONSE_CODES.success, message: 'success' });
/** How many of the other side's bytes may come before our Response before we give up on it. */
export const MAX_EARLY_PEER_BYTES = 64 * 1024;

const MAGIC = SUCCESS_RESPONSE.subarray(0, 4);

export type SessionStart =
  | { kind: 'need-more' }
  /** Joined: `peerBytes` are the other side's first bytes (before and after the Response), in order. */
  | { kind: 'joined'; peerBytes: Buffer }
  /** The relay answered something other than success (a refusal, RelayFull, …). */
  | { kind: 'answered'; message: RelayMessage }
  | { kind: 'error'; error: string };

/** What the bytes received so far on a session connection say. Never throws. */
export function readSessionStart(received: Buffer): SessionStart {
  if (startsLikeMagic(received)) {
    if (received.length < HEADER_BYTES) return { kind: 'need-more' };
    const type = received.readInt32BE(4);
    const length = received.readInt32BE(8);
    if (length < 0 || length > MAX_PAYLOAD_BYTES)
      return { kind: 'error', error: `a message of ${length} bytes (at most ${MAX_PAYLOAD_BYTES})` };
    if (received.length < HEADER_BYTES + length) return { kind: 'need-more' };
    const decoded = decodeRelayPayload(type, received.subarray(HEADER_BYTES, HEADER_BYTES + length));
    if (!decoded.ok) return { kind: 'error', error: decoded.error };
    const { message } = decoded;
    if (message.type === 'response' && message.code === RESPONSE_CODES.success) {
      return { kind: 'joined', peerBytes: received.subarray(HEADER_BYTES + length) };
    }
    return { kind: 'answered', message };
  }
  // The other side spoke first: our Response is somewhere after its bytes.
  const at = received.indexOf(SUCCESS_RESPONSE);
  if (at >= 0) {
    return { kind: 'joined', peerBytes: Buffer.concat([received.subarray(0, at), received.subarray(at + SUCCESS_RESPONSE.length)]) };
  }
  if (received.length > MAX_EARLY_PEER_BYTES + SUCCESS_RESPONSE.length) {
    return { kind: 'error', error: `no answer to the session join in the first ${received.length} bytes` };
  }
  return { kind: 'need-more' };
}

function startsLikeMagic(received: Buffer): boolean {
  const seen = received.subarray(0, 4);
  return seen.length > 0 && seen.equals(MAGIC.subarray(0, seen.length));
}
