import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './dataDir.js';

describe('the data directory', () => {
  it('is the folder Electron uses for the app on each platform', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Mobile Sessions',
    );
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      path.join('C:\\Users\\ann\\AppData\\Roaming', 'Mobile Sessions'),
    );
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Mobile Sessions');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/Mobile Sessions');
  });

  it('is MOBILE_SESSIONS_DATA_DIR when set', () => {
    expect(defaultDataDir({ MOBILE_SESSIONS_DATA_DIR: '/srv/ms' }, 'linux', '/home/ann')).toBe('/srv/ms');
  });
});
