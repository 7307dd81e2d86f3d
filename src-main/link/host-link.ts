import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { PortholeError, cancelledBy, type ErrorCode } from '../wire/errors';
import { decodeTextFrame } from '../wire/frame-decoder';
import { removedError } from '../wire/host-close-reasons';
import { connectToAnyAddress } from './happy-eyeballs';
import { inviteAddresses, type Invite } from './invite';
import { WS_RECEIVER_LIMITS } from '../wire/ws-limits';
import type { Vocabulary } from '../wire/message-registry';
import { CloseCode, LIMITS, PROTOCOL, ROOM_PATH, type Welcome } from '../wire/protocol';
import { releaseFrame } from '../wire/frame-buffers';

/** Failures after which trying again cannot help. */
const FINAL_CODES: ReadonlySet<ErrorCode> = new Set([
  'identity-mismatch',
  'wrong-secret',
  'version-mismatch',
  'not-a-porthole-host',
  'name-taken',
  'room-full',
  'name-invalid',
  'room-closed',
  'session-replaced',
  'removed',
  'cancelled',
]);

export function isFinal(err: unknown): boolean {
  return err instanceof PortholeError && FINAL_CODES.has(err.code);
}

export interface LinkRequest {
  invite: Invite;
  name: string;
  resume?: { token: string; lastSeq: number };
  timeoutMs: number;
  /** What the host may send: the core and every feature this build speaks. */
  vocabulary: Vocabulary;
  /** Announced in the hello; absent, the hello is a version-1 hello. */
  features?: readonly string[] | undefined;
  /**
   * Gives up at any stage (TCP/TLS, upgrade, waiting for the welcome): the attempt rejects at once
   * with a 'cancelled' PortholeError (or the signal's reason, if it is one) and its socket is closed,
   * with a goodbye close frame once the hello is out, so a host that admitted it announces it left.
   */
  signal?: AbortSignal | undefined;
}

/** Where a link's traffic goes once the session takes it over. */
export interface LinkHandlers {
  frame(data: Buffer, isBinary: boolean): void;
  ping(): void;
  close(code: number, reason: string): void;
}

export interface HostLink {
  ws: WebSocket;
  welcome: Welcome;
  /** Whether the hello that got in announced features (false: the host refused them, so it is a version-1 host). */
  announced: boolean;
  /**
   * Hands the link over: frames, pings and a close that arrived after the welcome (the rest of the
   * history often comes in the same TCP read) are delivered first, in order, then live ones. No
   * frame is lost between the welcome and the session's first listener.
   */
  deliver(handlers: LinkHandlers): void;
}

/** A version-1 host refusing the hello's `features`, as it refuses any field it does not know. */
class FeaturesRefused extends PortholeError {}

/**
 * One connection: pinned TLS, the authenticated upgrade, hello, and the welcome. A host that
 * refuses a hello with features (one built before they existed) is asked again with a
 * version-1 hello. Resolves with the open socket and the welcome, or rejects with a PortholeError.
 */
export async function openHostLink(request: LinkRequest): Promise<HostLink> {
  if (request.signal?.aborted) throw cancelled(request.signal);
  if (!request.features) return { ...(await attempt(request)), announced: false };
  try {
    return { ...(await attempt(request)), announced: true };
  } catch (err) {
    if (!(err instanceof FeaturesRefused)) throw err;
    return { ...(await attempt({ ...request, features: undefined })), announced: false };
  }
}

