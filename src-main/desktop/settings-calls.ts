// The settings calls: changes the person typed, and the download folder (only by the picker).
import type { CallHandlers, DesktopPlatform } from './desktop-platform';
import type { SettingsService } from './settings-service';

export function settingsCalls({ settings, platform }: { settings: SettingsService; platform: DesktopPlatform }) {
  return {
    'settings:update': (patch) => settings.update(patch),
    'settings:choose-download-folder': async () => {
      const chosen = await platform.chooseFolder(await settings.downloadDir());
      return chosen ? settings.setDownloadDir(chosen) : settings.view();
    },
    'settings:reset-download-folder': () => settings.setDownloadDir(undefined),
  } satisfies Partial<CallHandlers>;
}
