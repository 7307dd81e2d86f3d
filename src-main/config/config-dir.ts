import envPaths from 'env-paths';

/**
 * Where Porthole keeps its settings, host certificate and room secret: PORTHOLE_CONFIG_DIR if
 * set, else the platform's config folder (~/.config/porthole, ~/Library/Preferences/porthole,
 * %APPDATA%\porthole\Config).
 */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PORTHOLE_CONFIG_DIR || envPaths('porthole', { suffix: '' }).config;
}
