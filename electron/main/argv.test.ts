/** The MobileApps folder (and --demo) from the command line, packaged or run from source. */
import { describe, expect, it } from 'vitest';
import { folderFromArgv } from './argv.js';

describe('folderFromArgv', () => {
  it('reads the folder after the app when packaged', () => {
    expect(
      folderFromArgv(
        ['/Applications/Mobile Sessions.app/Contents/MacOS/Mobile Sessions', '/Users/a/MobileApps'],
        true,
      ),
    ).toEqual({
      folder: '/Users/a/MobileApps',
      demo: false,
    });
    expect(
      folderFromArgv(['C:\\Program Files\\Mobile Sessions\\Mobile Sessions.exe', 'D:\\4D\\MobileApps'], true),
    ).toEqual({
      folder: 'D:\\4D\\MobileApps',
      demo: false,
    });
  });

  it('skips electron and the app path when run from source', () => {
    expect(folderFromArgv(['/usr/bin/electron', '.', '/srv/MobileApps'], false)).toEqual({
      folder: '/srv/MobileApps',
      demo: false,
    });
    expect(folderFromArgv(['/usr/bin/electron', 'out/main/index.js'], false)).toEqual({
      folder: null,
      demo: false,
    });
  });

  it('ignores switches, takes the last folder, and sees --demo', () => {
    expect(folderFromArgv(['app', '--demo'], true)).toEqual({ folder: null, demo: true });
    expect(
      folderFromArgv(
        ['app', '--allow-file-access-from-files', 'first', '--original-process-start-time=1', 'second'],
        true,
      ),
    ).toEqual({ folder: 'second', demo: false });
    expect(folderFromArgv(['app'], true)).toEqual({ folder: null, demo: false });
    expect(folderFromArgv([], false)).toEqual({ folder: null, demo: false });
  });
});
