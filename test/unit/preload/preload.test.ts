// The built preload (dist/preload/preload.cjs) run the way a sandboxed preload runs: in its own
// context where `require` gives 'electron' and nothing else, and no Node globals exist. What it
// hands to contextBridge.exposeInMainWorld is what the page gets as window.porthole.
import { before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import type { PortholeApi } from '../../../src-preload/contract';
import { UPLOAD_CHUNK_BYTES } from '../../../src-preload/domain-values';
import { PRELOAD_BUNDLE, requireBuiltApp } from '../../fixtures/built-app';

/** Every PortholeApi method; the type makes this list fail to compile when the interface changes. */
const API_METHODS = Object.keys({
  snapshot: 1,
  updateSettings: 1,
  chooseDownloadFolder: 1,
  resetDownloadFolder: 1,
  host: 1,
  join: 1,
  leave: 1,
  sendChat: 1,
  offerFiles: 1,
  chooseFiles: 1,
  chooseFolder: 1,
  accept: 1,
  decline: 1,
  cancel: 1,
  retry: 1,
  clearFinished: 1,
  showInFolder: 1,
  copyText: 1,
  openLink: 1,
  setTyping: 1,
  setBadge: 1,
  recentRooms: 1,
  roomHistory: 1,
  forgetRoom: 1,
  removeMember: 1,
  allowMember: 1,
  revokeInvite: 1,
  on: 1,
} satisfies Record<keyof PortholeApi, 1>).sort();

type Answer = (channel: string, args: unknown[]) => Promise<unknown>;

/** A copy in this realm: objects made inside the preload's context have its own prototypes. */
const plain = <T>(value: T): T => structuredClone(value);

/** Stand-ins for the three electron objects the preload may use, recording what it does. */
function fakeElectron() {
  const exposed: Array<{ key: string; api: unknown }> = [];
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners: Array<{ channel: string; listener: (...a: unknown[]) => void }> = [];
  const paths = new Map<unknown, string>();
  let answer: Answer = async () => ({ ok: true, data: null });
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args: plain(args) });
      return answer(channel, args);
    },
    on(channel: string, listener: (...a: unknown[]) => void) {
      listeners.push({ channel, listener });
      return ipcRenderer; // Electron returns the ipcRenderer itself
    },
    removeListener(channel: string, listener: (...a: unknown[]) => void) {
      const at = listeners.findIndex((l) => l.channel === channel && l.listener === listener);
      if (at !== -1) listeners.splice(at, 1);
      return ipcRenderer;
    },
    send: () => assert.fail('the preload must not use ipcRenderer.send'),
    sendSync: () => assert.fail('the preload must not use ipcRenderer.sendSync'),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push({ key, api }) },
    ipcRenderer,
    webUtils: { getPathForFile: (file: unknown) => paths.get(file) ?? '' },
  };
  /** Pushes an event from main as Electron does: (event, payload), the event carrying the sender. */
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.filter((x) => x.channel === channel)) l.listener({ sender: ipcRenderer, ports: [] }, payload);
  };
  return {
    electron,
    ipcRenderer,
    exposed,
    invoked,
    listeners,
    paths,
    emit,
    answerWith: (a: Answer) => {
      answer = a;
    },
  };
}

let bundle: string;
before(async () => {
  requireBuiltApp();
  bundle = await readFile(PRELOAD_BUNDLE, 'utf8');
});

/** Runs the bundle in a fresh context; only 'electron' can be required. */
function loadPreload() {
  const fake = fakeElectron();
  const required: string[] = [];
  const require = (id: string) => {
    required.push(id);
    if (id === 'electron') return fake.electron;
    throw new Error(`Cannot find module '${id}' (only 'electron' is available to a sandboxed preload)`);
  };
  const context = vm.createContext({});
  const wrapper = vm.runInContext(`(function (require, module, exports) {\n${bundle}\n})`, context, { filename: PRELOAD_BUNDLE }) as (
    req: typeof require,
    module: { exports: object },
    exports: object,
  ) => void;
  const module = { exports: {} };
  wrapper(require, module, module.exports);
  assert.equal(fake.exposed.length, 1, 'exposeInMainWorld is called exactly once');
  const api = fake.exposed[0]!.api as PortholeApi;
  return { ...fake, required, api, context };
}

