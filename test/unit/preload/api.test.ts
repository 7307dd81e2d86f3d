// createApi from source, over a test transport: the failure paths of offerFiles' uploads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi, type BridgeTransport } from '../../../src-preload/api';
import { UPLOAD_CHUNK_BYTES } from '../../../src-preload/domain-values';

const busy = { code: 'busy', message: 'Too many files are being added at once; wait for some to finish.' } as const;

/** A transport answering each channel from `answers` (ok/null when absent), recording the calls. */
function transport(answers: Record<string, (args: unknown[]) => unknown> = {}, paths = new Map<unknown, string>()) {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const t: BridgeTransport = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return answers[channel]?.(args) ?? { ok: true, data: null };
    },
    on: () => () => {},
    pathForFile: (file) => paths.get(file) ?? '',
  };
  return { api: createApi(t), invoked, channels: () => invoked.map((i) => i.channel) };
}

const begun = { 'upload:begin': () => ({ ok: true, data: { uploadId: 'up-1' } }) };

test('a refused upload:begin gives that file an error and sends no pieces', async () => {
  const { api, channels } = transport({ 'upload:begin': () => ({ ok: false, error: busy }) });
  const result = await api.offerFiles([new File(['abc'], 'a.txt')]);
  assert.deepEqual(result, { ok: true, data: [{ name: 'a.txt', error: busy }] });
  assert.deepEqual(channels(), ['upload:begin']);
});

test('a refused piece aborts the upload and stops sending', async () => {
  const refusal = { code: 'invalid-request', message: 'A piece of the file arrived out of order, so adding it was stopped. Try again.' };
  const { api, invoked, channels } = transport({ ...begun, 'upload:chunk': () => ({ ok: false, error: refusal }) });
  const result = await api.offerFiles([new File([new Uint8Array(3 * UPLOAD_CHUNK_BYTES)], 'big.bin')]);
  assert.deepEqual(result, { ok: true, data: [{ name: 'big.bin', error: refusal }] });
  assert.deepEqual(channels(), ['upload:begin', 'upload:chunk', 'upload:abort']);
  assert.deepEqual(invoked.at(-1)?.args, [{ uploadId: 'up-1' }]);
});

test('a refused upload:finish gives that file an error; the next file is still sent', async () => {
  let finished = 0;
  const { api, channels } = transport({
    ...begun,
    'upload:finish': () => (finished++ === 0 ? { ok: false, error: busy } : { ok: true, data: { name: 'b.txt', transferId: 't-b' } }),
  });
  const result = await api.offerFiles([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
  assert.deepEqual(result, {
    ok: true,
    data: [
      { name: 'a.txt', error: busy },
      { name: 'b.txt', transferId: 't-b' },
    ],
  });
  assert.deepEqual(channels(), ['upload:begin', 'upload:chunk', 'upload:finish', 'upload:begin', 'upload:chunk', 'upload:finish']);
});

test('an empty file is begun and finished with no pieces', async () => {
  const { api, channels } = transport(begun);
  await api.offerFiles([new File([], 'empty.txt')]);
  assert.deepEqual(channels(), ['upload:begin', 'upload:finish']);
});

test('when offering by path is refused, the whole drop answers that error and nothing is uploaded', async () => {
  const onDisk = new File(['a'], 'a.txt');
  const notConnected = { code: 'not-connected', message: 'You are not in a room. Host one or join one first.' };
  const { api, channels } = transport(
    { 'transfer:offer-paths': () => ({ ok: false, error: notConnected }) },
    new Map([[onDisk, '/x/a.txt']]),
  );
  const result = await api.offerFiles([onDisk, new File(['b'], 'b.txt')]);
  assert.deepEqual(result, { ok: false, error: notConnected });
  assert.deepEqual(channels(), ['transfer:offer-paths']);
});

test('a file that cannot be read gives that file an error and aborts its upload, without rejecting', async () => {
  const unreadable = {
    name: 'gone.bin',
    size: 10,
    slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError: the file changed on disk')) }),
  } as unknown as File;
  const { api, channels } = transport(begun);
  const result = await api.offerFiles([unreadable]).catch((err: unknown) => ({ rejected: err }));
  assert.ok(!('rejected' in result), 'offerFiles rejected');
  assert.equal(result.ok, true);
  assert.deepEqual(channels(), ['upload:begin', 'upload:abort']);
});
