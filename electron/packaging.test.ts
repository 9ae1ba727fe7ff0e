/**
 * The installers' configuration (electron-builder.yml) and icons (assets/):
 * - the file is valid for electron-builder's own JSON schema (shipped in app-builder-lib), and a broken
 *   copy is not, so the check can fail;
 * - its `files` patterns, applied by electron-builder's own matcher, select exactly the main, preload and
 *   renderer output and package.json: no sources, tests, maps, docs or command line (out/node);
 * - electron-builder really packs that into app.asar, with a stand-in Electron distribution (the real one
 *   cannot be downloaded here), and flips the fuses the file asks for;
 * - it makes the deb (with a stand-in fpm): the GUI's own command name, Chromium's sandbox set up on install;
 * - the packed app, extracted with its own node_modules, passes the boot test (test/support/bootScenarios.ts):
 *   the production dependencies are all there;
 * - every icon the file names exists, in the sizes it claims.
 * Needs the build output: `npm test` runs `npm run build` first.
 */

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAll } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeElectronStandIn } from '../test/support/bootMain.js';
import { describeBoot } from '../test/support/bootScenarios.js';
import { APP_ID } from './main/appIdentity.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// electron-builder's own modules (CommonJS, no public types for the internals used here).
type Errors = Array<{
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}>;
type Validate = ((data: unknown) => boolean) & { errors?: Errors | null };
const { default: Ajv } = require('ajv') as {
  default: new (options: object) => { compile(schema: object): Validate };
};
const yaml = require('js-yaml') as { load(text: string): unknown };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};
const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js') as {
  getMainFileMatchers(...args: unknown[]): Array<{ from: string }>;
};
const { AppFileWalker } = require('app-builder-lib/out/util/AppFileWalker.js') as {
  AppFileWalker: new (matcher: unknown, packager: unknown) => { filter: unknown };
};
const { DebugLogger, walk } = require('builder-util') as {
  DebugLogger: new (isEnabled: boolean) => unknown;
  walk(dir: string, filter: unknown, consumer: unknown): Promise<string[]>;
};

type Config = Record<string, unknown> & {
  directories: { output: string; buildResources: string };
  files: unknown;
  electronFuses: Record<string, boolean>;
  mac: Record<string, unknown>;
  win: Record<string, unknown>;
  linux: Record<string, unknown>;
  nsis: Record<string, unknown>;
};

const CONFIG_FILE = path.join(root, 'electron-builder.yml');
/** The desktop app's executable on Linux: not `mobile-sessions`, the command line's name. */
const EXECUTABLE = 'mobile-sessions-desktop';
const APP_OUTPUT = ['out/main', 'out/preload', 'out/renderer'];

/** Files under `dir` (relative to the project, `/`-separated), recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** What the app must contain: package.json and the build output of main, preload and renderer, no maps. */
function expectedAppFiles(): string[] {
  const missing = APP_OUTPUT.filter((dir) => !existsSync(path.join(root, dir)));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first (\`npm test\` does it).`);
  }
  const built = APP_OUTPUT.flatMap(filesUnder).filter((file) => !file.endsWith('.map'));
  return ['package.json', ...built].sort();
}

