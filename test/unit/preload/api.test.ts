// createApi from source, over a test transport: offerFiles' one offer per drop, and the failure paths of its uploads.
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

test('a refused upload:begin answers its error and sends no pieces', async () => {
  const { api, channels } = transport({ 'upload:begin': () => ({ ok: false, error: busy }) });
  const result = await api.offerFiles([new File(['abc'], 'a.txt')]);
  assert.deepEqual(result, { ok: false, error: busy });
  assert.deepEqual(channels(), ['upload:begin']);
});

test('a refused piece aborts the upload and stops sending; nothing is offered', async () => {
  const refusal = { code: 'invalid-request', message: 'A piece of the file arrived out of order, so adding it was stopped. Try again.' };
  const { api, invoked, channels } = transport({ ...begun, 'upload:chunk': () => ({ ok: false, error: refusal }) });
  const result = await api.offerFiles([new File([new Uint8Array(3 * UPLOAD_CHUNK_BYTES)], 'big.bin')]);
  assert.deepEqual(result, { ok: false, error: refusal });
  assert.deepEqual(channels(), ['upload:begin', 'upload:chunk', 'upload:abort']);
  assert.deepEqual(invoked.at(-1)?.args, [{ uploadId: 'up-1' }]);
});

test('a refused upload:finish drops the files kept aside so far; the drop answers that error', async () => {
  let begun = 0;
  let finished = 0;
  const { api, invoked, channels } = transport({
    'upload:begin': () => ({ ok: true, data: { uploadId: `up-${++begun}` } }),
    'upload:finish': () => (finished++ === 1 ? { ok: false, error: busy } : { ok: true, data: null }),
  });
  const result = await api.offerFiles([new File(['a'], 'a.txt'), new File(['b'], 'b.txt'), new File(['c'], 'c.txt')]);
  assert.deepEqual(result, { ok: false, error: busy });
  assert.deepEqual(channels(), [
    'upload:begin',
    'upload:chunk',
    'upload:finish',
    'upload:begin',
    'upload:chunk',
    'upload:finish',
    'upload:abort',
  ]);
  assert.deepEqual(invoked.at(-1)?.args, [{ uploadId: 'up-1' }], 'the first, kept aside, is dropped');
});

test('an empty file is begun and finished with no pieces, then offered', async () => {
  const { api, invoked, channels } = transport({ ...begun, 'upload:offer': () => ({ ok: true, data: { transferId: '3' } }) });
  const result = await api.offerFiles([new File([], 'empty.txt')]);
  assert.deepEqual(result, { ok: true, data: { transferId: '3' } });
  assert.deepEqual(channels(), ['upload:begin', 'upload:finish', 'upload:offer']);
  assert.deepEqual(invoked.at(-1)?.args, [{ uploadIds: ['up-1'], paths: [] }]);
});

test('when offering by path is refused, the drop answers that error', async () => {
  const onDisk = new File(['a'], 'a.txt');
  const notConnected = { code: 'not-connected', message: 'You are not in a room. Host one or join one first.' };
  const { api, channels } = transport(
    { 'transfer:offer-paths': () => ({ ok: false, error: notConnected }) },
    new Map([[onDisk, '/x/a.txt']]),
  );
  const result = await api.offerFiles([onDisk]);
  assert.deepEqual(result, { ok: false, error: notConnected });
  assert.deepEqual(channels(), ['transfer:offer-paths']);
});

test('recipients are passed on as a list; an empty list or a non-list means the whole room', async () => {
  const onDisk = new File(['a'], 'a.txt');
  const { api, invoked } = transport({}, new Map([[onDisk, '/x/a.txt']]));
  await api.offerFiles([onDisk], ['m1', 'm2']);
  await api.offerFiles([onDisk], []);
  await (api.offerFiles as (f: File[], to: unknown) => Promise<unknown>)([onDisk], 'm1');
  await api.chooseFolder(['m1']);
  assert.deepEqual(
    invoked.map((i) => i.args[0]),
    [{ paths: ['/x/a.txt'], to: ['m1', 'm2'] }, { paths: ['/x/a.txt'] }, { paths: ['/x/a.txt'] }, { to: ['m1'] }],
  );
});

test('a file that cannot be read aborts its upload and answers a sentence, without rejecting', async () => {
  const unreadable = {
    name: 'gone.bin',
    size: 10,
    slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError: the file changed on disk')) }),
  } as unknown as File;
  const { api, channels } = transport(begun);
  const result = await api.offerFiles([unreadable]).catch((err: unknown) => ({ rejected: err }));
  assert.ok(!('rejected' in result), 'offerFiles rejected');
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.error.message : '', /^gone\.bin could not be read/);
  assert.deepEqual(channels(), ['upload:begin', 'upload:abort']);
});
