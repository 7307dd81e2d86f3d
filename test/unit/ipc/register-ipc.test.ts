// registerIpc as the app uses it, with the handlers captured from a stand-in ipcMain: every call
// is registered once, refused for foreign senders and bad payloads before its handler runs, and
// always answered with a Result (never a rejection), errors carrying a stable code.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES, type CallName, type Result } from '../../../src-preload/contract';
import { UPLOAD_CHUNK_BYTES } from '../../../src-preload/domain-values';
import { createDesktopCore, type DesktopCore } from '../../../src-main/desktop/desktop-core';
import { registerIpc } from '../../../src-main/ipc/register-ipc';
import { createSenderCheck, type InvokeEventLike } from '../../../src-main/ipc/sender-check';
import { PortholeError } from '../../../src-main/wire/errors';
import { ourWindow, recordingHandlers, recordingPlatform, recordingSink, RecordingIpcMain, spyOn, tempConfig } from './ipc-harness';

/** One well-formed argument list per call. */
const VALID: Record<CallName, unknown[]> = {
  'app:snapshot': [],
  'settings:update': [{ displayName: 'Ada', port: 41234, upnp: false }],
  'settings:choose-download-folder': [],
  'settings:reset-download-folder': [],
  'room:host': [{ name: 'Ada' }],
  'room:join': [{ invite: 'porthole://192.0.2.1:41234/f/s', name: 'Ada' }],
  'room:leave': [],
  'room:remove': [{ member: 'member_1', reason: 'Spam.' }],
  'room:revoke-invite': [],
  'room:allow': ['Mallory'],
  'rooms:recent': [],
  'rooms:history': ['0123456789abcdef0123456789abcdef'],
  'rooms:forget': ['0123456789abcdef0123456789abcdef'],
  'chat:send': ['hello'],
  'typing:set': [true],
  'transfer:offer-paths': [{ paths: ['/home/ada/a.txt', '/home/ada/Holiday'], to: ['member_1', 'member_2'] }],
  'transfer:choose-files': [{}],
  'transfer:choose-folder': [{ to: ['member_1'] }],
  'upload:begin': [{ name: 'a.txt', size: 3 }],
  'upload:chunk': [{ uploadId: 'up-1', offset: 0, bytes: new Uint8Array([1, 2, 3]) }],
  'upload:finish': [{ uploadId: 'up-1' }],
  'upload:abort': [{ uploadId: 'up-1' }],
  'upload:offer': [{ uploadIds: ['up-1', 'up-2'], paths: ['/home/ada/a.txt'], to: ['member_1'] }],
  'transfer:accept': ['t_1'],
  'transfer:decline': ['t_1'],
  'transfer:cancel': ['t_1'],
  'transfer:retry': ['7'],
  'transfer:clear-finished': [],
  'transfer:show-in-folder': ['t_1'],
  'clipboard:write': ['porthole://invite'],
  'link:open': ['https://example.com/'],
  'app:set-badge': [3],
};

