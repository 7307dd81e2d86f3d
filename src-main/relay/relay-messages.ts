// Syncthing relay protocol v1 messages: a 12-byte header (magic 0x9E79BC40, int32 type, int32
// payload length ≤ 1024) and an XDR payload. XDR: `opaque<>` and `string<>` are a uint32 length,
// the bytes and zero padding to a multiple of 4; uint16 and bool take 4 bytes each.
// Decoding never throws: untrusted bytes become a message or a sentence saying what was wrong.

export const RELAY_MAGIC = 0x9e79bc40;
export const HEADER_BYTES = 12;
export const MAX_PAYLOAD_BYTES = 1024;
/** Ids, session keys and addresses are at most 32 bytes in the protocol. */
const MAX_OPAQUE_BYTES = 32;

export const MESSAGE_TYPES = {
  ping: 0,
  pong: 1,
  'join-relay-request': 2,
  'join-session-request': 3,
  response: 4,
  'connect-request': 5,
  'session-invitation': 6,
  'relay-full': 7,
} as const;

export type RelayMessage =
  | { type: 'ping' }
  | { type: 'pong' }
  /** The token is for relays that ask for one; strelaysrv 1.19 takes an empty payload. */
  | { type: 'join-relay-request'; token?: string }
  | { type: 'join-session-request'; key: Buffer }
  | { type: 'response'; code: number; message: string }
  | { type: 'connect-request'; id: Buffer }
  | { type: 'session-invitation'; from: Buffer; key: Buffer; address: Buffer; port: number; serverSocket: boolean }
  | { type: 'relay-full' };

export const RESPONSE_CODES = { success: 0, notFound: 1, alreadyConnected: 2, wrongToken: 3, unexpectedMessage: 100 } as const;

/** The header and payload of one message, ready to write. */
export function encodeRelayMessage(message: RelayMessage): Buffer {
  const payload = encodePayload(message);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(RELAY_MAGIC, 0);
  header.writeInt32BE(MESSAGE_TYPES[message.type], 4);
  header.writeInt32BE(payload.length, 8);
  return Buffer.concat([header, payload]);
}

