/**
 * The command line and the browser mode without a checkout: `npm pack` gives a tarball whose
 * global install provides `mobile-sessions` with the browser mode's UI inside and only the runtime
 * dependencies. The tarball is installed into a fresh prefix (packages from the npm registry, or
 * npm's cache when it has them) and run from there, outside the project. `npm test` builds first.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';

const run = promisify(execFile);
const PROJECT = path.resolve('.');
let base: string;
let installed: string;
let bin: string;
let tarballFiles: string[];

beforeAll(async () => {
  if (
    !existsSync(path.join(PROJECT, 'out/node/cli.js')) ||
    !existsSync(path.join(PROJECT, 'out/renderer/index.html'))
  ) {
    throw new Error('out/ is missing: run "npm run build" first (npm test does).');
  }
  base = await makeTempDir('ms-pack-');
  // --ignore-scripts: the build is already there; `prepack` rebuilds when publishing.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', base], {
    cwd: PROJECT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [pack] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarballFiles = (pack?.files ?? []).map((file) => file.path).sort();
  const prefix = path.join(base, 'global');
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(base, pack?.filename ?? ''),
    ],
    { cwd: base, maxBuffer: 16 * 1024 * 1024 },
  );
  installed = path.join(prefix, 'lib', 'node_modules', 'mobile-sessions');
  bin = path.join(prefix, 'bin', 'mobile-sessions');
}, 180_000);
afterAll(async () => {
  if (base) await removeDir(base);
});

/** Runs the installed command from a folder outside the project, with its own data directory. */
const cli = (args: string[]) =>
  run(bin, args, { cwd: base, env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: path.join(base, 'data') } });

describe('the published package', () => {
  it('holds the built command line and UI, no source, no test, no source map', () => {
    expect(tarballFiles).toContain('out/node/cli.js');
    expect(tarballFiles).toContain('out/renderer/index.html');
    // The postinstall ships: npm runs it on install (it finds no Electron there and does nothing).
    const foreign = tarballFiles
      .filter((file) => file !== 'scripts/postinstall.mjs')
      .filter(
        (file) =>
          /\.map$|\.test\.|^(electron|shared|renderer|test|e2e|bench|scripts)\//.test(file) ||
          file.startsWith('out/main/'),
      );
    expect(foreign).toEqual([]);
  });

  it('installs only the runtime dependencies: no Electron, no React, no build tools', async () => {
    const modules = await fs.readdir(path.join(installed, 'node_modules'));
    for (const dev of ['electron', 'react', 'vite', 'typescript', 'vitest', '@playwright'])
      expect(modules).not.toContain(dev);
    expect(modules).toEqual(expect.arrayContaining(['ajv', 'chokidar', 'commander', 'zod']));
  });

  it('runs --help, demo and list from outside the project', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/^Usage: mobile-sessions/);
    const root = path.join(base, 'MobileApps');
    await cli(['demo', root, '--apps', '2', '--sessions', '12']);
    const listed = JSON.parse((await cli(['list', root, '--json'])).stdout) as {
      apps: { sessions: unknown[] }[];
    };
    expect(listed.apps.flatMap((app) => app.sessions)).toHaveLength(12);
  });

  it('serves the browser mode on the demo with its UI', async () => {
    const child = spawn(bin, ['serve', '--demo', '--port', '0'], {
      cwd: base,
      env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: path.join(base, 'serve-data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
          if (found) resolve(found[0]);
        });
        child.on('exit', (code) =>
          reject(new Error(`serve exited with ${code} before printing its URL: ${out}`)),
        );
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
    } finally {
      const exited = child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null;
      child.kill('SIGTERM');
      await exited; // it saves its cache on the way out: the folder is removed after
    }
  });
});