/** Payloads each call must refuse: wrong types, extra keys, oversized strings, wrong shapes. */
const INVALID: Array<[CallName, unknown[], string]> = [
  ['app:snapshot', [1], 'an argument where none is taken'],
  ['typing:set', ['yes'], 'a string where a boolean is taken'],
  ['settings:update', [{ displayName: 5 }], 'a number for the name'],
  ['settings:update', [{ displayName: 'Ada', admin: true }], 'an extra key'],
  ['settings:update', [{ port: 70000 }], 'a port above 65535'],
  ['settings:update', [{ port: 1.5 }], 'a fractional port'],
  ['settings:update', [{ upnp: 'yes' }], 'a string for a boolean'],
  ['settings:update', [], 'no argument'],
  ['settings:update', ['displayName=Ada'], 'a string for the patch'],
  ['settings:choose-download-folder', ['/etc'], 'a folder named by the window'],
  ['settings:reset-download-folder', [{}], 'an argument where none is taken'],
  ['room:host', [{ name: 'x'.repeat(129) }], 'an oversized name'],
  ['room:host', [JSON.parse('{"name":"Ada","__proto__":{"polluted":true}}')], 'an own __proto__ key'],
  ['room:host', [null], 'null for the request'],
  ['room:join', [{ invite: 'x'.repeat(4097), name: 'Ada' }], 'an oversized invite'],
  ['room:join', [{ invite: 'porthole://x', name: ['Ada'] }], 'an array for the name'],
  ['room:leave', ['now'], 'an argument where none is taken'],
  ['room:host', [{ name: 'Ada', recent: '../../etc/passwd' }], 'a recent room key that is a path'],
  ['room:join', [{ invite: '', name: 'Ada', recent: 'ABC' }], 'a malformed recent room key'],
  ['room:remove', [{ member: 'not a member id!' }], 'a malformed member id'],
  ['room:remove', [{ member: 'member_1', reason: 'x'.repeat(801) }], 'an oversized reason'],
  ['room:revoke-invite', [{}], 'an argument where none is taken'],
  ['room:allow', [''], 'an empty name'],
  ['rooms:history', ['../settings'], 'a path for the key'],
  ['rooms:forget', [42], 'a number for the key'],
  ['rooms:recent', ['all'], 'an argument where none is taken'],
  ['chat:send', [42], 'a number for the text'],
  ['chat:send', ['x'.repeat(16_001)], 'oversized text'],
  ['chat:send', [], 'no text'],
  ['transfer:offer-paths', [{ paths: [] }], 'no paths'],
  ['transfer:offer-paths', [{ paths: [''] }], 'an empty path'],
  ['transfer:offer-paths', [{ paths: '/etc/passwd' }], 'a string for the list'],
  ['transfer:offer-paths', [{ paths: Array.from({ length: 1001 }, (_, i) => `/f${i}`) }], 'too many paths'],
  ['transfer:offer-paths', [{ paths: ['/a'], to: ['not a member id!'] }], 'a malformed member id'],
  ['transfer:offer-paths', [{ paths: ['/a'], to: 'member_1' }], 'one member id instead of a list'],
  ['transfer:offer-paths', [{ paths: ['/a'], to: [] }], 'an empty list of recipients'],
  ['transfer:offer-paths', [{ paths: ['/a'], to: ['member_1', 'member_1'] }], 'a member named twice'],
  ['transfer:offer-paths', [{ paths: ['/a'], to: Array.from({ length: 65 }, (_, i) => `member_${i}`) }], 'more than 64 recipients'],
  ['transfer:choose-files', [{ to: 5 }], 'a number for the member'],
  ['transfer:choose-folder', [{ to: ['../../etc'] }], 'a path for a member id'],
  ['transfer:choose-folder', [{ path: '/etc' }], 'a folder named by the window'],
  ['upload:begin', [{ name: '', size: 1 }], 'an empty name'],
  ['upload:begin', [{ name: 'a', size: -1 }], 'a negative size'],
  ['upload:begin', [{ name: 'a', size: '3' }], 'a string for the size'],
  ['upload:begin', [{ name: 'x'.repeat(1025), size: 1 }], 'an oversized name'],
  ['upload:begin', [{ name: 'a', size: 1, to: 'member_1' }], 'a recipient (upload:offer names them)'],
  ['upload:chunk', [{ uploadId: 'up-1', offset: 0, bytes: [1, 2, 3] }], 'an array instead of a Uint8Array'],
  ['upload:chunk', [{ uploadId: 'up-1', offset: 0, bytes: new Uint16Array(2) }], 'a Uint16Array'],
  ['upload:chunk', [{ uploadId: 'up-1', offset: 0, bytes: new ArrayBuffer(3) }], 'a bare ArrayBuffer'],
  ['upload:chunk', [{ uploadId: 'up-1', offset: 0, bytes: 'AQID' }], 'a base64 string'],
  ['upload:chunk', [{ uploadId: 'up-1', offset: 0, bytes: new Uint8Array(UPLOAD_CHUNK_BYTES + 1) }], 'a piece over 1 MiB'],
  ['upload:chunk', [{ uploadId: 'up-1', offset: -1, bytes: new Uint8Array(1) }], 'a negative offset'],
  ['upload:finish', [{ uploadId: '../../etc' }], 'a path for the upload id'],
  ['upload:abort', [{}], 'no upload id'],
  ['upload:offer', [{ uploadIds: [], paths: [] }], 'nothing to offer'],
  ['upload:offer', [{ uploadIds: ['../../etc'], paths: [] }], 'a path for an upload id'],
  ['upload:offer', [{ uploadIds: ['up-1'] }], 'no list of paths'],
  [
    'upload:offer',
    [{ uploadIds: Array.from({ length: 600 }, (_, i) => `up-${i}`), paths: Array.from({ length: 401 }, (_, i) => `/f${i}`) }],
    'more than 1,000 items',
  ],
  ['transfer:accept', ['../../etc/passwd'], 'a path for the id'],
  ['transfer:accept', [''], 'an empty id'],
  ['transfer:decline', ['x'.repeat(65)], 'an oversized id'],
  ['transfer:cancel', [7], 'a number for the id'],
  ['transfer:retry', ['../7'], 'a path for the id'],
  ['transfer:retry', [], 'no id'],
  ['transfer:clear-finished', [['7']], 'a list of ids (it forgets every finished one)'],
  ['transfer:show-in-folder', ['/home/ada/secret.txt'], 'a path for the id'],
  ['clipboard:write', ['x'.repeat(16_385)], 'oversized text'],
  ['link:open', [`https://example.com/${'x'.repeat(2048)}`], 'an oversized URL'],
  ['link:open', [{ href: 'https://example.com/' }], 'an object for the URL'],
  ['app:set-badge', [-1], 'a negative count'],
  ['app:set-badge', [10_000], 'a count above 9999'],
  ['app:set-badge', [1.5], 'a fractional count'],
  ['app:set-badge', ['3'], 'a string for the count'],
];

