import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { formatInvite } from '../../../src-main/link/invite';
import { PROTOCOL, ROOM_PATH } from '../../../src-main/wire/protocol';
import type { RoomHost } from '../../../src-main/session/room-host';
import { MAX_CHUNK_FRAME_BYTES } from '../../../src-main/features/files/chunk-frame';
import { roomSecret } from '../../fixtures/raw-peer';
import { testIdentity } from '../../fixtures/room';

/** One guest's connection through the proxy. */
export interface ProxiedGuest {
  /** Sends a text frame to the guest, as if the host had. */
  toGuest(text: string): void;
  /** Closes the guest's side with a close frame (the host's side follows). */
  closeGuest(code: number, reason: string): void;
}

export interface ProxyHooks {
  /**
   * The guest's first frame (its hello). Return the text to send the host, or undefined when the
   * hook answered the guest itself (a refusal).
   */
  hello?(text: string, guest: ProxiedGuest): string | undefined;
  /** Each text frame from the host to the guest; return the frames to pass on instead (none drops it). */
  fromHost?(text: string, guest: ProxiedGuest): string[];
  /** Each text frame from the guest to the host after the hello; return the frames to pass on instead. */
  fromGuest?(text: string): string[];
}

/**
 * A wss server in front of a real RoomHost, with the same certificate (so an invite pinned to it
 * works): it relays every frame both ways, and lets a test play a host of another version by
 * rewriting what passes. Text frames are recorded in both directions.
 */
export class HostProxy {
  readonly guestFrames: string[] = [];
  readonly hostFrames: string[] = [];
  connections = 0;
  private readonly sockets = new Set<Duplex>();
  private readonly links = new Set<WebSocket>();

  private constructor(
    private readonly host: RoomHost,
    private readonly server: Server,
    private readonly hooks: ProxyHooks,
  ) {}

  static async start(host: RoomHost, hooks: ProxyHooks = {}): Promise<HostProxy> {
    const identity = await testIdentity();
    const server = createServer({ cert: identity.certPem, key: identity.keyPem });
    const proxy = new HostProxy(host, server, hooks);
    const wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: MAX_CHUNK_FRAME_BYTES,
      handleProtocols: () => PROTOCOL,
    });
    server.on('connection', (socket: Duplex) => {
      proxy.sockets.add(socket);
      socket.on('error', () => {});
      socket.once('close', () => proxy.sockets.delete(socket));
    });
    server.on('tlsClientError', () => {});
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (guest) => proxy.relay(guest, String(req.headers.authorization ?? '')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get invite(): string {
    const port = (this.server.address() as AddressInfo).port;
    return formatInvite({ host: '127.0.0.1', port, fingerprint: this.fingerprint, secret: roomSecret(this.host) });
  }

  private get fingerprint(): string {
    return (this.host as unknown as { options: { identity: { fingerprint: string } } }).options.identity.fingerprint;
  }

  async close(): Promise<void> {
    for (const ws of this.links) ws.terminate();
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }

  private relay(guest: WebSocket, authorization: string): void {
    this.connections += 1;
    const upstream = new WebSocket(`wss://127.0.0.1:${this.host.port}${ROOM_PATH}`, [PROTOCOL], {
      rejectUnauthorized: false,
      headers: { Authorization: authorization },
      perMessageDeflate: false,
      maxPayload: MAX_CHUNK_FRAME_BYTES,
    });
    this.links.add(guest);
    this.links.add(upstream);
    guest.on('error', () => {});
    upstream.on('error', () => {});
    const handle: ProxiedGuest = {
      toGuest: (text) => guest.send(text),
      closeGuest: (code, reason) => guest.close(code, reason),
    };
    const waiting: Array<[RawData, boolean]> = [];
    let first = true;
    const toHost = (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.guestFrames.push(String(data));
      if (first && !isBinary) {
        first = false;
        const hello = this.hooks.hello ? this.hooks.hello(String(data), handle) : String(data);
        if (hello !== undefined) upstream.send(hello);
        return;
      }
      if (isBinary || !this.hooks.fromGuest) return upstream.send(data, { binary: isBinary });
      for (const out of this.hooks.fromGuest(String(data))) upstream.send(out);
    };
    guest.on('message', (data, isBinary) => {
      if (upstream.readyState === upstream.OPEN) toHost(data, isBinary);
      else waiting.push([data, isBinary]);
    });
    upstream.on('open', () => waiting.splice(0).forEach(([data, isBinary]) => toHost(data, isBinary)));
    upstream.on('message', (data, isBinary) => {
      if (isBinary) return guest.send(data, { binary: true });
      const text = String(data);
      this.hostFrames.push(text);
      for (const out of this.hooks.fromHost ? this.hooks.fromHost(text, handle) : [text]) guest.send(out);
    });
    const passClose = (to: WebSocket) => (code: number, reason: Buffer) => {
      // 1005 and 1006 are never sent in a close frame: the other side is just cut.
      if (code === 1005 || code === 1006 || to.readyState !== to.OPEN) to.terminate();
      else to.close(code, reason.toString());
    };
    upstream.on('close', passClose(guest));
    guest.on('close', passClose(upstream));
    upstream.on('unexpected-response', () => guest.terminate());
  }
}
