// `npm run dist` cannot run here (electron-builder downloads Electron), so its configuration is
// checked the way electron-builder itself checks it, plus what the app relies on at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from '../../fixtures/built-app';

const require = createRequire(join(REPO, 'package.json'));
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');

const exists = (path: string) =>
  access(join(REPO, path)).then(
    () => true,
    () => false,
  );

test('electron-builder.yml passes electron-builder’s own schema, with the fuses and targets the app needs', async () => {
  const config = await getConfig(REPO, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  assert.equal(config.appId, 'app.porthole.desktop');
  assert.equal(config.productName, 'Porthole');
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  });
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.protocols, [{ name: 'Porthole invite', schemes: ['porthole'] }], 'porthole:// links open the app');
  for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) assert.ok(await exists(icon), `${icon} exists`);

  // A misspelt fuse is refused, so the check above is not a formality.
  await assert.rejects(
    validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, new DebugLogger(false)),
  );
});

test('the packaged files are the built bundles the main process loads', async () => {
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { main: string };
  const config = await getConfig(REPO, null, null);
  // electron-builder normalizes `files` into filter sets.
  const files = (config.files as Array<string | { filter: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
  for (const built of [
    pkg.main,
    'dist/preload/preload.cjs',
    'dist/main/upnp-child.js',
    'dist/renderer/index.html',
    'dist/renderer/icon.png',
  ]) {
    assert.ok(await exists(built), `${built} is built by npm run build`);
    const folder = built.split('/').slice(0, 2).join('/');
    assert.ok(files.includes(`${folder}/**/*`), `${built} is in the packaged files`);
  }
  assert.ok(!files.some((f) => f.startsWith('src') || f.startsWith('test')), 'no sources or tests are packaged');
});
