// The Electron shell (src-main/app/app-shell.ts) on recorded stand-ins for Electron's objects,
// with the real desktop core, IPC handlers and files behind it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_NAMES } from '../../../src-preload/contract';
import { PAGE_URL } from '../../../src-main/app/app-protocol';
import { startShell, type Shell } from '../../../src-main/app/app-shell';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/desktop/content-security-policy';
import { fakeElectron, FakeEvent, type FakeElectron } from './fake-electron';

const INVITE = `porthole://192.168.1.5:41234/${'A'.repeat(43)}/${'B'.repeat(42)}A`;

/** A shell on stand-ins, with a temp config folder and a small renderer bundle of real files. */
async function started(
  t: { after(fn: () => Promise<void>): void },
  options: { lock?: boolean; argv?: string[]; isPackaged?: boolean } = {},
) {
  const home = await mkdtemp(join(tmpdir(), 'porthole-shell-'));
  const configDir = join(home, 'config');
  const distDir = join(home, 'dist');
  await mkdir(configDir, { recursive: true });
  await mkdir(join(distDir, 'renderer'), { recursive: true });
  await writeFile(join(configDir, 'settings.json'), JSON.stringify({ upnp: false }));
  await writeFile(join(distDir, 'renderer', 'index.html'), '<!doctype html><title>Porthole</title>');
  await writeFile(join(distDir, 'renderer', 'secret.txt'), 'not for the page');
  const fake = fakeElectron({ lock: options.lock, isPackaged: options.isPackaged });
  const shell = startShell(fake.electron, {
    distDir,
    configDir,
    platform: 'linux',
    logToFile: false,
    defaultApp: false,
    execPath: '/opt/Porthole/porthole',
    argv: options.argv ?? ['/opt/Porthole/porthole'],
  });
  t.after(async () => {
    await shell.core()?.shutdown();
    await rm(home, { recursive: true, force: true });
  });
  return { fake, shell, distDir };
}

/** Calls an IPC channel as our window's top frame does. */
function invokeFromWindow(fake: FakeElectron, shell: Shell, channel: string, ...args: unknown[]) {
  const window = shell.window();
  assert.ok(window, 'the window is open');
  return fake.ipcMain.invoke(channel, { sender: window.webContents, senderFrame: { url: PAGE_URL, parent: null } }, ...args);
}

const before = (log: string[], a: string, b: string) => {
  const i = log.indexOf(a);
  const j = log.indexOf(b);
  assert.ok(i !== -1 && j !== -1 && i < j, `${a} comes before ${b} in:\n${log.join('\n')}`);
};