/** Files electron-builder has no business packing, and why, for a readable failure. */
function misfits(files: string[]): string[] {
  const rules: Array<[RegExp, string]> = [
    [/\.(ts|tsx|mts|cts)$/, 'TypeScript source'],
    [/\.map$/, 'source map'],
    [/(\.|\/)(test|spec)\.|(^|\/)(e2e|test|tests|__tests__)\//, 'test'],
    [/^out\/(node|cli)\//, 'command line (not part of the app)'],
    [/^(electron|renderer\/src|shared|bench|docs|scripts|assets|e2e|dist)\//, 'outside the build output'],
    [/^(README|electron-builder|tsconfig|vitest|biome|vite|electron\.vite)/, 'project file'],
  ];
  return files.flatMap((file) => rules.filter(([re]) => re.test(file)).map(([, why]) => `${file} (${why})`));
}

const rawConfig = yaml.load(readFileSync(CONFIG_FILE, 'utf8')) as Config;
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
// Draft-07 schema; `strict: false` because it carries electron-builder's own `typeof` keyword. No type
// coercion, unlike electron-builder's own check: `oneClick: 'false'` is a mistake worth reporting here.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('electron-builder.yml', () => {
  it("is valid for electron-builder's own JSON schema", () => {
    validate(rawConfig);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('the schema check rejects a broken copy (a wrong type, an unknown key)', () => {
    expect(validate({ ...rawConfig, nsis: { ...rawConfig.nsis, oneClick: 'maybe' } })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/nsis/oneClick');
    expect(validate({ ...rawConfig, filesToPack: ['out/**'] })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        keyword: 'additionalProperties',
        params: { additionalProperty: 'filesToPack' },
      }),
    );
    expect(validate({ ...rawConfig, electronFuses: { ...rawConfig.electronFuses, runAsNodee: false } })).toBe(
      false,
    );
  });

  it("passes electron-builder's own loading and validation, and is the configuration it loads", async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    // A "build" field in package.json would win over electron-builder.yml.
    expect(pkg.build).toBeUndefined();
    const loaded = await getConfig(root, null, null);
    expect(loaded.appId).toBe(rawConfig.appId);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('asks for what the issue requires: ASAR, release fuses, signed mac builds, per-user NSIS, the deb', () => {
    expect(rawConfig).toMatchObject({
      appId: 'com.mobilesessions.app',
      productName: 'Mobile Sessions',
      directories: { output: 'dist', buildResources: 'assets' },
      asar: true,
      electronFuses: {
        runAsNode: false,
        enableCookieEncryption: true,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
        grantFileProtocolExtraPrivileges: false,
      },
      mac: { hardenedRuntime: true, notarize: true },
      nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
      linux: { category: expect.any(String), maintainer: expect.any(String), synopsis: expect.any(String) },
      // The update feed electron-updater reads (electron/main/updates.ts): generic, over HTTPS.
      publish: { provider: 'generic', url: expect.stringMatching(/^https:\/\/.+\/$/) },
    });
    const targets = (platform: Record<string, unknown>) =>
      (platform.target as Array<{ target: string }>).map((entry) => entry.target).sort();
    expect(targets(rawConfig.mac)).toEqual(['dmg', 'zip']);
    expect(targets(rawConfig.win)).toEqual(['nsis']);
    expect(targets(rawConfig.linux)).toEqual(['deb']);
    expect(rawConfig.linux.executableName).toBe(EXECUTABLE);
    expect(rawConfig.appId).toBe(APP_ID);
    expect(rawConfig.fileAssociations).toBeUndefined();
  });
});

describe('what the installers pack', () => {
  let loaded: Config;
  beforeAll(async () => {
    loaded = await getConfig(root, null, null);
  });

  /** The app files (not node_modules) electron-builder selects for a platform, with its own matcher and walker. */
  async function selectedFiles(config: Config, platform: 'mac' | 'win' | 'linux'): Promise<string[]> {
    const info = {
      projectDir: root,
      buildResourcesDir: path.resolve(root, config.directories.buildResources),
      config,
      isPrepackedAppAsar: false,
      areNodeModulesHandledExternally: false,
      debugLogger: new DebugLogger(false),
    };
    const outDir = path.resolve(root, config.directories.output);
    const matchers = getMainFileMatchers(
      root,
      '/app',
      (p: string) => p,
      config[platform],
      { info },
      outDir,
      false,
    );
    const files: string[] = [];
    for (const matcher of matchers) {
      const walker = new AppFileWalker(matcher, info);
      for (const file of await walk(matcher.from, walker.filter, walker)) {
        files.push(path.relative(root, file).split(path.sep).join('/'));
      }
    }
    return files.sort();
  }

  it('the files patterns select exactly package.json and the main, preload and renderer output', async () => {
    const expected = expectedAppFiles();
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(expected).toContain(path.posix.normalize(pkg.main));
    for (const dir of APP_OUTPUT) expect(expected.some((file) => file.startsWith(`${dir}/`))).toBe(true);
    expect(expected).toContain('out/renderer/index.html');

    for (const platform of ['mac', 'win', 'linux'] as const) {
      const selected = await selectedFiles(loaded, platform);
      expect(misfits(selected), `packed for ${platform}`).toEqual([]);
      expect(selected, `packed for ${platform}`).toEqual(expected);
    }
  });

  it('the same check catches patterns that are too wide', async () => {
    expectedAppFiles();
    const wide = await selectedFiles({ ...loaded, files: [{ filter: ['out/**/*'] }] }, 'linux');
    expect(misfits(wide).some((entry) => entry.startsWith('out/node/'))).toBe(true);
  });
});

/** Chromium's fuse sentinel and the wire of a stock Electron 41 (RunAsNode … GrantFileProtocolExtraPrivileges). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const STOCK_FUSES = '10110001';
const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];

/** Paths of the files in an ASAR archive (its JSON header: a Chromium pickle after 8 bytes of sizes). */
function asarFiles(archive: string): { packed: string[]; unpacked: string[] } {
  const buffer = readFileSync(archive);
  const header = JSON.parse(buffer.toString('utf8', 16, 16 + buffer.readUInt32LE(12))) as AsarDir;
  const packed: string[] = [];
  const unpacked: string[] = [];
  const visit = (dir: AsarDir, prefix: string) => {
    for (const [name, entry] of Object.entries(dir.files)) {
      if ('files' in entry) visit(entry, `${prefix}${name}/`);
      else (entry.unpacked ? unpacked : packed).push(`${prefix}${name}`);
    }
  };
  visit(header, '');
  return { packed: packed.sort(), unpacked: unpacked.sort() };
}
type AsarDir = { files: Record<string, AsarDir | { unpacked?: boolean }> };

/**
 * An fpm stand-in (electron-builder runs the one CUSTOM_FPM_PATH names; the real one is a download):
 * it records the arguments it was given, the package scripts and the desktop entry they name, and
 * writes an empty package where electron-builder expects one.
 */
function writeFpmStandIn(file: string, record: string): void {
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
const after = (flag) => args[args.indexOf(flag) + 1];
const desktop = args.find((arg) => arg.includes('=/usr/share/applications/') && arg.endsWith('.desktop'));
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({
  args,
  afterInstall: fs.readFileSync(after('--after-install'), 'utf8'),
  afterRemove: fs.readFileSync(after('--after-remove'), 'utf8'),
  desktopEntry: desktop ? fs.readFileSync(desktop.slice(0, desktop.lastIndexOf('=')), 'utf8') : null,
}));
fs.writeFileSync(after('--package'), '');
`,
  );
  chmodSync(file, 0o755);
}

describe('electron-builder with a stand-in Electron distribution (electronDist) and a stand-in fpm', () => {
  let sandbox: string;
  let output: string;
  let fpm: { args: string[]; afterInstall: string; afterRemove: string; desktopEntry: string | null };
  beforeAll(async () => {
    expectedAppFiles();
    sandbox = mkdtempSync(path.join(os.tmpdir(), 'ms-packaging-'));
    const electronDist = path.join(sandbox, 'electron');
    output = path.join(sandbox, 'dist');
    // An "unpacked Electron": an executable carrying a stock fuse wire, and an empty resources folder.
    mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
    writeFileSync(
      path.join(electronDist, 'electron'),
      `#!/bin/sh\nexit 0\n# ${FUSE_SENTINEL}\u0001\u0008${STOCK_FUSES}\n`,
      'latin1',
    );
    chmodSync(path.join(electronDist, 'electron'), 0o755);
    const fpmRecord = path.join(sandbox, 'fpm.json');
    writeFpmStandIn(path.join(sandbox, 'fpm'), fpmRecord);

    const customFpm = process.env.CUSTOM_FPM_PATH;
    process.env.CUSTOM_FPM_PATH = path.join(sandbox, 'fpm');
    try {
      await build({
        projectDir: root,
        // Merged into electron-builder.yml, as `npm run dist` does with `-c.electronDist=…`.
        config: { electronDist, directories: { output } },
        targets: Platform.LINUX.createTarget(['dir', 'deb'], Arch.x64),
        publish: 'never',
      });
    } finally {
      if (customFpm === undefined) delete process.env.CUSTOM_FPM_PATH;
      else process.env.CUSTOM_FPM_PATH = customFpm;
    }
    fpm = JSON.parse(readFileSync(fpmRecord, 'utf8'));
  }, 180_000);
  afterAll(() => {
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  it('packs exactly the app and the production dependencies into app.asar and sets the fuses', () => {
    const expected = expectedAppFiles();
    const resources = path.join(output, 'linux-unpacked', 'resources');
    const { packed, unpacked } = asarFiles(path.join(resources, 'app.asar'));
    const app = packed.filter((file) => !file.startsWith('node_modules/'));
    expect(misfits(app)).toEqual([]);
    expect(app).toEqual(expected);
    expect(packed.filter((file) => file.endsWith('.map'))).toEqual([]);

    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const modules = new Set(
      [...packed, ...unpacked].map((file) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]),
    );
    for (const dependency of Object.keys(pkg.dependencies)) expect(modules).toContain(dependency);
    // No tool of the build: a package every copy of which the lock file marks dev-only is never packed. A
    // devDependency that a production dependency needs too (js-yaml and semver, for electron-updater) has
    // a production copy, which electron-builder may hoist to the top of the app's node_modules.
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = (name: string) => {
      const copies = Object.entries(lock.packages).filter(([where]) =>
        where.endsWith(`node_modules/${name}`),
      );
      return copies.length > 0 && copies.every(([, entry]) => entry.dev === true);
    };
    expect(Object.keys(pkg.devDependencies).filter(devOnly).length).toBeGreaterThan(20);
    for (const tool of Object.keys(pkg.devDependencies).filter(devOnly)) expect(modules).not.toContain(tool);
    expect([...modules].filter((name) => name !== undefined && devOnly(name))).toEqual([]);

    // trash runs its helpers with execFile, which needs real files (windows-trash.exe is packed in Windows
    // builds only: electron-builder leaves .exe and .dll files of node_modules out of the others).
    expect(unpacked).toContain('node_modules/trash/lib/macos-trash');
    expect(existsSync(path.join(resources, 'app.asar.unpacked/node_modules/trash/lib/macos-trash'))).toBe(
      true,
    );

    const binary = readFileSync(path.join(output, 'linux-unpacked', EXECUTABLE), 'latin1');
    const wireStart = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 2;
    const wire = binary.slice(wireStart, wireStart + STOCK_FUSES.length);
    const fuses = Object.fromEntries(FUSE_ORDER.map((name, index) => [name, wire[index] === '1']));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      // Not configured: left as Electron ships it.
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it("the deb: /usr/bin/mobile-sessions-desktop (not the CLI's name), and a postinst that gives Chromium its sandbox", () => {
    expect(fpm.args.slice(0, 5)).toEqual(['-s', 'dir', '--force', '-t', 'deb']);
    expect(fpm.args).toContain(`${path.join(output, 'linux-unpacked')}/=/opt/Mobile Sessions`);
    expect(fpm.args[fpm.args.indexOf('--name') + 1]).toBe('mobile-sessions');
    // The GUI's command: never the command line's `mobile-sessions`.
    expect(fpm.afterInstall).toContain(`'/usr/bin/${EXECUTABLE}'`);
    expect(fpm.afterInstall).not.toContain("'/usr/bin/mobile-sessions'");
    expect(fpm.desktopEntry).toMatch(new RegExp(`^Exec="?/opt/Mobile Sessions/${EXECUTABLE}"? %U$`, 'm'));
    // The sandbox: SUID chrome-sandbox where user namespaces do not work, else the AppArmor profile
    // that allows them (Ubuntu 24.04 and later).
    expect(fpm.afterInstall).toMatch(
      /unshare --user true[\s\S]*chmod 4755 '\/opt\/Mobile Sessions\/chrome-sandbox'/,
    );
    expect(fpm.afterInstall).toContain(
      "APPARMOR_PROFILE_SOURCE='/opt/Mobile Sessions/resources/apparmor-profile'",
    );
    expect(fpm.afterInstall).toContain(`APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${EXECUTABLE}'`);
    const profile = readFileSync(
      path.join(output, 'linux-unpacked', 'resources', 'apparmor-profile'),
      'utf8',
    );
    expect(profile).toContain(
      `profile "${EXECUTABLE}" "/opt/Mobile Sessions/${EXECUTABLE}" flags=(unconfined)`,
    );
    expect(profile).toMatch(/^\s*userns,$/m);
    expect(readdirSync(output).filter((file) => /\.(AppImage|snap)$/.test(file))).toEqual([]);
  });

  it("the deb's resources give electron-updater the feed and the package type (its DebUpdater)", () => {
    const resources = path.join(output, 'linux-unpacked', 'resources');
    const feed = rawConfig.publish as { provider: string; url: string };
    expect(yaml.load(readFileSync(path.join(resources, 'app-update.yml'), 'utf8'))).toMatchObject({
      provider: 'generic',
      url: feed.url,
      updaterCacheDirName: 'mobile-sessions-updater',
    });
    expect(readFileSync(path.join(resources, 'package-type'), 'utf8')).toBe('deb');
  });

  describe('the packed app, extracted from app.asar with its own node_modules', () => {
    let appDir: string | null = null;
    beforeAll(() => {
      // Under a node_modules folder: Vitest leaves files there to Node, whose resolution then finds
      // only what the app carries (no alias, no fall-back on the project's node_modules).
      appDir = path.join(sandbox, 'node_modules', 'mobile-sessions');
      extractAll(path.join(output, 'linux-unpacked', 'resources', 'app.asar'), appDir);
      // Real files, not links into the project: what the packed app requires must be in it.
      expect(lstatSync(path.join(appDir, 'node_modules')).isSymbolicLink()).toBe(false);
      expect(existsSync(path.join(appDir, 'node_modules', 'electron'))).toBe(false);
      writeElectronStandIn(appDir);
    });
    describeBoot('booted', () => {
      if (!appDir) throw new Error('app.asar was not extracted');
      return appDir;
    });
  });
});

describe('npm run dist (scripts/dist.mjs)', () => {
  const dist = (args: string[], env: Record<string, string | undefined>) => {
    const result = spawnSync(process.execPath, ['scripts/dist.mjs', '--dry-run', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, MOBILE_SESSIONS_ELECTRON_DIST: undefined, ...env },
    });
    return {
      status: result.status,
      command: result.status === 0 ? JSON.parse(result.stdout) : result.stderr,
    };
  };

  it('runs electron-builder with the options given, for the current platform by default', () => {
    expect(dist([], {})).toEqual({ status: 0, command: ['electron-builder'] });
    expect(dist(['--mac', '--arm64'], {})).toEqual({
      status: 0,
      command: ['electron-builder', '--mac', '--arm64'],
    });
  });

  it('passes MOBILE_SESSIONS_ELECTRON_DIST as electronDist, absolute, and refuses a folder that does not exist', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ms-electron-dist-'));
    try {
      const relative = path.relative(root, folder);
      expect(dist(['--linux'], { MOBILE_SESSIONS_ELECTRON_DIST: relative })).toEqual({
        status: 0,
        command: ['electron-builder', '--linux', `-c.electronDist=${folder}`],
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    const missing = dist([], { MOBILE_SESSIONS_ELECTRON_DIST: path.join(root, 'no-such-electron') });
    expect(missing.status).toBe(2);
    expect(missing.command).toMatch(/MOBILE_SESSIONS_ELECTRON_DIST .* does not exist/);
  });
});

describe('icons', () => {
  /** Width and height from a PNG's header (IHDR, bytes 16–23). */
  const pngSizeOf = (png: Buffer, label: string) => {
    expect(png.subarray(0, 8).toString('latin1'), `${label} is a PNG`).toBe('\x89PNG\r\n\x1a\n');
    expect(png.toString('latin1', 12, 16), `${label} starts with IHDR`).toBe('IHDR');
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  };
  const pngSize = (file: string) => pngSizeOf(readFileSync(file), file);
  /** Resolves a configured path as electron-builder does: build resources folder first, then project. */
  const resource = (configured: unknown) => {
    expect(typeof configured, 'an icon path').toBe('string');
    const candidates = [rawConfig.directories.buildResources, '.'].map((base) =>
      path.resolve(root, base, configured as string),
    );
    const found = candidates.find((candidate) => existsSync(candidate));
    expect(found, `${String(configured)} exists`).toBeDefined();
    return found as string;
  };

  it('the source image and the 1024 px master exist', () => {
    expect(readFileSync(path.join(root, 'assets/icon.svg'), 'utf8')).toContain('<svg');
    expect(pngSize(path.join(root, 'assets/icon.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('Linux: every <size>x<size>.png of the icon folder is that size, 16 to 512', () => {
    const folder = resource(rawConfig.linux.icon);
    const names = readdirSync(folder).filter((name) => name.endsWith('.png'));
    const sizes = names.map((name) => {
      const match = /^(\d+)x(\d+)\.png$/.exec(name);
      expect(match, `${name} is named <size>x<size>.png`).not.toBeNull();
      const [width, height] = [Number(match?.[1]), Number(match?.[2])];
      expect(pngSize(path.join(folder, name)), name).toEqual({ width, height });
      return width;
    });
    expect(sizes.sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
  });

  it('Windows: the .ico holds 16 to 256 px images of the sizes its directory claims', () => {
    for (const configured of [
      rawConfig.win.icon,
      rawConfig.nsis.installerIcon,
      rawConfig.nsis.uninstallerIcon,
    ]) {
      const buffer = readFileSync(resource(configured));
      expect([buffer.readUInt16LE(0), buffer.readUInt16LE(2)], 'ICO header').toEqual([0, 1]);
      const sizes: number[] = [];
      for (let index = 0; index < buffer.readUInt16LE(4); index++) {
        const entry = 6 + index * 16;
        const size = buffer[entry] || 256; // 0 means 256
        const image = buffer.subarray(buffer.readUInt32LE(entry + 12));
        if (image.subarray(0, 4).toString('latin1') === '\x89PNG') {
          expect(pngSizeOf(image, `PNG entry ${size}`)).toEqual({ width: size, height: size });
        } else {
          // BITMAPINFOHEADER: width, then twice the height (colour and mask).
          expect([image.readInt32LE(4), image.readInt32LE(8)], `BMP entry ${size}`).toEqual([size, size * 2]);
        }
        sizes.push(size);
      }
      expect(sizes.sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    }
  });

  it('macOS: the .icns holds PNG images of the sizes its entry types mean, 32 to 1024 px', () => {
    const expectedTypes: Record<string, number> = {
      ic11: 32,
      ic12: 64,
      ic07: 128,
      ic08: 256,
      ic13: 256,
      ic09: 512,
      ic14: 512,
      ic10: 1024,
    };
    const buffer = readFileSync(resource(rawConfig.mac.icon));
    expect(buffer.toString('latin1', 0, 4)).toBe('icns');
    expect(buffer.readUInt32BE(4)).toBe(buffer.length);
    const found: Record<string, number> = {};
    for (let offset = 8; offset < buffer.length; offset += buffer.readUInt32BE(offset + 4)) {
      const type = buffer.toString('latin1', offset, offset + 4);
      const { width, height } = pngSizeOf(
        buffer.subarray(offset + 8, offset + buffer.readUInt32BE(offset + 4)),
        type,
      );
      expect(width, type).toBe(height);
      found[type] = width;
    }
    expect(found).toEqual(expectedTypes);
  });

  it('the mac entitlements file exists and grants only the JIT exception', () => {
    const plist = readFileSync(resource(rawConfig.mac.entitlements), 'utf8');
    expect(resource(rawConfig.mac.entitlementsInherit)).toBe(resource(rawConfig.mac.entitlements));
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
  });
});
