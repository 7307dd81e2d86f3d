import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';
import { chatTexts, closeAll, inviteFor, join, recordEvents, startHost, waitFor } from '../../fixtures/room';
import { isFinal, randomFile, removeTempDirs, sha256File, tempDir, waitForTransfer } from '../../fixtures/transfer-files';
import { HostProxy } from '../room/host-proxy';

afterEach(closeAll);
afterEach(closeV1Clients);
afterEach(removeTempDirs);

// ---- what docs/PROTOCOL.md said before features: the whole version-1 vocabulary ------------
// Each host message type and the fields it may carry. Objects were strict: anything else was an error.

const V1_HOST_FIELDS: Record<string, string[]> = {
  welcome: ['type', 'protocol', 'room', 'you', 'resumeToken', 'members', 'history', 'historyGap', 'lastSeq', 'heartbeat', 'limits'],
  chat: ['type', 'seq', 'ts', 'from', 'id', 'text'],
  joined: ['type', 'seq', 'ts', 'member'],
  left: ['type', 'seq', 'ts', 'member', 'reason'],
  error: ['type', 'code', 'message', 'ref'],
  'file-offered': ['type', 'transfer', 'ref', 'from', 'name', 'size', 'to'],
  'file-refused': ['type', 'ref', 'reason'],
  'file-answered': ['type', 'transfer', 'member', 'accept'],
  'file-credit': ['type', 'transfer', 'upTo'],
  'file-progress': ['type', 'transfer', 'member', 'bytes'],
  'file-end': ['type', 'transfer', 'sha256'],
  'file-done': ['type', 'transfer', 'member'],
  'file-cancelled': ['type', 'transfer', 'member', 'reason'],
};
const V1_GUEST_FIELDS: Record<string, string[]> = {
  hello: ['type', 'name', 'resume'],
  chat: ['type', 'id', 'text'],
  'file-offer': ['type', 'ref', 'name', 'size', 'to'],
  'file-answer': ['type', 'transfer', 'accept'],
  'file-ack': ['type', 'transfer', 'bytes'],
  'file-end': ['type', 'transfer', 'sha256'],
  'file-saved': ['type', 'transfer'],
  'file-cancel': ['type', 'transfer', 'reason'],
};
const V1_MEMBER_FIELDS = ['id', 'name', 'host'];

/** What a version-1 peer would refuse in a frame: an unknown type or a field it does not know. */
function v1Violation(frame: Record<string, unknown>, vocabulary: Record<string, string[]>): string | undefined {
  const fields = typeof frame.type === 'string' && Object.hasOwn(vocabulary, frame.type) ? vocabulary[frame.type]! : undefined;
  if (!fields) return `unknown type ${JSON.stringify(frame.type)}`;
  const extra = Object.keys(frame).filter((k) => !fields.includes(k));
  if (extra.length > 0) return `${String(frame.type)} with ${extra.join(', ')}`;
  if (frame.type === 'welcome') {
    const heartbeat = frame.heartbeat as Record<string, unknown>;
    if (Object.keys(heartbeat).sort().join() !== 'intervalMs,timeoutMs') return 'welcome.heartbeat';
    if (
      Object.keys(frame.limits as object)
        .sort()
        .join() !== 'maxFrameBytes,nameMaxChars,textMaxChars'
    )
      return 'welcome.limits';
    for (const m of [frame.you, ...(frame.members as unknown[])] as Array<Record<string, unknown>>) {
      if (Object.keys(m).sort().join() !== [...V1_MEMBER_FIELDS].sort().join()) return 'a member';
    }
  }
  return undefined;
}

// ---- a minimal version-1 client, written from that text alone ------------------------------

const CHUNK = 262_144;
const MIB = 1_048_576;
const v1Clients = new Set<Version1Client>();

function closeV1Clients(): void {
  for (const c of v1Clients) c.ws.terminate();
  v1Clients.clear();
}

/** porthole://HOST:PORT/FINGERPRINT/SECRET (the one-address form, §1). */
function parseV1Invite(invite: string) {
  const m = /^porthole:\/\/([^/:]+):(\d{1,5})\/([A-Za-z0-9_-]{43})\/([A-Za-z0-9_-]{43})$/.exec(invite.trim());
  if (!m) throw new Error(`not a version-1 invite: ${invite}`);
  return { host: m[1]!, port: Number(m[2]), fingerprint: m[3]!, secret: m[4]! };
}