test('before ready: the single-instance lock, the privileged app:// scheme and the link handler; no window yet', async (t) => {
  const { fake } = await started(t);
  assert.deepEqual(fake.log, [
    'app.requestSingleInstanceLock',
    'protocol.registerSchemesAsPrivileged',
    'app.setAsDefaultProtocolClient',
    'app.whenReady',
  ]);
  assert.deepEqual(fake.privileged, [{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  assert.deepEqual(fake.protocolClients, [['porthole']], 'a packaged app registers itself');
  assert.deepEqual(fake.app.listenerCount('open-url'), 1, 'open-url is listened to before ready (macOS launch links)');
});

test('onReady in order: app:// handler and guards, menu, IPC for every call, then the window on app://porthole/', async (t) => {
  const { fake, shell } = await started(t);
  await fake.fireReady();
  const log = fake.log;
  before(log, 'protocol.registerSchemesAsPrivileged', 'ready');
  before(log, 'ready', 'protocol.handle app');
  before(log, 'session.setPermissionRequestHandler', 'new BrowserWindow');
  before(log, 'Menu.setApplicationMenu', 'new BrowserWindow');
  before(log, 'new BrowserWindow', `window.loadURL ${PAGE_URL}`);
  assert.deepEqual([...fake.ipcMain.handled].sort(), [...CALL_NAMES].sort(), 'every call of the contract has its handler');
  assert.equal(fake.windows.length, 1);
  assert.equal(shell.window(), fake.windows[0] as unknown);
  fake.windows[0]!.emit('ready-to-show');
  assert.equal(fake.windows[0]!.shown, 1, 'shown once ready');
});

test('the window is hardened: sandbox, isolation, no Node, web security, no webviews, minimum size', async (t) => {
  const { fake } = await started(t);
  await fake.fireReady();
  const options = fake.windows[0]!.options as {
    webPreferences: Record<string, unknown>;
    minWidth: number;
    minHeight: number;
    show: boolean;
  };
  const prefs = options.webPreferences;
  assert.match(String(prefs.preload), /preload[/\\]preload\.cjs$/);
  assert.deepEqual(
    { ...prefs, preload: undefined },
    {
      preload: undefined,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  );
  assert.deepEqual([options.minWidth, options.minHeight, options.show], [720, 480, false]);
});

test('app:// serves the renderer bundle with the CSP, and nothing outside it or of another host', async (t) => {
  const { fake } = await started(t);
  await fake.fireReady();
  const handle = fake.protocolHandlers.get('app');
  assert.ok(handle);
  const page = await handle(new Request(PAGE_URL));
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await page.text(), /<title>Porthole<\/title>/);
  for (const url of [
    'app://porthole/secret.txt',
    'app://porthole/../config/settings.json',
    'app://elsewhere/index.html',
    'app://porthole/none.js',
  ]) {
    assert.equal((await handle(new Request(url))).status, 404, url);
  }
});

test('guards: new windows denied (web links go to the browser), navigation, redirects and webviews prevented', async (t) => {
  const { fake } = await started(t);
  await fake.fireReady();
  const contents = fake.windows[0]!.webContents;
  assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://example.org/a' }), { action: 'deny' });
  assert.deepEqual(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' }), { action: 'deny' });
  const navigation = new FakeEvent('http://example.org/b');
  contents.emit('will-navigate', navigation, 'ignored: deprecated argument');
  assert.equal(navigation.defaultPrevented, true);
  const toApp = new FakeEvent('javascript:alert(1)');
  contents.emit('will-navigate', toApp);
  assert.equal(toApp.defaultPrevented, true);
  for (const name of ['will-redirect', 'will-attach-webview']) {
    const event = new FakeEvent();
    contents.emit(name, event);
    assert.equal(event.defaultPrevented, true, name);
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(fake.opened, ['https://example.org/a', 'http://example.org/b'], 'only the web links were opened, in the browser');
});

test('permissions: notifications only, asked or checked', async (t) => {
  const { fake } = await started(t);
  await fake.fireReady();
  const answers: Record<string, boolean> = {};
  for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
    fake.permission.request?.({}, permission, (granted) => (answers[permission] = granted));
  }
  assert.deepEqual(answers, { notifications: true, media: false, geolocation: false, 'clipboard-read': false, openExternal: false });
  assert.equal(fake.permission.check?.({}, 'notifications'), true);
  assert.equal(fake.permission.check?.({}, 'media'), false);
});

test('IPC from our window reaches the real core; a call from another frame is refused', async (t) => {
  const { fake, shell } = await started(t);
  await fake.fireReady();
  const snapshot = await invokeFromWindow(fake, shell, 'app:snapshot');
  assert.equal(snapshot.ok, true);
  const copied = await invokeFromWindow(fake, shell, 'clipboard:write', 'hello');
  assert.deepEqual(copied, { ok: true, data: null });
  assert.ok(fake.log.includes('clipboard.writeText hello'));
  const window = shell.window()!;
  const foreign = await fake.ipcMain.invoke('app:snapshot', {
    sender: window.webContents,
    senderFrame: { url: 'https://evil.example/', parent: null },
  });
  assert.equal(foreign.ok, false);
});

test('the single-instance lock taken by another instance: quit, nothing else set up', async (t) => {
  const { fake, shell } = await started(t, { lock: false });
  assert.equal(shell.primary, false);
  assert.deepEqual(fake.log, ['app.requestSingleInstanceLock', 'app.quit']);
});

test('a second instance brings the window forward', async (t) => {
  const { fake } = await started(t);
  await fake.fireReady();
  const window = fake.windows[0]!;
  window.minimized = true;
  fake.app.emit('second-instance', new FakeEvent(), ['/opt/Porthole/porthole'], '/home/me');
  assert.deepEqual([window.restored, window.focused], [1, 1]);
  assert.deepEqual(window.webContents.sent, [], 'no link, nothing for the page');
});

test('deep link at launch (argv): the first snapshot carries the invite, once', async (t) => {
  const { fake, shell } = await started(t, { argv: ['/opt/Porthole/porthole', '--no-sandbox', INVITE] });
  await fake.fireReady();
  const first = await invokeFromWindow(fake, shell, 'app:snapshot');
  assert.equal(first.ok && (first.data as { openInvite?: string }).openInvite, INVITE);
  const second = await invokeFromWindow(fake, shell, 'app:snapshot');
  assert.equal(second.ok && (second.data as { openInvite?: string }).openInvite, undefined, 'handed over once');
});

test('deep link from a second instance (Windows, Linux): window forward, app:open-invite pushed', async (t) => {
  const { fake, shell } = await started(t);
  await fake.fireReady();
  await invokeFromWindow(fake, shell, 'app:snapshot'); // the page listens from its snapshot call on
  const window = fake.windows[0]!;
  fake.app.emit('second-instance', new FakeEvent(), ['/opt/Porthole/porthole', '--original-process-start-time=1', INVITE], '/');
  assert.deepEqual(window.webContents.sent, [{ channel: 'app:open-invite', payload: { invite: INVITE } }]);
  assert.equal(window.focused, 1);
});

test('deep link by open-url (macOS), before and after ready', async (t) => {
  const { fake, shell } = await started(t);
  const early = new FakeEvent();
  fake.app.emit('open-url', early, INVITE);
  assert.equal(early.defaultPrevented, true, 'handled, as Electron asks');
  await fake.fireReady();
  const snapshot = await invokeFromWindow(fake, shell, 'app:snapshot');
  assert.equal(snapshot.ok && (snapshot.data as { openInvite?: string }).openInvite, INVITE, 'the launch link waits for the page');
  const later = new FakeEvent();
  fake.app.emit('open-url', later, ` ${INVITE} `);
  assert.deepEqual(fake.windows[0]!.webContents.sent, [{ channel: 'app:open-invite', payload: { invite: INVITE } }]);
});

test('a porthole:// link that is not an invite is ignored', async (t) => {
  const { fake, shell } = await started(t, { argv: ['/opt/Porthole/porthole', 'porthole://nothing-here'] });
  await fake.fireReady();
  const snapshot = await invokeFromWindow(fake, shell, 'app:snapshot');
  assert.equal(snapshot.ok && (snapshot.data as { openInvite?: string }).openInvite, undefined);
  fake.app.emit('open-url', new FakeEvent(), 'porthole://192.168.1.5:41234/short/short');
  fake.app.emit('second-instance', new FakeEvent(), ['porthole', 'porthole://x:99999/a/b'], '/');
  assert.deepEqual(fake.windows[0]!.webContents.sent, []);
  assert.equal(shell.core()?.openInvite('https://example.org/'), false);
});

test('quitting waits for the core to shut down, then quits; closing the window quits', async (t) => {
  const { fake } = await started(t);
  await fake.fireReady();
  const quit = new FakeEvent();
  fake.app.emit('before-quit', quit);
  assert.equal(quit.defaultPrevented, true, 'held for the shutdown');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(fake.app.quits, 1, 'then quit for real');
  const final = new FakeEvent();
  fake.app.emit('before-quit', final);
  assert.equal(final.defaultPrevented, false, 'the second quit passes');
  fake.app.emit('window-all-closed');
  assert.equal(fake.app.quits, 2);
});
