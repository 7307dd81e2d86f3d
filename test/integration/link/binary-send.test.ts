import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { sendBinaryFrame } from '../../../src-main/link/binary-send';
import { createHostIdentity } from '../../../src-main/link/host-identity';
import { allocFrame, hasHeadroom } from '../../../src-main/wire/frame-buffers';

// One-buffer binary sends (src-main/link/binary-send.ts) over real TLS WebSockets: the frames
// written around ws's sender must be the frames ws itself would write, in order with ws's own
// messages, in both directions (a client masks, with the zero mask our client uses).

async function pair() {
  const identity = await createHostIdentity();
  const https = createServer({ cert: identity.certPem, key: identity.keyPem });
  const wss = new WebSocketServer({ server: https, perMessageDeflate: false, maxPayload: 1 << 20 });
  https.listen(0, '127.0.0.1');
  await once(https, 'listening');
  const port = (https.address() as AddressInfo).port;
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`wss://127.0.0.1:${port}/`, {
    rejectUnauthorized: false,
    perMessageDeflate: false,
    maxPayload: 1 << 20,
    generateMask: (mask) => void mask.fill(0),
  });
  await once(client, 'open');
  const [server] = await accepted;
  const close = async () => {
    client.terminate();
    server.terminate();
    wss.close();
    https.close();
  };
  return { client, server, close };
}

/** Everything `ws` receives, as [kind, bytes] in order, until `count` messages came. */
function collect(ws: WebSocket, count: number): Promise<Array<{ binary: boolean; data: Buffer }>> {
  const got: Array<{ binary: boolean; data: Buffer }> = [];
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed ${code}`)));
    ws.on('message', (data: Buffer, binary: boolean) => {
      got.push({ binary, data });
      if (got.length === count) resolve(got);
    });
  });
}

const SIZES = [1, 125, 126, 65535, 65536, 70000, 262160];

function frameOf(size: number, seed: number): Buffer {
  const frame = allocFrame(size);
  for (let i = 0; i < size; i++) frame[i] = (i * 31 + seed) & 0xff;
  return frame;
}

for (const side of ['client', 'server'] as const) {
  test(`${side} → peer: one-buffer frames arrive whole and in order among ws's own messages`, async () => {
    const { client, server, close } = await pair();
    try {
      const [from, to] = side === 'client' ? [client, server] : [server, client];
      const arriving = collect(to, SIZES.length * 2 + 1);
      // Count frames that fell back to ws's own sender: none should.
      let viaWs = 0;
      const wsSend = from.send.bind(from);
      from.send = ((data: unknown, ...rest: unknown[]) => {
        if (Buffer.isBuffer(data) && hasHeadroom(data)) viaWs += 1;
        return (wsSend as (...args: unknown[]) => void)(data, ...rest);
      }) as typeof from.send;
      const sent: Buffer[] = [];
      let done = 0;
      for (const [i, size] of SIZES.entries()) {
        from.send(`text ${i}`);
        const frame = frameOf(size, i);
        sent.push(Buffer.from(frame));
        sendBinaryFrame(from, frame, side === 'client', () => (done += 1));
      }
      from.send(Buffer.from('plain ws binary'));
      const got = await arriving;
      assert.equal(done, SIZES.length);
      assert.equal(viaWs, 0, 'every frame with headroom went out as one buffer');
      for (const [i, size] of SIZES.entries()) {
        assert.deepEqual(got[i * 2], { binary: false, data: Buffer.from(`text ${i}`) });
        const message = got[i * 2 + 1]!;
        assert.ok(message.binary);
        assert.equal(message.data.length, size);
        assert.ok(message.data.equals(sent[i]!), `frame ${i} (${size} bytes) arrived as sent`);
      }
      assert.equal(got.at(-1)!.data.toString(), 'plain ws binary');
    } finally {
      await close();
    }
  });
}

test('a large frame received in pieces has headroom, and the host forwards it as received', async () => {
  const a = await pair();
  const b = await pair();
  try {
    const original = frameOf(262160, 7);
    const copy = Buffer.from(original);
    const atHost = collect(a.server, 1);
    sendBinaryFrame(a.client, original, true, () => {});
    const [received] = await atHost;
    assert.ok(hasHeadroom(received!.data), 'ws allocated the payload with headroom (patches/ws+8.23.0.patch is applied)');
    const atRecipient = collect(b.client, 2);
    sendBinaryFrame(b.server, received!.data, false, () => {});
    sendBinaryFrame(b.server, received!.data, false, () => {}); // the same buffer to a second recipient, as the relay does
    const forwarded = await atRecipient;
    for (const f of forwarded) assert.ok(f.data.equals(copy));
  } finally {
    await a.close();
    await b.close();
  }
});