/** §2: TLS 1.2+, any chain, then the leaf's SHA-256 against the invite, before any HTTP byte. */
function pinnedTls(host: string, port: number, fingerprint: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, rejectUnauthorized: false, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const der = socket.getPeerCertificate().raw;
      const seen = createHash('sha256').update(der).digest();
      const wanted = Buffer.from(fingerprint, 'base64url');
      if (seen.length !== wanted.length || !timingSafeEqual(seen, wanted)) {
        socket.destroy();
        return reject(new Error('identity mismatch'));
      }
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

type Frame = Record<string, unknown> & { type: string };

interface Incoming {
  size: number;
  parts: Buffer[];
  received: number;
  acked: number;
  sha256?: string;
  saved?: Buffer;
}

class Version1Client {
  readonly frames: Frame[] = [];
  /** Frames a version-1 client would have refused. */
  readonly violations: string[] = [];
  readonly files = new Map<number, Incoming>();
  welcome!: Frame;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => (isBinary ? this.onChunk(data as Buffer) : this.onText(String(data))));
  }

  static async join(invite: string, name: string): Promise<Version1Client> {
    const { host, port, fingerprint, secret } = parseV1Invite(invite);
    const socket = await pinnedTls(host, port, fingerprint);
    // §3: the upgrade on that same connection; §4: compression off, all-zero masking key.
    const ws = new WebSocket(`wss://${host}:${port}/room`, ['porthole.v1'], {
      createConnection: () => socket,
      headers: { Authorization: `Bearer ${secret}` },
      perMessageDeflate: false,
      generateMask: (mask) => void mask.fill(0),
    });
    const client = new Version1Client(ws);
    v1Clients.add(client);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'porthole.v1');
    client.send({ type: 'hello', name }); // §5: no features, as version 1 had none
    client.welcome = await client.next((f) => f.type === 'welcome');
    return client;
  }

  send(message: Frame): void {
    this.ws.send(JSON.stringify(message));
  }

  chat(text: string): string {
    const id = randomBytes(9).toString('base64url');
    this.send({ type: 'chat', id, text });
    return id;
  }

  chats(): string[] {
    return this.frames.filter((f) => f.type === 'chat').map((f) => String(f.text));
  }

  async next(match: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline || this.ws.readyState === this.ws.CLOSED)
        throw new Error(`no matching frame; got ${this.frames.map((f) => f.type).join(' ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** §9 as the sender: offer, then chunks up to each credit, then file-end; resolves when every accepting recipient saved it. */
  async sendFile(name: string, body: Buffer, to?: string): Promise<{ transfer: number; savedBy: string[] }> {
    const ref = randomBytes(6).toString('base64url');
    this.send({ type: 'file-offer', ref, name, size: body.length, ...(to ? { to } : {}) });
    const offered = await this.next((f) => (f.type === 'file-offered' || f.type === 'file-refused') && f.ref === ref);
    if (offered.type === 'file-refused') throw new Error(`refused: ${String(offered.reason)}`);
    const transfer = offered.transfer as number;
    const recipients = offered.to as string[];
    let sent = 0;
    let ended = false;
    const pump = () => {
      const credits = this.frames.filter((f) => f.type === 'file-credit' && f.transfer === transfer).map((f) => f.upTo as number);
      const upTo = credits.length > 0 ? Math.max(...credits) : -1;
      while (sent < upTo) {
        const payload = body.subarray(sent, Math.min(sent + CHUNK, body.length));
        const header = Buffer.alloc(16);
        header[0] = 1;
        header.writeUInt32BE(transfer, 4);
        header.writeBigUInt64BE(BigInt(sent), 8);
        this.ws.send(Buffer.concat([header, payload]), { binary: true });
        sent += payload.length;
      }
      if (!ended && upTo >= 0 && sent === body.length) {
        ended = true;
        this.send({ type: 'file-end', transfer, sha256: createHash('sha256').update(body).digest('hex') });
      }
    };
    for (;;) {
      pump();
      const answers = this.frames.filter((f) => f.type === 'file-answered' && f.transfer === transfer);
      const accepted = answers.filter((f) => f.accept === true).map((f) => String(f.member));
      const done = this.frames.filter((f) => f.type === 'file-done' && f.transfer === transfer).map((f) => String(f.member));
      const cancelled = this.frames.find((f) => f.type === 'file-cancelled' && f.transfer === transfer && f.member === undefined);
      if (cancelled) throw new Error(`cancelled: ${String(cancelled.reason)}`);
      if (answers.length === recipients.length && ended && accepted.every((m) => done.includes(m))) return { transfer, savedBy: done };
      await this.next(() => true, 100).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves with the bytes of a file someone offered, once accepted, received, verified and reported saved. */
  async receiveFile(name: string): Promise<Buffer> {
    const offered = await this.next((f) => f.type === 'file-offered' && f.ref === undefined && f.name === name);
    const transfer = offered.transfer as number;
    this.files.set(transfer, { size: offered.size as number, parts: [], received: 0, acked: 0 });
    this.send({ type: 'file-answer', transfer, accept: true });
    await this.next(() => this.files.get(transfer)?.saved !== undefined, 30_000);
    return this.files.get(transfer)!.saved!;
  }

  private onText(text: string): void {
    const frame = JSON.parse(text) as Frame;
    const wrong = v1Violation(frame, V1_HOST_FIELDS);
    if (wrong) this.violations.push(wrong);
    this.frames.push(frame);
    if (frame.type === 'file-end') {
      const file = this.files.get(frame.transfer as number);
      if (file) {
        file.sha256 = frame.sha256 as string;
        this.finish(frame.transfer as number, file);
      }
    }
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** §9 as a recipient: chunks in order; an ack for each whole MiB and for the size; verify, then file-saved. */
  private onChunk(frame: Buffer): void {
    assert.equal(frame[0], 1);
    const transfer = frame.readUInt32BE(4);
    const offset = Number(frame.readBigUInt64BE(8));
    const file = this.files.get(transfer);
    if (!file) return void this.violations.push(`a chunk of unknown transfer ${transfer}`);
    assert.equal(offset, file.received, 'chunks in order');
    file.parts.push(Buffer.from(frame.subarray(16)));
    file.received += frame.length - 16;
    const ackable = file.received === file.size ? file.size : Math.floor(file.received / MIB) * MIB;
    if (ackable > file.acked) {
      file.acked = ackable;
      this.send({ type: 'file-ack', transfer, bytes: ackable });
    }
    this.finish(transfer, file);
    this.waiters.splice(0).forEach((wake) => wake());
  }

  private finish(transfer: number, file: Incoming): void {
    if (file.saved || file.sha256 === undefined || file.received !== file.size) return;
    const body = Buffer.concat(file.parts);
    if (createHash('sha256').update(body).digest('hex') !== file.sha256) {
      this.send({ type: 'file-cancel', transfer, reason: 'hash-mismatch' });
      return;
    }
    file.saved = body;
    this.send({ type: 'file-saved', transfer });
  }
}

// ---- the tests -----------------------------------------------------------------------------

const BIG = 10 * MIB + 12_345; // more than one 8 MiB window: credit must follow the acks

test('a version-1 client (raw ws, pinned TLS, hello without features) joins a current host, chats both ways and moves files both ways', async () => {
  const [hostInbox, aliceInbox, src] = await Promise.all([tempDir(), tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostInbox, autoAccept: true } });
  const hostSeen = recordEvents(host);
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceInbox, autoAccept: true } });
  const old = await Version1Client.join(inviteFor(host), 'Old');
  assert.deepEqual(old.violations, [], 'the welcome is a version-1 welcome');
  const you = old.welcome.you as { id: string };

  // Chat, both ways and with a current guest.
  old.chat('from the version-1 client');
  await waitFor(host, () => chatTexts(hostSeen).includes('from the version-1 client'));
  await waitFor(alice, () => chatTexts(alice.seen).includes('from the version-1 client'));
  host.send('from the host');
  alice.send('from a current guest');
  await old.next((f) => f.type === 'chat' && f.text === 'from a current guest');
  await old.next((f) => f.type === 'chat' && f.text === 'from the host');
  assert.ok(old.chats().includes('from the version-1 client'), 'its own line came back numbered');

  // A file from it to everyone else: the host and a current guest save it, hash verified.
  const upload = randomBytes(BIG);
  const sent = await old.sendFile('from-old.bin', upload);
  assert.equal(sent.savedBy.length, 2);
  const uploadSha = createHash('sha256').update(upload).digest('hex');
  assert.equal(await sha256File(joinPath(hostInbox, 'from-old.bin')), uploadSha);
  assert.equal(await sha256File(joinPath(aliceInbox, 'from-old.bin')), uploadSha);

  // A file to it, from the host and from the current guest (relayed).
  const fromHost = await randomFile(src, 'from-host.bin', BIG);
  const hostOffer = await host.transfers.offer(fromHost, { to: you.id });
  const got = await old.receiveFile('from-host.bin');
  assert.equal(createHash('sha256').update(got).digest('hex'), await sha256File(fromHost));
  const hostView = await waitForTransfer(host.transfers, (v) => v.id === hostOffer && isFinal(v), 30_000);
  assert.equal(hostView.state, 'done');
  const fromAlice = await randomFile(src, 'from-alice.bin', 3 * MIB + 7);
  const aliceOffer = await alice.transfers.offer(fromAlice, { to: you.id });
  const relayed = await old.receiveFile('from-alice.bin');
  assert.deepEqual(relayed, await readFile(fromAlice));
  const aliceView = await waitForTransfer(alice.transfers, (v) => v.id === aliceOffer && isFinal(v), 30_000);
  assert.equal(aliceView.state, 'done');

  assert.deepEqual(old.violations, [], 'nothing a version-1 client would refuse ever reached it');
  assert.equal(host.stats.offenses, 0);
  assert.equal(host.stats.ignoredMessages, 0);
});

/**
 * A version-1 host, played by a proxy in front of a current one: it refuses a hello with any
 * field version 1 did not have (an error frame, then 4000, as version-1 hosts did) and lets a
 * version-1 hello through. The real host then treats the guest as version 1: no features, no rate.
 */
async function version1Host() {
  const [hostInbox, src] = await Promise.all([tempDir(), tempDir()]);
  const host = await startHost({ transfers: { downloadDir: hostInbox, autoAccept: true } });
  const violations: string[] = [];
  const hellos: Array<Record<string, unknown>> = [];
  const proxy = await HostProxy.start(host, {
    hello: (text, guest) => {
      const hello = JSON.parse(text) as Record<string, unknown>;
      hellos.push(hello);
      if (v1Violation(hello, V1_GUEST_FIELDS)) {
        guest.toGuest(
          JSON.stringify({
            type: 'error',
            code: 'invalid-message',
            message: 'The hello message was rejected: it has fields the protocol does not allow.',
          }),
        );
        guest.closeGuest(4000, 'The hello was not valid.');
        return undefined;
      }
      return text;
    },
    fromHost: (text) => {
      const wrong = v1Violation(JSON.parse(text) as Record<string, unknown>, V1_HOST_FIELDS);
      if (wrong) violations.push(`host sent ${wrong}`);
      return [text];
    },
    fromGuest: (text) => {
      const wrong = v1Violation(JSON.parse(text) as Record<string, unknown>, V1_GUEST_FIELDS);
      if (wrong) violations.push(`guest sent ${wrong}`);
      return [text];
    },
  });
  return { host, proxy, hostInbox, src, violations, hellos };
}

test('a current guest joins a version-1 host (features refused, no features or rate in the welcome), chats both ways and moves files both ways', async () => {
  const { host, proxy, hostInbox, src, violations, hellos } = await version1Host();
  const hostSeen = recordEvents(host);
  const aliceInbox = await tempDir();
  const alice = await join(host, 'Alice', { transfers: { downloadDir: aliceInbox, autoAccept: true } }, proxy.invite);
  const warnings: string[] = [];
  alice.on('warning', (w) => warnings.push(w.code));
  assert.equal(alice.state, 'connected');
  assert.deepEqual(
    hellos.map((h) => 'features' in h),
    [true, false],
    'tried with features, then as version 1',
  );

  // Chat both ways; a burst of 40 lines is paced by the version-1 rate (30, 10/s), so none is dropped.
  const block = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
  for (const line of block) alice.send(line);
  await waitFor(host, () => chatTexts(hostSeen).length >= 40, 15_000, 'the 40 lines');
  assert.deepEqual(chatTexts(hostSeen), block);
  host.send('from the version-1 host');
  await waitFor(alice, () => chatTexts(alice.seen).includes('from the version-1 host'));

  // Files both ways, hash verified.
  const up = await randomFile(src, 'up.bin', BIG);
  const upId = await alice.transfers.offer(up);
  const upView = await waitForTransfer(alice.transfers, (v) => v.id === upId && isFinal(v), 30_000);
  assert.equal(upView.state, 'done');
  assert.equal(await sha256File(joinPath(hostInbox, 'up.bin')), await sha256File(up));
  const down = await randomFile(src, 'down.bin', BIG);
  const downId = await host.transfers.offer(down);
  const downView = await waitForTransfer(host.transfers, (v) => v.id === downId && isFinal(v), 30_000);
  assert.equal(downView.state, 'done');
  assert.equal(await sha256File(joinPath(aliceInbox, 'down.bin')), await sha256File(down));

  // After a lost connection it resumes with a version-1 hello at once.
  for (const ws of (proxy as unknown as { links: Set<{ terminate(): void }> }).links) ws.terminate();
  await waitFor(alice, () => hellos.length === 3 && alice.state === 'connected', 10_000, 'the resume');
  assert.equal('features' in hellos[2]!, false);
  assert.ok('resume' in hellos[2]!);

  assert.deepEqual(violations, [], 'nothing but version 1 on the wire, either way');
  assert.deepEqual(warnings, []);
  assert.equal(host.stats.offenses, 0);
  await proxy.close();
});
