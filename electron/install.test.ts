/**
 * `npm install` succeeds anywhere: Electron's own install script does not run (a failed download
 * would make npm roll the whole install back); the project's postinstall fetches the binary and
 * carries on when it cannot. And every installed package accepts the Node version the README states.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const sandbox = mkdtempSync(path.join(os.tmpdir(), 'ms-install-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** A copy of the postinstall beside a stand-in `electron` package whose installer does `installer`. */
function postinstallWith(installer: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(sandbox, 'project-'));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync('scripts/postinstall.mjs', path.join(dir, 'scripts', 'postinstall.mjs'));
  const electron = path.join(dir, 'node_modules', 'electron');
  mkdirSync(electron, { recursive: true });
  writeFileSync(path.join(electron, 'package.json'), '{"name":"electron","version":"0.0.0"}');
  writeFileSync(path.join(electron, 'install.js'), installer);
  const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...base } = process.env;
  return spawnSync(process.execPath, ['scripts/postinstall.mjs'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...base, ...env },
  });
}

describe('installing', () => {
  it("runs the project's postinstall, not Electron's own install script", () => {
    expect(pkg.allowScripts.electron).toBe(false);
    expect(pkg.scripts.postinstall).toBe('node scripts/postinstall.mjs');
  });

  it('carries on, saying why and what the browser mode is, when the download fails', () => {
    const failed = postinstallWith(
      "console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at stack'); process.exit(1);",
    );
    expect(failed.status).toBe(0);
    expect(failed.stderr.trim()).toBe(
      'mobile-sessions: the Electron binary could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com). The install goes on: `npm start` opens the browser mode, the same UI in a browser. To get the desktop app later: node node_modules/electron/install.js',
    );
  });

  it("uses Electron's installer when it works, and skips it when asked", () => {
    const ran = path.join(sandbox, 'installer-ran');
    const ok = postinstallWith(`require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'yes');`);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(readFileSync(ran, 'utf8')).toBe('yes');
    const skipped = postinstallWith('process.exit(1);', { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
  });

  it('installs only packages that accept the Node version package.json states', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const stated = semver.minVersion(pkg.engines.node)?.version as string;
    expect(stated).toBe('20.19.0');
    const refusing = Object.entries(lock.packages)
      .filter(([name, entry]) => name && entry.engines?.node && !semver.satisfies(stated, entry.engines.node))
      .map(([name, entry]) => `${name} wants Node ${entry.engines?.node}`);
    expect(refusing).toEqual([]);
  });
});