/** Asserts a refusal with `code` and a message a person can read (a sentence). */
function assertRefused(result: Result<unknown>, code: string): void {
  assert.equal(result.ok, false, `expected a refusal with ${code}, got ${JSON.stringify(result)}`);
  if (result.ok) return;
  assert.equal(result.error.code, code);
  assert.deepEqual(Object.keys(result.error).sort(), ['code', 'message']);
  // toAppError ends an internal error with the thrown text, so only its start is a sentence.
  assert.match(result.error.message, code === 'internal' ? /^[A-Z].{10,}/s : /^[A-Z].{10,}[.!?]$/s, 'the message is a sentence');
}

describe('registerIpc wiring', () => {
  test('registers every contract call exactly once, and the returned function removes each of them', () => {
    const ipc = new RecordingIpcMain();
    const { handlers } = recordingHandlers();
    const unregister = registerIpc(ipc, handlers, ourWindow().check);
    assert.deepEqual([...ipc.handled].sort(), [...CALL_NAMES].sort());
    assert.equal(new Set(ipc.handled).size, ipc.handled.length, 'no channel registered twice');
    assert.deepEqual(ipc.removed, []);

    unregister();
    assert.deepEqual([...ipc.removed].sort(), [...CALL_NAMES].sort());
    assert.equal(ipc.handlers.size, 0);
    // Electron refuses a second handler on a channel; after removal registering again works.
    assert.doesNotThrow(() => registerIpc(ipc, handlers, ourWindow().check));
  });

  test('the tables below cover every call', () => {
    assert.deepEqual(Object.keys(VALID).sort(), [...CALL_NAMES].sort());
    assert.deepEqual([...new Set(INVALID.map(([c]) => c))].sort(), [...CALL_NAMES].sort());
  });
});

