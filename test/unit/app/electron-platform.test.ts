import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenDialogOptions } from 'electron';
import { electronPlatform } from '../../../src-main/app/electron-platform';
import type { ElectronModules } from '../../../src-main/app/electron-modules';

/** Electron's dialog module, recording what each picker was asked and answering with a path. */
function platformWithDialog() {
  const asked: OpenDialogOptions[] = [];
  const dialog = {
    showOpenDialog: async (options: OpenDialogOptions) => {
      asked.push(options);
      return { canceled: false, filePaths: ['/picked'] };
    },
  };
  const electron = { dialog } as unknown as ElectronModules;
  return { platform: electronPlatform(electron, () => undefined), asked };
}

test('the folder picker says what it is for: where files go, or a folder to send (no New Folder button then)', async () => {
  const { platform, asked } = platformWithDialog();
  assert.equal(await platform.chooseFolder('/home/me'), '/picked');
  assert.equal(await platform.chooseFolder('/home/me', 'send'), '/picked');
  assert.deepEqual(asked, [
    { title: 'Save received files in', defaultPath: '/home/me', properties: ['openDirectory', 'createDirectory'] },
    { title: 'Send a folder', defaultPath: '/home/me', properties: ['openDirectory'] },
  ]);
});