async function attempt(request: LinkRequest): Promise<Omit<HostLink, 'announced'>> {
  const { invite, timeoutMs, signal } = request;
  // Every address in the invite, raced (PROTOCOL.md §2); the first pinned one is used.
  const { socket, address } = await connectToAnyAddress({
    addresses: inviteAddresses(invite),
    fingerprint: invite.fingerprint,
    ...(invite.relay ? { relay: invite.relay } : {}),
    timeoutMs,
    ...(signal ? { signal } : {}),
  }).catch((err: unknown) => {
    throw signal?.aborted ? cancelled(signal) : err;
  });
  if (signal?.aborted) {
    socket.destroy();
    throw cancelled(signal);
  }
  const hostPart = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  const ws = new WebSocket(`wss://${hostPart}:${address.port}${ROOM_PATH}`, [PROTOCOL], {
    createConnection: () => socket,
    headers: { Authorization: `Bearer ${invite.secret}` },
    perMessageDeflate: false,
    maxPayload: LIMITS.maxBinaryFrameBytes,
    ...WS_RECEIVER_LIMITS,
    handshakeTimeout: timeoutMs,
    // Masking guards proxy caches against scripts in browsers; inside pinned TLS it only costs a
    // pass over every byte sent, so the key is all zeros and ws skips the pass (PROTOCOL.md §4).
    generateMask: (mask) => void mask.fill(0),
  });
  return new Promise((resolve, reject) => {
    const fail = (err: PortholeError) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(err);
    };
    const onAbort = () => {
      // Once the hello is out the host may have admitted us: say goodbye, so it announces we left.
      if (ws.readyState === ws.OPEN) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        ws.removeAllListeners();
        leaveLink(ws);
        return reject(cancelled(signal));
      }
      fail(cancelled(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => fail(lost('the host did not answer in time')), timeoutMs);
    ws.once('unexpected-response', (_req, res) => {
      res.on('error', () => {});
      readRefusal(res).then(fail, () => fail(lost('the host hung up while refusing')));
    });
    ws.once('error', (err) => fail(lost(err.message)));
    let refusal: { code: string; message: string } | undefined;
    ws.once('close', (code, reason) => {
      // A hello refused as invalid (not for its name) by a host that was sent features: a version-1 host.
      if (code === CloseCode.badHello && refusal?.code === 'invalid-message' && request.features) {
        return fail(new FeaturesRefused('version-mismatch', 'The host refused the hello with features.'));
      }
      fail(closedBeforeWelcome(code, reason.toString(), request.name, refusal));
    });
    ws.once('open', () => {
      const { name, resume, features } = request;
      ws.send(JSON.stringify({ type: 'hello', name, ...(resume ? { resume } : {}), ...(features ? { features } : {}) }));
    });
    ws.on('message', (data, isBinary) => {
      // A throw here would surface in ws and end the process: whatever the host sent, it only fails this attempt.
      try {
        onMessage(data as Buffer, isBinary);
      } catch {
        fail(new PortholeError('bad-host-message', 'The host sent something this app could not handle.'));
      }
    });
    const onMessage = (data: Buffer, isBinary: boolean) => {
      const decoded = decodeTextFrame(request.vocabulary, data, isBinary);
      if (!decoded.ok) return fail(new PortholeError('bad-host-message', `The host sent something invalid: ${decoded.error.message}`));
      if (decoded.message.type === 'error') {
        refusal = decoded.message as { type: 'error'; code: string; message: string }; // the close that follows gives the verdict; this says why
        return;
      }
      if (decoded.message.type !== 'welcome') return fail(new PortholeError('bad-host-message', 'The host did not start with a welcome.'));
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      resolve({ ws, welcome: decoded.message as Welcome, deliver: handOver(ws) });
    };
  });
}

/**
 * Keeps what arrives after the welcome until the session takes the link over, then replays it
 * in order and steps aside: ws emits every frame of one TCP read at once, so without this the
 * history frames that follow a welcome in the same read would reach no listener.
 */
export function handOver(ws: Pick<WebSocket, 'on'>): (handlers: LinkHandlers) => void {
  type Held = { kind: 'frame'; data: Buffer; isBinary: boolean } | { kind: 'ping' } | { kind: 'close'; code: number; reason: string };
  const held: Held[] = [];
  let live: LinkHandlers | undefined;
  ws.on('error', () => {}); // 'close' follows and says the rest
  ws.on('message', (data, isBinary) =>
    live ? frameTo(live, data as Buffer, isBinary) : held.push({ kind: 'frame', data: data as Buffer, isBinary }),
  );
  ws.on('ping', () => (live ? live.ping() : held.push({ kind: 'ping' })));
  ws.on('close', (code, reason) =>
    live ? live.close(code, reason.toString()) : held.push({ kind: 'close', code, reason: reason.toString() }),
  );
  return (handlers) => {
    if (live) throw new Error('A link is handed over once.');
    for (const item of held.splice(0)) {
      if (item.kind === 'frame') frameTo(handlers, item.data, item.isBinary);
      else if (item.kind === 'ping') handlers.ping();
      else handlers.close(item.code, item.reason);
    }
    live = handlers;
  };
}