describe('registerIpc with recording handlers', () => {
  let ipc: RecordingIpcMain;
  let window: ReturnType<typeof ourWindow>;
  let recorded: ReturnType<typeof recordingHandlers>;

  beforeEach(() => {
    ipc = new RecordingIpcMain();
    window = ourWindow();
    recorded = recordingHandlers();
    registerIpc(ipc, recorded.handlers, window.check);
  });

  test('a well-formed call from our page reaches its handler with the parsed arguments and answers {ok, data}', async () => {
    for (const channel of CALL_NAMES) {
      const result = await ipc.invoke(channel, window.fromPage(), ...VALID[channel]);
      assert.deepEqual(result, { ok: true, data: { echoed: VALID[channel] } }, channel);
    }
    assert.deepEqual(
      recorded.calls.map((c) => c.channel),
      [...CALL_NAMES],
    );
    // The handler gets the schema's copy, not the object the window sent.
    const patch = { displayName: 'Ada' };
    await ipc.invoke('settings:update', window.fromPage(), patch);
    assert.notEqual(recorded.calls.at(-1)?.args[0], patch);
    assert.deepEqual(recorded.calls.at(-1)?.args, [patch]);
  });

  test('our page at another route of the same document (query, fragment) is still ours', async () => {
    const result = await ipc.invoke('chat:send', window.fromPage('app://porthole/index.html?tab=files#/room'), 'hi');
    assert.equal(result.ok, true);
  });

  const foreign: Array<[string, (w: ReturnType<typeof ourWindow>) => InvokeEventLike]> = [
    [
      'another web contents (same shape, different object)',
      (w) => ({ sender: { ...w.webContents }, senderFrame: { url: 'app://porthole/index.html', parent: null } }),
    ],
    [
      'an iframe inside our page',
      (w) => ({
        sender: w.webContents,
        senderFrame: { url: 'app://porthole/index.html', parent: { url: 'app://porthole/index.html', parent: null } },
      }),
    ],
    [
      'our frame after navigating to a web site',
      (w) => ({ sender: w.webContents, senderFrame: { url: 'https://evil.example/index.html', parent: null } }),
    ],
    ['our frame after navigating to a file', (w) => ({ sender: w.webContents, senderFrame: { url: 'file:///index.html', parent: null } })],
    ['our frame on another app:// host', (w) => ({ sender: w.webContents, senderFrame: { url: 'app://evil/index.html', parent: null } })],
    [
      'our frame on another page of our origin',
      (w) => ({ sender: w.webContents, senderFrame: { url: 'app://porthole/other.html', parent: null } }),
    ],
    ['a frame with no URL yet', (w) => ({ sender: w.webContents, senderFrame: { url: '', parent: null } })],
    ['a null senderFrame (frame gone)', (w) => ({ sender: w.webContents, senderFrame: null })],
    ['an undefined senderFrame', (w) => ({ sender: w.webContents, senderFrame: undefined })],
  ];

  for (const [label, event] of foreign) {
    test(`every call from ${label} is refused with not-allowed and no handler runs`, async () => {
      for (const channel of CALL_NAMES) {
        assertRefused(await ipc.invoke(channel, event(window), ...VALID[channel]), 'not-allowed');
      }
      assert.deepEqual(recorded.calls, []);
    });
  }

  test('calls made once our window is gone are refused', async () => {
    const gone = new RecordingIpcMain();
    const { webContents, fromPage } = ourWindow();
    let window: { webContents: unknown; pageUrl: string } | undefined = { webContents, pageUrl: 'app://porthole/index.html' };
    registerIpc(
      gone,
      recorded.handlers,
      createSenderCheck(() => window),
    );
    assert.equal((await gone.invoke('chat:send', fromPage(), 'hi')).ok, true);
    window = undefined;
    assertRefused(await gone.invoke('chat:send', fromPage(), 'hi'), 'not-allowed');
    assert.equal(recorded.calls.length, 1);
  });

  for (const [channel, args, what] of INVALID) {
    test(`${channel} with ${what} answers invalid-request and its handler never runs`, async () => {
      const result = await ipc.invoke(channel, window.fromPage(), ...args);
      assertRefused(result, 'invalid-request');
      assert.deepEqual(recorded.calls, []);
    });
  }

  test('one argument too many is refused for every call', async () => {
    for (const channel of CALL_NAMES) {
      assertRefused(await ipc.invoke(channel, window.fromPage(), ...VALID[channel], 'extra'), 'invalid-request');
    }
    assert.deepEqual(recorded.calls, []);
  });

  test('the refusal says where the payload was wrong', async () => {
    const result = await ipc.invoke('settings:update', window.fromPage(), { displayName: 5 });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /displayName/);
  });
});

