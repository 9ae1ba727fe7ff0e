/**
 * Where state outside the MobileApps folder lives (audit log, undo copies, later settings and
 * caches). The same folder Electron's `app.getPath('userData')` gives for our product name, so the
 * desktop app and the CLI share one history; MOBILE_SESSIONS_DATA_DIR overrides it.
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Mobile Sessions';

/** Mirrors Electron's `appData` per platform, without loading Electron. */
function platformAppData(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME ?? path.join(home, '.config');
}

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env.MOBILE_SESSIONS_DATA_DIR;
  if (override) return path.resolve(override);
  return path.join(platformAppData(env, platform, home), PRODUCT_NAME);
}