/** Hands a frame on; a binary one's pooled buffer is released after (whoever keeps it holds it: wire/frame-buffers.ts). */
function frameTo(handlers: LinkHandlers, data: Buffer, isBinary: boolean): void {
  try {
    handlers.frame(data, isBinary);
  } finally {
    if (isBinary) releaseFrame(data);
  }
}

/** How long a goodbye close frame may wait for the host's answer before the socket is cut. */
const GOODBYE_CUT_MS = 1000;

/**
 * Closes a link nobody will use with a goodbye close frame (the host announces the member left
 * at once instead of keeping it for a resume), and cuts it if the host does not answer soon.
 */
export function leaveLink(ws: WebSocket): void {
  ws.on('error', () => {});
  const cut = setTimeout(() => ws.terminate(), GOODBYE_CUT_MS);
  ws.once('close', () => clearTimeout(cut));
  ws.close(CloseCode.normal, 'Left the room.');
}

function cancelled(signal: AbortSignal | undefined): PortholeError {
  return cancelledBy(signal, 'Joining was cancelled before the room answered.');
}

function lost(why: string): PortholeError {
  return new PortholeError('connection-lost', `The connection to the host broke (${why}). Porthole will try again.`);
}

async function readRefusal(res: IncomingMessage): Promise<PortholeError> {
  let body = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    body += chunk;
    if (body.length > 4096) break;
  }
  let supported = '';
  try {
    const parsed = JSON.parse(body) as { supported?: unknown };
    if (Array.isArray(parsed.supported))
      supported = parsed.supported
        .filter((v) => typeof v === 'string')
        .join(', ')
        .slice(0, 100);
  } catch {
    // Not from a Porthole host, or a truncated body: the status code is enough.
  }
  switch (res.statusCode) {
    case 401:
      return new PortholeError('wrong-secret', "The host did not accept this invite's secret. Ask the host for a new invite.");
    case 426:
      return new PortholeError(
        'version-mismatch',
        `The host runs a Porthole version that speaks ${supported || 'another protocol'}, and this one speaks ${PROTOCOL}. Update both to the same version.`,
      );
    case 429:
    case 503: {
      // Momentary: the host lets people in at a measured pace. Reconnecting members wait and try again.
      const waitMs = retryAfterMs(res.headers['retry-after']);
      return new PortholeError('room-busy', 'The room is busy letting people in. Try again in a moment.', waitMs);
    }
    case 404:
      return new PortholeError(
        'not-a-porthole-host',
        'The address in the invite answers, but not as a Porthole room. Ask for a new invite.',
      );
    default:
      return new PortholeError('not-a-porthole-host', `The host answered with HTTP ${res.statusCode} instead of opening the room.`);
  }
}

/** A Retry-After header in seconds, bounded to a minute; 2 s when missing or odd. */
function retryAfterMs(header: string | undefined): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : 2000;
}

function closedBeforeWelcome(
  code: number,
  reason: string,
  name: string,
  refusal: { code: string; message: string } | undefined,
): PortholeError {
  switch (code) {
    case CloseCode.nameTaken:
      return new PortholeError('name-taken', `Someone in the room is already called "${name}". Pick another name.`);
    case CloseCode.roomFull:
      // The host's own sentence names its room size ("it takes 50 people"); older hosts send none.
      return new PortholeError(
        'room-full',
        refusal?.code === 'room-full' ? refusal.message.slice(0, 200) : 'The room is full. Ask the host to make room.',
      );
    case CloseCode.badHello:
      if (refusal?.code === 'name-invalid') {
        return new PortholeError('name-invalid', `The host refused the name. ${refusal.message.slice(0, 200)} Pick another name.`);
      }
      return new PortholeError(
        'version-mismatch',
        `The host refused to let this app in (${(refusal?.message ?? reason).slice(0, 200)}). Update both apps to the same version.`,
      );
    case CloseCode.roomClosed:
      return new PortholeError('room-closed', 'The host closed the room.');
    case CloseCode.removed:
      return new PortholeError('removed', removedError(refusal?.code === 'removed' ? refusal.message : undefined).message);
    default:
      return lost(reason || `closed with code ${code}`);
  }
}