function encodePayload(message: RelayMessage): Buffer {
  switch (message.type) {
    case 'ping':
    case 'pong':
    case 'relay-full':
      return Buffer.alloc(0);
    case 'join-relay-request':
      return message.token === undefined ? Buffer.alloc(0) : opaque(Buffer.from(message.token, 'utf8'));
    case 'join-session-request':
      return opaque(message.key);
    case 'connect-request':
      return opaque(message.id);
    case 'response':
      return Buffer.concat([uint32(message.code >>> 0), opaque(Buffer.from(message.message, 'utf8'))]);
    case 'session-invitation':
      return Buffer.concat([
        opaque(message.from),
        opaque(message.key),
        opaque(message.address),
        uint32(message.port & 0xffff),
        uint32(message.serverSocket ? 1 : 0),
      ]);
  }
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

function opaque(bytes: Buffer): Buffer {
  const padding = (4 - (bytes.length % 4)) % 4;
  return Buffer.concat([uint32(bytes.length), bytes, Buffer.alloc(padding)]);
}

export type DecodeResult = { ok: true; message: RelayMessage } | { ok: false; error: string };

/** One payload of a known length and type, as a message or the reason it is not one. */
export function decodeRelayPayload(type: number, payload: Buffer): DecodeResult {
  const reader = new XdrReader(payload);
  let message: RelayMessage;
  switch (type) {
    case MESSAGE_TYPES.ping:
      message = { type: 'ping' };
      break;
    case MESSAGE_TYPES.pong:
      message = { type: 'pong' };
      break;
    case MESSAGE_TYPES['relay-full']:
      message = { type: 'relay-full' };
      break;
    case MESSAGE_TYPES['join-relay-request']:
      // Older clients send no token at all.
      message =
        payload.length === 0 ? { type: 'join-relay-request' } : { type: 'join-relay-request', token: reader.text(MAX_PAYLOAD_BYTES) };
      break;
    case MESSAGE_TYPES['join-session-request']:
      message = { type: 'join-session-request', key: reader.opaque(MAX_OPAQUE_BYTES) };
      break;
    case MESSAGE_TYPES['connect-request']:
      message = { type: 'connect-request', id: reader.opaque(MAX_OPAQUE_BYTES) };
      break;
    case MESSAGE_TYPES.response:
      message = { type: 'response', code: reader.int32(), message: reader.text(MAX_PAYLOAD_BYTES) };
      break;
    case MESSAGE_TYPES['session-invitation']:
      message = {
        type: 'session-invitation',
        from: reader.opaque(MAX_OPAQUE_BYTES),
        key: reader.opaque(MAX_OPAQUE_BYTES),
        address: reader.opaque(MAX_OPAQUE_BYTES),
        port: reader.uint16(),
        serverSocket: reader.bool(),
      };
      break;
    default:
      return { ok: false, error: `unknown message type ${type}` };
  }
  return reader.error === undefined ? { ok: true, message } : { ok: false, error: `${nameOf(type)}: ${reader.error}` };
}

function nameOf(type: number): string {
  return Object.entries(MESSAGE_TYPES).find(([, value]) => value === type)?.[0] ?? `type ${type}`;
}

/** Reads XDR values; the first problem is kept in `error` and every later read returns an empty value. */
class XdrReader {
  private at = 0;
  error: string | undefined;
  constructor(private readonly bytes: Buffer) {}

  private take(count: number): Buffer | undefined {
    if (this.error !== undefined) return undefined;
    if (this.at + count > this.bytes.length) {
      this.error = 'the payload ends early';
      return undefined;
    }
    const out = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return out;
  }

  uint32(): number {
    return this.take(4)?.readUInt32BE(0) ?? 0;
  }

  int32(): number {
    return this.take(4)?.readInt32BE(0) ?? 0;
  }

  uint16(): number {
    const value = this.uint32();
    if (value > 0xffff && this.error === undefined) this.error = `a 16-bit field holds ${value}`;
    return value & 0xffff;
  }

  bool(): boolean {
    const value = this.uint32();
    if (value > 1 && this.error === undefined) this.error = `a boolean field holds ${value}`;
    return value === 1;
  }

  opaque(max: number): Buffer {
    const length = this.uint32();
    if (this.error !== undefined) return Buffer.alloc(0);
    if (length > max) {
      this.error = `a field of ${length} bytes is longer than ${max}`;
      return Buffer.alloc(0);
    }
    const bytes = this.take(length);
    this.take((4 - (length % 4)) % 4);
    return bytes === undefined || this.error !== undefined ? Buffer.alloc(0) : Buffer.from(bytes);
  }

  text(max: number): string {
    return this.opaque(max).toString('utf8');
  }
}

export type ReadResult =
  | { kind: 'message'; message: RelayMessage }
  | { kind: 'need-more' }
  /** The stream is not the relay protocol (or is broken); the reader stays in this state. */
  | { kind: 'error'; error: string };

/**
 * Cuts a byte stream into messages. Feed chunks with `push`, take messages with `next` until it
 * says `need-more`. It never throws and never holds more than one partial message (≤ 1036 bytes)
 * beyond the chunk just pushed; a bad magic, type, length or payload is a sticky `error`.
 * `rest()` hands back the bytes after the last message taken.
 */
export class RelayMessageReader {
  private buffered: Buffer = Buffer.alloc(0);
  private failure: string | undefined;

  push(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  next(): ReadResult {
    if (this.failure !== undefined) return { kind: 'error', error: this.failure };
    if (this.buffered.length < HEADER_BYTES) return this.checkPartialMagic();
    const magic = this.buffered.readUInt32BE(0);
    if (magic !== RELAY_MAGIC) return this.fail(`bad magic 0x${magic.toString(16).padStart(8, '0')}, not the relay protocol`);
    const type = this.buffered.readInt32BE(4);
    const length = this.buffered.readInt32BE(8);
    if (length < 0 || length > MAX_PAYLOAD_BYTES) return this.fail(`a message of ${length} bytes (at most ${MAX_PAYLOAD_BYTES})`);
    if (this.buffered.length < HEADER_BYTES + length) return { kind: 'need-more' };
    const payload = this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length);
    this.buffered = this.buffered.subarray(HEADER_BYTES + length);
    const decoded = decodeRelayPayload(type, payload);
    return decoded.ok ? { kind: 'message', message: decoded.message } : this.fail(decoded.error);
  }

  /** The bytes not yet taken as messages; the reader is empty afterwards. */
  rest(): Buffer {
    const out = this.buffered;
    this.buffered = Buffer.alloc(0);
    return out;
  }

  private checkPartialMagic(): ReadResult {
    const magic = Buffer.alloc(4);
    magic.writeUInt32BE(RELAY_MAGIC, 0);
    const seen = this.buffered.subarray(0, 4);
    return seen.equals(magic.subarray(0, seen.length)) ? { kind: 'need-more' } : this.fail('bad magic, not the relay protocol');
  }

  private fail(error: string): ReadResult {
    this.failure = error;
    this.buffered = Buffer.alloc(0);
    return { kind: 'error', error };
  }
}