describe('the built preload under a sandbox', () => {
  let preload: ReturnType<typeof loadPreload>;
  beforeEach(() => {
    preload = loadPreload();
  });

  test("requires only 'electron' and needs no Node globals", () => {
    assert.deepEqual([...new Set(preload.required)], ['electron']);
    assert.equal(vm.runInContext('typeof process + typeof Buffer + typeof global', preload.context), 'undefinedundefinedundefined');
  });

  test("exposes 'porthole': exactly the PortholeApi methods, as plain function values", () => {
    assert.equal(preload.exposed[0]!.key, 'porthole');
    const api = preload.api as unknown as Record<string, unknown>;
    assert.deepEqual(Object.getOwnPropertyNames(api).sort(), API_METHODS);
    assert.deepEqual(Object.getOwnPropertySymbols(api), []);
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(api))) {
      assert.equal(typeof descriptor.value, 'function', `${name} is a data property holding a function`);
      assert.equal(descriptor.get, undefined);
    }
  });

  test('no ipcRenderer, invoke, send or electron object is reachable from what is exposed', async () => {
    const { api, ipcRenderer, electron } = preload;
    const forbidden = new Set<unknown>([
      ipcRenderer,
      electron,
      electron.contextBridge,
      electron.webUtils,
      ipcRenderer.invoke,
      ipcRenderer.on,
      ipcRenderer.send,
    ]);
    const record = api as unknown as Record<string, unknown>;
    for (const key of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'electron', 'transport', 'require'])
      assert.equal(record[key], undefined, key);
    for (const value of Object.values(record)) {
      assert.equal(forbidden.has(value), false);
      for (const name of Object.getOwnPropertyNames(value)) {
        assert.equal(forbidden.has((value as unknown as Record<string, unknown>)[name]), false, name);
      }
    }
    // What the functions return is never the raw object either.
    for (const name of API_METHODS.filter((n) => n !== 'on' && n !== 'offerFiles')) {
      const result = await (record[name] as (...a: unknown[]) => Promise<unknown>)('t_1');
      assert.equal(forbidden.has(result), false, name);
    }
    const unsubscribe = api.on('room:status', () => {});
    assert.equal(unsubscribe(), undefined, 'unsubscribing does not hand back ipcRenderer (removeListener returns it)');
  });

  test('each function invokes its own channel with exactly its arguments and resolves with the answer', async () => {
    const { api, invoked, answerWith } = preload;
    answerWith(async (channel, args) => ({ ok: true, data: { channel, args } }));
    const cases: Array<[() => Promise<unknown>, string, unknown[]]> = [
      [() => api.snapshot(), 'app:snapshot', []],
      [() => api.updateSettings({ displayName: 'Ada', upnp: false }), 'settings:update', [{ displayName: 'Ada', upnp: false }]],
      [() => api.chooseDownloadFolder(), 'settings:choose-download-folder', []],
      [() => api.resetDownloadFolder(), 'settings:reset-download-folder', []],
      [() => api.host({ name: 'Ada' }), 'room:host', [{ name: 'Ada' }]],
      [() => api.join({ invite: 'porthole://x', name: 'Ada' }), 'room:join', [{ invite: 'porthole://x', name: 'Ada' }]],
      [() => api.leave(), 'room:leave', []],
      [() => api.sendChat('hi'), 'chat:send', ['hi']],
      [() => api.chooseFiles(), 'transfer:choose-files', [{}]],
      [() => api.chooseFiles(['member_1', 'member_2']), 'transfer:choose-files', [{ to: ['member_1', 'member_2'] }]],
      [() => api.chooseFiles([]), 'transfer:choose-files', [{}]],
      [() => api.chooseFolder(), 'transfer:choose-folder', [{}]],
      [() => api.chooseFolder(['member_1']), 'transfer:choose-folder', [{ to: ['member_1'] }]],
      [() => api.accept('t_1'), 'transfer:accept', ['t_1']],
      [() => api.decline('t_1'), 'transfer:decline', ['t_1']],
      [() => api.cancel('t_1'), 'transfer:cancel', ['t_1']],
      [() => api.retry('7'), 'transfer:retry', ['7']],
      [() => api.clearFinished(), 'transfer:clear-finished', []],
      [() => api.showInFolder('t_1'), 'transfer:show-in-folder', ['t_1']],
      [() => api.copyText('text'), 'clipboard:write', ['text']],
      [() => api.openLink('https://example.com/'), 'link:open', ['https://example.com/']],
    ];
    for (const [call, channel, args] of cases) {
      invoked.length = 0;
      assert.deepEqual(plain(await call()), { ok: true, data: { channel, args } }, channel);
      assert.deepEqual(invoked, [{ channel, args }], channel);
    }
    // Extra arguments from the page are not passed on.
    invoked.length = 0;
    await (api.sendChat as (...a: unknown[]) => Promise<unknown>)('hi', { sneaky: true });
    await (api.leave as (...a: unknown[]) => Promise<unknown>)('now');
    assert.deepEqual(invoked, [
      { channel: 'chat:send', args: ['hi'] },
      { channel: 'room:leave', args: [] },
    ]);
  });

  test('a failed invoke resolves with an internal error instead of rejecting', async () => {
    preload.answerWith(() => Promise.reject(new Error('No handler registered for chat:send')));
    const result = await preload.api.sendChat('hi');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'internal');
      assert.match(result.error.message, /No handler registered/);
    }
  });

  test('on() forwards only the payload, and its unsubscribe removes exactly that listener', () => {
    const { api, listeners, emit } = preload;
    const first: unknown[][] = [];
    const second: unknown[][] = [];
    const offFirst = api.on('room:status', (...args: unknown[]) => void first.push(args));
    api.on('room:status', (...args: unknown[]) => void second.push(args));
    assert.equal(listeners.filter((l) => l.channel === 'room:status').length, 2);
    emit('room:status', { state: 'connected' });
    assert.deepEqual(first, [[{ state: 'connected' }]], 'the event object (which carries ipcRenderer as sender) is not passed on');
    offFirst();
    offFirst(); // a second call is harmless
    assert.equal(listeners.filter((l) => l.channel === 'room:status').length, 1);
    emit('room:status', { state: 'closed' });
    assert.deepEqual(first, [[{ state: 'connected' }]]);
    assert.deepEqual(second, [[{ state: 'connected' }], [{ state: 'closed' }]]);
  });

  test('on() refuses unknown events and non-function listeners without subscribing', () => {
    const { api, listeners } = preload;
    const on = api.on as (event: string, listener: unknown) => () => void;
    // The preload's TypeError comes from its own context, so it is matched by name.
    const typeError = (err: unknown) => (err as Error).name === 'TypeError' && /Porthole event/.test((err as Error).message);
    assert.throws(() => on('not-an-event', () => {}), typeError);
    assert.throws(() => on('__proto__', () => {}), typeError);
    assert.throws(() => on('chat:send', () => {}), typeError, 'a call name is not an event');
    assert.throws(() => on('room:status', 'not a function'), typeError);
    assert.equal(listeners.length, 0);
  });

  test('files with a path on disk are offered by path as one item, in one call', async () => {
    const { api, invoked, paths, answerWith } = preload;
    const a = new File(['a'], 'a.txt');
    const b = new File(['b'], 'Holiday');
    paths.set(a, '/x/a.txt');
    paths.set(b, '/x/Holiday');
    answerWith(async () => ({ ok: true, data: { transferId: 'q1' } }));
    const result = plain(await api.offerFiles([a, b], ['member_1']));
    assert.deepEqual(invoked, [{ channel: 'transfer:offer-paths', args: [{ paths: ['/x/a.txt', '/x/Holiday'], to: ['member_1'] }] }]);
    assert.deepEqual(result, { ok: true, data: { transferId: 'q1' } });
  });

  test('a file with no path is uploaded in pieces of at most 1 MiB carrying its exact bytes, then offered', async () => {
    const { api, invoked, answerWith } = preload;
    const content = new Uint8Array(2 * UPLOAD_CHUNK_BYTES + 12_345).map((_, i) => (i * 13) % 256);
    const file = new File([content], 'dragged.bin');
    answerWith(async (channel) => {
      if (channel === 'upload:begin') return { ok: true, data: { uploadId: 'up-1' } };
      if (channel === 'upload:offer') return { ok: true, data: { transferId: 't-9' } };
      return { ok: true, data: null };
    });
    const result = plain(await api.offerFiles([file]));
    assert.deepEqual(result, { ok: true, data: { transferId: 't-9' } });

    assert.deepEqual(invoked[0], { channel: 'upload:begin', args: [{ name: 'dragged.bin', size: content.length }] });
    assert.deepEqual(invoked.at(-2), { channel: 'upload:finish', args: [{ uploadId: 'up-1' }] });
    assert.deepEqual(invoked.at(-1), { channel: 'upload:offer', args: [{ uploadIds: ['up-1'], paths: [] }] });
    const pieces = invoked.slice(1, -2).map(({ channel, args }) => {
      assert.equal(channel, 'upload:chunk');
      const { uploadId, offset, bytes } = args[0] as { uploadId: string; offset: number; bytes: Uint8Array };
      assert.equal(uploadId, 'up-1');
      assert.equal(Object.prototype.toString.call(bytes), '[object Uint8Array]', 'sent as a Uint8Array');
      assert.ok(bytes.byteLength <= UPLOAD_CHUNK_BYTES);
      return { offset, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    });
    assert.deepEqual(
      pieces.map((p) => p.offset),
      [0, UPLOAD_CHUNK_BYTES, 2 * UPLOAD_CHUNK_BYTES],
    );
    assert.deepEqual(Buffer.concat(pieces.map((p) => p.bytes)), Buffer.from(content));
  });

  test('files with and without a path in one drop are ONE offer: uploads kept aside first, then offered with the paths; junk entries are ignored', async () => {
    const { api, invoked, paths } = preload;
    const onDisk = new File(['a'], 'a.txt');
    paths.set(onDisk, '/x/a.txt');
    const inMemory = new File(['bb'], 'b.txt');
    const alsoInMemory = new File(['c'], 'c.txt');
    let uploads = 0;
    preload.answerWith(async (channel) => {
      if (channel === 'upload:begin') return { ok: true, data: { uploadId: `up-${++uploads}` } };
      if (channel === 'upload:offer') return { ok: true, data: { transferId: '7' } };
      if (channel === 'transfer:offer-paths') return assert.fail('the paths go with the uploads, in one offer');
      return { ok: true, data: null };
    });
    const result = plain(await api.offerFiles([inMemory, 'not a file', null, onDisk, alsoInMemory] as unknown as File[], ['member_1']));
    assert.deepEqual(result, { ok: true, data: { transferId: '7' } });
    assert.deepEqual(
      invoked.map((i) => i.channel),
      ['upload:begin', 'upload:chunk', 'upload:finish', 'upload:begin', 'upload:chunk', 'upload:finish', 'upload:offer'],
    );
    assert.deepEqual(invoked.at(-1)?.args, [{ uploadIds: ['up-1', 'up-2'], paths: ['/x/a.txt'], to: ['member_1'] }]);
  });

  test('an upload that fails drops the ones kept aside before it, and nothing is offered', async () => {
    const { api, invoked } = preload;
    let uploads = 0;
    preload.answerWith(async (channel) => {
      if (channel === 'upload:begin') {
        uploads += 1;
        return uploads === 2
          ? { ok: false, error: { code: 'busy', message: 'Too many files are being added at once; wait for some to finish.' } }
          : { ok: true, data: { uploadId: `up-${uploads}` } };
      }
      return { ok: true, data: null };
    });
    const result = plain(await api.offerFiles([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]));
    assert.deepEqual(result, {
      ok: false,
      error: { code: 'busy', message: 'Too many files are being added at once; wait for some to finish.' },
    });
    assert.deepEqual(
      invoked.map((i) => i.channel),
      ['upload:begin', 'upload:chunk', 'upload:finish', 'upload:begin', 'upload:abort'],
    );
    assert.deepEqual(invoked.at(-1)?.args, [{ uploadId: 'up-1' }]);
  });

  test('an empty drop is refused without calling main', async () => {
    const result = await preload.api.offerFiles([]);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'invalid-request');
    assert.deepEqual(preload.invoked, []);
  });
});
