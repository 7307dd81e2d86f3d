// The dialer against a stand-in relay on 127.0.0.1 (real TLS and TCP sockets), for what the real
// relay does only by chance: refusing our session join ("already connected", its join race),
// sending the other side's bytes before our Response, answering RelayFull.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createHostIdentity } from '../../../src-main/link/host-identity';
import { dialRelay } from '../../../src-main/relay/relay-dialer';
import { encodeRelayMessage, type RelayMessage, RelayMessageReader } from '../../../src-main/relay/relay-messages';
import type { RelayUri } from '../../../src-main/relay/relay-uri';
import { SUCCESS_RESPONSE } from '../../../src-main/relay/session-start';
import { PortholeError } from '../../../src-main/wire/errors';
import { GUARD_MS, closeRelayHelpers, track } from './relay-helpers';

const servers = new Set<Server>();
afterEach(closeRelayHelpers);
afterEach(() => {
  for (const server of servers) server.close();
  servers.clear();
});

interface StandIn {
  uri: RelayUri;
  /** What each control connection asked for, and whether it showed a client certificate. */
  requests: { id: Buffer; clientCert: boolean }[];
  joins: number;
}

/**
 * A relay stand-in: its control port answers ConnectRequest with `answer(id)`; its session port
 * refuses the first `refusals` joins with "already connected", then sends `early`, the success
 * Response and `late` as three writes.
 */
async function standIn(options: {
  refusals?: number;
  answer?: (id: Buffer, key: Buffer, port: number) => RelayMessage;
  early?: string;
  late?: string;
}): Promise<StandIn> {
  const identity = await createHostIdentity();
  const state: StandIn = { uri: undefined as unknown as RelayUri, requests: [], joins: 0 };
  const sessions = listen(
    createServer((socket) => {
      track(socket).on('error', () => {});
      socket.once('data', () => {
        state.joins++;
        if (state.joins <= (options.refusals ?? 0)) {
          socket.end(encodeRelayMessage({ type: 'response', code: 2, message: 'already connected' }));
          return;
        }
        if (options.early) socket.write(options.early);
        socket.write(SUCCESS_RESPONSE);
        if (options.late) socket.write(options.late);
      });
    }),
  );
  const sessionPort = (await sessions).port;
  const control = listen(
    createTlsServer({ cert: identity.certPem, key: identity.keyPem, requestCert: true, rejectUnauthorized: false }, (tls: TLSSocket) => {
      track(tls).on('error', () => {});
      const reader = new RelayMessageReader();
      tls.on('data', (chunk: Buffer) => {
        reader.push(chunk);
        for (let result = reader.next(); result.kind === 'message'; result = reader.next()) {
          if (result.message.type !== 'connect-request') continue;
          const { id } = result.message;
          state.requests.push({ id, clientCert: tls.getPeerCertificate().raw !== undefined });
          const answer = options.answer?.(id, randomBytes(32), sessionPort) ?? invitation(id, randomBytes(32), sessionPort);
          tls.write(encodeRelayMessage(answer));
        }
      });
    }),
  );
  const { port } = await control;
  state.uri = { host: '127.0.0.1', port, id: Buffer.from(identity.fingerprint, 'base64url'), networkTimeoutMs: 120_000, params: [] };
  return state;
}

/** An invitation to the stand-in's session port, the address as IPv4-mapped IPv6 (16 bytes) as Go often sends it. */
function invitation(from: Buffer, key: Buffer, port: number): RelayMessage {
  const address = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]);
  return { type: 'session-invitation', from, key, address, port, serverSocket: false };
}

async function listen(server: Server): Promise<{ port: number }> {
  servers.add(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port };
}

async function firstBytes(socket: Socket, count: number): Promise<string> {
  let got = '';
  socket.setEncoding('latin1');
  const guard = setTimeout(() => socket.destroy(new Error(`only ${JSON.stringify(got)} came`)), GUARD_MS);
  for await (const chunk of socket) {
    got += chunk;
    if (got.length >= count) break;
  }
  clearTimeout(guard);
  return got;
}

async function codeOf(dial: Promise<Socket>): Promise<PortholeError> {
  try {
    (await dial).destroy();
  } catch (err) {
    assert.ok(err instanceof PortholeError, String(err));
    return err;
  }
  assert.fail('the dial did not fail');
}

test('a refused session join ("already connected") asks for a new session; the control connection shows a client certificate', async () => {
  const relay = await standIn({ refusals: 2 });
  const hostId = randomBytes(32);
  const socket = track(await dialRelay({ uri: relay.uri, hostId, timeoutMs: GUARD_MS }));
  assert.equal(relay.requests.length, 3);
  for (const request of relay.requests) {
    assert.deepEqual(request.id, hostId);
    assert.equal(request.clientCert, true);
  }
  socket.destroy();
});

test('refused every time: relay-refused after the attempts allowed', async () => {
  const relay = await standIn({ refusals: 10 });
  const err = await codeOf(dialRelay({ uri: relay.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS, attempts: 2 }));
  assert.equal(err.code, 'relay-refused');
  assert.match(err.message, /already connected/);
  assert.equal(relay.requests.length, 2);
});

test("the other side's bytes before and after our Response all reach the caller, in order", async () => {
  const relay = await standIn({ early: '\x16\x03\x01early-', late: 'late' });
  const socket = track(await dialRelay({ uri: relay.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS }));
  const expected = '\x16\x03\x01early-late';
  assert.equal(await firstBytes(socket, expected.length), expected);
});

test('RelayFull, a foreign invitation and a refused ConnectRequest each have their code', async () => {
  const full = await standIn({ answer: () => ({ type: 'relay-full' }) });
  assert.equal((await codeOf(dialRelay({ uri: full.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS }))).code, 'relay-full');

  const foreign = await standIn({ answer: (_id, key, port) => invitation(randomBytes(32), key, port) });
  const err = await codeOf(dialRelay({ uri: foreign.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS }));
  assert.equal(err.code, 'relay-refused');
  assert.match(err.message, /another device/);

  const refusing = await standIn({ answer: () => ({ type: 'response', code: 100, message: 'unexpected message' }) });
  assert.equal((await codeOf(dialRelay({ uri: refusing.uri, hostId: randomBytes(32), timeoutMs: GUARD_MS }))).code, 'relay-refused');
});

test('a host id that is not 32 bytes is refused before any connection', async () => {
  const err = await codeOf(dialRelay({ uri: (await standIn({})).uri, hostId: randomBytes(16), timeoutMs: GUARD_MS }));
  assert.equal(err.code, 'relay-invalid');
});
