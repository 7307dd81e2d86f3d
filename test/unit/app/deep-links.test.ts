import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { isLink, linkInArgv, registerLinkHandler } from '../../../src-main/app/deep-links';
import { fakeElectron } from './fake-electron';

const LINK = 'porthole://192.168.1.5:41234/fp/secret';

test('the link is found wherever it is among the arguments; none when there is none', () => {
  assert.equal(linkInArgv(['/usr/bin/porthole', LINK]), LINK);
  assert.equal(
    linkInArgv(['C:\\Porthole\\Porthole.exe', '--allow-file-access-from-files', LINK, '--original-process-start-time=13']),
    LINK,
  );
  assert.equal(
    linkInArgv(['electron', '/src/porthole', LINK.toUpperCase().replace('PORTHOLE://', 'Porthole://')])?.startsWith('Porthole://'),
    true,
  );
  assert.equal(linkInArgv(['/usr/bin/porthole', 'porthole://old', LINK]), LINK, 'the last one');
  assert.equal(linkInArgv(['/usr/bin/porthole', '--flag', 'https://example.org']), undefined);
  assert.equal(linkInArgv([]), undefined);
  assert.equal(isLink('porthole:x'), true);
  assert.equal(isLink('portholes://x'), false);
  assert.equal(isLink('xporthole://x'), false);
});

test('packaged: the app registers itself for porthole://', () => {
  const fake = fakeElectron();
  assert.equal(
    registerLinkHandler(fake.electron, { defaultApp: false, execPath: '/opt/Porthole/porthole', argv: ['/opt/Porthole/porthole'] }),
    true,
  );
  assert.deepEqual(fake.protocolClients, [['porthole']]);
});

test('development (electron .): Electron’s program with the app folder, as Electron’s deep-link guide says', () => {
  const fake = fakeElectron();
  registerLinkHandler(fake.electron, { defaultApp: true, execPath: '/x/electron', argv: ['/x/electron', '.'] });
  assert.deepEqual(fake.protocolClients, [['porthole', '/x/electron', [resolve('.')]]]);
  const bare = fakeElectron();
  assert.equal(registerLinkHandler(bare.electron, { defaultApp: true, execPath: '/x/electron', argv: ['/x/electron'] }), false);
  assert.deepEqual(bare.protocolClients, []);
});
