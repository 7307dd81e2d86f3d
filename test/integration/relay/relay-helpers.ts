// What the relay tests share: a host joined to a relay, echoing or serving TLS on each session,
// and waiting for a listener's status (with a generous guard against deadlocks only).
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createHostIdentity, type HostIdentity } from '../../../src-main/link/host-identity';
import { RelayListener, type RelayListenerState, type RelayListenerStatus } from '../../../src-main/relay/relay-listener';
import type { RelayUri } from '../../../src-main/relay/relay-uri';

export const GUARD_MS = 20_000;

export interface JoinedHost {
  listener: RelayListener;
  identity: HostIdentity;
  /** The host's id on the relay: SHA-256 of its certificate. */
  hostId: Buffer;
  statuses: RelayListenerStatus[];
}

const listeners = new Set<RelayListener>();
const openSockets = new Set<Socket>();
const servers = new Set<Server>();

/** A listener for a new host identity, started, with a quick back-off; not waited for. */
export async function startHost(uri: RelayUri, identity?: HostIdentity): Promise<JoinedHost> {
  const id = identity ?? (await createHostIdentity());
  const listener = new RelayListener({ uri, identity: id, backoff: { initialMs: 100, maxMs: 1_000 } });
  listeners.add(listener);
  const statuses: RelayListenerStatus[] = [];
  listener.on('status', (status) => statuses.push(status));
  listener.start();
  return { listener, identity: id, hostId: Buffer.from(id.fingerprint, 'base64url'), statuses };
}

/** A host joined to the relay whose sessions echo every byte back. */
export async function startEchoHost(uri: RelayUri): Promise<JoinedHost> {
  const host = await startHost(uri);
  host.listener.on('session', (socket) => {
    track(socket);
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await waitForState(host.listener, 'joined');
  return host;
}

/** Resolves when the listener reports `state` (now or later). */
export function waitForState(listener: RelayListener, state: RelayListenerState, guardMs = GUARD_MS): Promise<RelayListenerStatus> {
  if (listener.status.state === state) return Promise.resolve(listener.status);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the listener never reported ${state}; last ${JSON.stringify(listener.status)}`)),
      guardMs,
    );
    const onStatus = (status: RelayListenerStatus) => {
      if (status.state !== state) return;
      clearTimeout(timer);
      listener.off('status', onStatus);
      resolve(status);
    };
    listener.on('status', onStatus);
  });
}

/** Writes `text` and reads until as many bytes came back. */
export async function roundTrip(socket: Socket, text: string, guardMs = GUARD_MS): Promise<string> {
  const expected = Buffer.byteLength(text);
  let got = Buffer.alloc(0);
  const done = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${expected} bytes came back`)), guardMs);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < expected) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(got.toString());
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${got.length} of ${expected} bytes`)));
  });
  socket.resume();
  socket.write(text);
  return done;
}

/** A TCP server on 127.0.0.1 that accepts and never says a word; `accepted` holds its sockets. */
export async function silentServer(): Promise<{ port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    accepted.push(track(socket));
    socket.on('error', () => {});
    socket.resume(); // reads and drops what comes, so it sees the other side close
  });
  servers.add(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, accepted };
}

/** A port on 127.0.0.1 with nothing listening (taken and given back). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export function track<T extends Socket>(socket: T): T {
  openSockets.add(socket);
  socket.once('close', () => openSockets.delete(socket));
  return socket;
}

/** Closes every listener, socket and server the helpers made. */
export async function closeRelayHelpers(): Promise<void> {
  await Promise.all([...listeners].map((listener) => listener.close()));
  listeners.clear();
  for (const socket of openSockets) socket.destroy();
  openSockets.clear();
  for (const server of servers) server.close();
  servers.clear();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