describe('registerIpc turns thrown errors into Results', () => {
  const throwing = (thrown: () => unknown) => {
    const ipc = new RecordingIpcMain();
    const window = ourWindow();
    const { handlers } = recordingHandlers({
      'chat:send': () => {
        throw thrown();
      },
      'room:leave': () => Promise.reject(thrown()),
    });
    registerIpc(ipc, handlers, window.check);
    return (channel: 'chat:send' | 'room:leave') => ipc.invoke(channel, window.fromPage(), ...VALID[channel]);
  };

  test("a PortholeError answers its own code and message, as a plain object that survives IPC's structured clone", async () => {
    const call = throwing(() => new PortholeError('busy', 'You are already in a room. Leave it first.'));
    for (const channel of ['chat:send', 'room:leave'] as const) {
      const result = await call(channel);
      assert.deepEqual(result, { ok: false, error: { code: 'busy', message: 'You are already in a room. Leave it first.' } });
      assert.equal(Object.getPrototypeOf(result.ok ? null : result.error), Object.prototype);
      assert.deepEqual(structuredClone(result), result);
    }
  });

  test('a plain Error, a string or undefined answers code internal with a sentence', async () => {
    for (const thrown of [() => new TypeError('x is not a function'), () => 'a string', () => undefined]) {
      const call = throwing(thrown);
      for (const channel of ['chat:send', 'room:leave'] as const) {
        const result = await call(channel);
        assertRefused(result, 'internal');
        assert.deepEqual(structuredClone(result), result);
      }
    }
  });

  test('a call whose sender check itself throws is refused, not rejected', async () => {
    const ipc = new RecordingIpcMain();
    const { webContents } = ourWindow();
    const { handlers, calls } = recordingHandlers();
    registerIpc(
      ipc,
      handlers,
      createSenderCheck(() => ({ webContents, pageUrl: 'app://porthole/index.html' })),
    );
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    const result = await ipc
      .invoke('chat:send', { sender: webContents, senderFrame: disposed }, 'hi')
      .catch((err: unknown) => ({ rejected: err }));
    assert.ok(!('rejected' in result), 'the call rejected instead of answering a Result');
    assertRefused(result, 'not-allowed');
    assert.deepEqual(calls, []);
  });
});

describe('registerIpc with the real desktop core', () => {
  let config: Awaited<ReturnType<typeof tempConfig>>;
  let core: DesktopCore;
  let ipc: RecordingIpcMain;
  let window: ReturnType<typeof ourWindow>;
  let spy: ReturnType<typeof spyOn>;
  let platform: ReturnType<typeof recordingPlatform>;

  beforeEach(async () => {
    config = await tempConfig();
    platform = recordingPlatform();
    core = createDesktopCore({
      configDir: config.configDir,
      platform: platform.platform,
      sink: recordingSink().sink,
      listenHost: '127.0.0.1',
    });
    spy = spyOn(core.handlers);
    ipc = new RecordingIpcMain();
    window = ourWindow();
    registerIpc(ipc, spy.handlers, window.check);
  });

  afterEach(async () => {
    await core.shutdown();
    await config.remove();
  });

  test('a foreign sender cannot open links, write the clipboard or change settings', async () => {
    const iframe: InvokeEventLike = { sender: window.webContents, senderFrame: { url: 'app://porthole/index.html', parent: {} } };
    assertRefused(await ipc.invoke('link:open', iframe, 'https://example.com/'), 'not-allowed');
    assertRefused(await ipc.invoke('clipboard:write', iframe, 'text'), 'not-allowed');
    assertRefused(await ipc.invoke('settings:update', iframe, { displayName: 'Mallory' }), 'not-allowed');
    assert.deepEqual(spy.calls, []);
    assert.deepEqual(platform.calls.openExternal, []);
    assert.deepEqual(platform.calls.copyText, []);
  });

  test('invalid payloads never reach the real handlers', async () => {
    for (const [channel, args] of INVALID) assertRefused(await ipc.invoke(channel, window.fromPage(), ...args), 'invalid-request');
    assert.deepEqual(spy.calls, []);
    assert.deepEqual(platform.calls, { chooseFolder: [], chooseFiles: 0, showInFolder: [], openExternal: [], copyText: [] });
  });

  test("a handler's PortholeError comes back as its code: a bad display name is name-invalid", async () => {
    const result = await ipc.invoke('settings:update', window.fromPage(), { displayName: 'Ada\u202Eevil' });
    assertRefused(result, 'name-invalid');
    assert.equal(spy.calls.length, 1, 'the schema let it through; the handler refused it');
  });
});
