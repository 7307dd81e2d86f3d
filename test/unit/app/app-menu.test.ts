import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, setupMenu } from '../../../src-main/app/app-menu';
import { fakeElectron } from './fake-electron';

/** Every role in a template, depth first. */
function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}
const labels = (items: readonly MenuItemConstructorOptions[]) => items.map((item) => item.label);

for (const isMac of [true, false]) {
  for (const devTools of [true, false]) {
    test(`menu (${isMac ? 'macOS' : 'Windows/Linux'}, ${devTools ? 'unpacked' : 'packaged'}): no reload, DevTools only unpacked, Edit and Window roles`, () => {
      const template = menuTemplate({ appName: 'Porthole', isMac, devTools });
      const all = roles(template);
      assert.ok(!all.includes('reload') && !all.includes('forceReload'), 'no Reload or Force Reload');
      assert.ok(!all.includes('viewMenu'), "not Electron's View menu (it has Reload)");
      assert.equal(all.includes('toggleDevTools'), devTools);
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'minimize', 'windowMenu'])
        assert.ok(all.includes(role), role);
      assert.deepEqual(labels(template), [...(isMac ? ['Porthole'] : []), 'File', 'Edit', 'View', 'Window']);
      if (isMac) {
        for (const role of ['about', 'hide', 'hideOthers', 'unhide', 'quit', 'close']) assert.ok(all.includes(role), role);
      } else {
        assert.ok(all.includes('quit') && !all.includes('about'));
      }
      for (const item of template)
        assert.ok(Array.isArray(item.submenu), `${item.label} is a submenu, as Electron requires at the top level`);
    });
  }
}

test('setupMenu replaces the default menu; DevTools follow app.isPackaged', () => {
  for (const isPackaged of [true, false]) {
    const fake = fakeElectron({ isPackaged });
    setupMenu(fake.electron, 'linux');
    assert.equal(fake.menus.length, 1);
    const all = roles(fake.menus[0]!.template as MenuItemConstructorOptions[]);
    assert.equal(all.includes('toggleDevTools'), !isPackaged);
  }
});
