/**
 * The MobileApps folder (and --demo) from the command line: packaged or run from source, as
 * Playwright starts the app (with and without its loader), as Chromium reorders a second
 * instance's argv, and resolved against the working directory of the instance that was asked.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appArguments,
  instanceRequest,
  launchRequest,
  requestFromArgs,
  secondInstanceRequest,
} from './argv.js';

const cwd = '/home/admin';

describe('launchRequest', () => {
  it('reads the folder after the app when packaged', () => {
    expect(
      launchRequest(
        ['/Applications/Mobile Sessions.app/Contents/MacOS/Mobile Sessions', '/Users/a/MobileApps'],
        true,
        cwd,
      ),
    ).toEqual({ folder: '/Users/a/MobileApps', demo: false, double: false });
    expect(launchRequest(['/opt/Mobile Sessions/mobile-sessions-desktop', '--demo'], true, cwd)).toEqual({
      folder: null,
      demo: true,
      double: false,
    });
  });

  it('skips electron and the app path when run from source', () => {
    expect(launchRequest(['/usr/bin/electron', '.', '/srv/MobileApps'], false, cwd)).toEqual({
      folder: '/srv/MobileApps',
      demo: false,
      double: false,
    });
    expect(launchRequest(['/usr/bin/electron', '.'], false, cwd)).toEqual({
      folder: null,
      demo: false,
      double: false,
    });
    expect(launchRequest(['/usr/bin/electron', 'out/main/index.js', '--demo'], false, cwd)).toEqual({
      folder: null,
      demo: true,
      double: false,
    });
  });

  it("reads Playwright's launch: its switches before the app path, with or without its loader", () => {
    // Playwright's loader removes its switches from process.argv …
    expect(launchRequest(['/x/electron', '.', '/srv/MobileApps'], false, cwd).folder).toBe('/srv/MobileApps');
    // … without it (executablePath given), they stay, before the app path.
    const switches = ['--no-sandbox', '--inspect=0', '--remote-debugging-port=0'];
    expect(launchRequest(['/x/electron', ...switches, '.', '/srv/MobileApps'], false, cwd)).toEqual({
      folder: '/srv/MobileApps',
      demo: false,
      double: false,
    });
    // The app path is never taken for the folder (it was: the project opened as a MobileApps folder).
    expect(launchRequest(['/x/electron', ...switches, '.'], false, cwd)).toEqual({
      folder: null,
      demo: false,
      double: false,
    });
  });

  it('ignores switches, takes the last folder, and resolves it against the working directory', () => {
    expect(
      launchRequest(
        ['app', '--allow-file-access-from-files', 'first', '--original-process-start-time=1', 'second'],
        true,
        cwd,
      ),
    ).toEqual({ folder: path.resolve(cwd, 'second'), demo: false, double: false });
    expect(launchRequest(['app', '../4D/MobileApps'], true, cwd).folder).toBe('/home/4D/MobileApps');
    expect(launchRequest(['app'], true, cwd)).toEqual({ folder: null, demo: false, double: false });
    expect(launchRequest([], false, cwd)).toEqual({ folder: null, demo: false, double: false });
  });
});

describe('a second instance', () => {
  it('sends its own arguments, in its own order, and its working directory', () => {
    expect(instanceRequest(['/x/electron', '.', 'MobileApps', '--demo'], false, '/srv')).toEqual({
      args: ['MobileApps', '--demo'],
      cwd: '/srv',
    });
    expect(instanceRequest(['/opt/app', 'MobileApps'], true, '/srv')).toEqual({
      args: ['MobileApps'],
      cwd: '/srv',
    });
  });

  it('is read from what it sent, resolved against its working directory, not the first instance’s', () => {
    const sent = instanceRequest(['/opt/app', 'MobileApps'], true, '/srv/4d');
    // Chromium's argv for the same launch: its switches first, its own added.
    const chromiumArgv = [
      '/opt/app',
      '--allow-file-access-from-files',
      '--original-process-start-time=9',
      'MobileApps',
    ];
    expect(secondInstanceRequest(chromiumArgv, '/srv/4d', sent, true)).toEqual({
      folder: '/srv/4d/MobileApps',
      demo: false,
      double: false,
    });
    expect(process.cwd()).not.toBe('/srv/4d');
    // What it sent wins over the argv and working directory Chromium hands over.
    expect(secondInstanceRequest(['/opt/app', 'Other'], '/elsewhere', sent, true).folder).toBe(
      '/srv/4d/MobileApps',
    );
  });

  it('falls back on the reordered argv and the working directory when nothing well-formed was sent', () => {
    const chromiumArgv = ['/x/electron', '--demo', '--allow-file-access-from-files', '.', 'MobileApps'];
    for (const junk of [
      undefined,
      null,
      {},
      { args: 'MobileApps', cwd: '/a' },
      { args: ['x'], cwd: 'relative' },
    ]) {
      expect(secondInstanceRequest(chromiumArgv, '/srv/4d', junk, false), JSON.stringify(junk)).toEqual({
        folder: '/srv/4d/MobileApps',
        demo: true,
        double: false,
      });
    }
  });

  it('sees --double, with a folder to push to', () => {
    expect(launchRequest(['/x/electron', '.', '/srv/MobileApps', '--double'], false, cwd)).toEqual({
      folder: '/srv/MobileApps',
      demo: false,
      double: true,
    });
  });

  it('a request without a folder asks for none', () => {
    expect(requestFromArgs([], '/srv')).toEqual({ folder: null, demo: false, double: false });
    expect(appArguments(['/x/electron', '--inspect=0'], false)).toEqual(['--inspect=0']);
  });
});
