/**
 * The built command (out/node/cli.js) loads only what the command it runs needs: `--help` and
 * `--version` load commander and the commands' definitions, no engine module and no other
 * package; `list` judges sessions with the precompiled built-in schema, without Ajv. Not timed:
 * what is loaded is recorded by a module hook (every ES module, through `module.register`) and
 * Node's require cache (every CommonJS module, Ajv's own included) in a real process, and each
 * loaded chunk of the build is traced back to its sources by its source map. `npm test` builds
 * before it tests.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';

const CLI = path.resolve('out/node/cli.js');
const BUILT = path.dirname(CLI);
const run = promisify(execFile);

// Runs before the command's own modules: records every ES module as the loader loads it (in
// the hooks' thread), and every CommonJS module in the require cache when the process ends.
const RECORDER = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
const log = process.env.LOADED_MODULES_LOG;
register(new URL('./hooks.mjs', import.meta.url), { data: { log } });
process.on('exit', () => {
  const cached = Object.keys(createRequire(import.meta.url).cache).map((file) => pathToFileURL(file).href);
  appendFileSync(log, cached.map((url) => url + '\\n').join(''));
});
`;
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;

let scratch: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  scratch = await makeTempDir('ms-lazy-');
  await fs.writeFile(path.join(scratch, 'recorder.mjs'), RECORDER);
  await fs.writeFile(path.join(scratch, 'hooks.mjs'), HOOKS);
});
afterAll(async () => {
  await removeDir(scratch);
});

interface Loaded {
  /** Packages under node_modules, by name. */
  packages: Set<string>;
  /** The project's sources behind the chunks of the build that were loaded (from their source maps). */
  sources: Set<string>;
  stdout: string;
}

/** Runs the built CLI with `args` and says what it loaded. */
async function loadedBy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Loaded> {
  const log = path.join(scratch, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const { stdout } = await run(
    process.execPath,
    ['--import', pathToFileURL(path.join(scratch, 'recorder.mjs')).href, CLI, ...args],
    { env: { ...process.env, ...env, LOADED_MODULES_LOG: log }, maxBuffer: 64e6 },
  );
  const urls = new Set((await fs.readFile(log, 'utf8')).split('\n').filter(Boolean));
  await fs.rm(log);
  const packages = new Set<string>();
  const sources = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    const inPackage = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (inPackage?.[1]) packages.add(inPackage[1].replace(/\\/g, '/'));
    else if (file.startsWith(BUILT + path.sep) && file.endsWith('.js')) {
      const map = JSON.parse(await fs.readFile(`${file}.map`, 'utf8')) as { sources: string[] };
      for (const source of map.sources)
        sources.add(path.relative(process.cwd(), path.resolve(path.dirname(file), source)));
    }
  }
  return { packages, sources, stdout };
}

const engineSources = (loaded: Loaded) =>
  [...loaded.sources].filter((s) => s.startsWith(`electron${path.sep}services`));

describe('what the built command line loads', () => {
  it('--help: the command definitions and commander, no engine module and no other package', async () => {
    const loaded = await loadedBy(['--help']);
    expect(loaded.stdout).toMatch(/^Usage: mobile-sessions/);
    // The recorder saw the entry itself: an empty record would pass for the wrong reason.
    expect(loaded.sources).toContain(path.join('electron', 'cli', 'program.ts'));
    expect(engineSources(loaded)).toEqual([]);
    expect([...loaded.packages]).toEqual(['commander']);
  });

  it('--version: as little', async () => {
    const loaded = await loadedBy(['--version']);
    expect(loaded.stdout).toBe('0.1.0\n');
    expect(engineSources(loaded)).toEqual([]);
    expect([...loaded.packages]).toEqual(['commander']);
  });

  it('list: judges sessions with the precompiled built-in schema, without loading Ajv', async () => {
    const root = await makeTempDir();
    const dataDir = await makeTempDir('ms-data-');
    try {
      await writeSession(root);
      await writeSession(root, { status: 'maybe' });
      const loaded = await loadedBy(['list', root, '--json'], { MOBILE_SESSIONS_DATA_DIR: dataDir });
      const listed = JSON.parse(loaded.stdout) as { problems: { code: string }[] };
      // The schema check ran (the bad status is a schema problem) and the engine was loaded.
      expect(listed.problems.map((p) => p.code)).toEqual(['schema']);
      expect(loaded.sources).toContain(path.join('electron', 'services', 'session', 'sessionChecks.ts'));
      expect(loaded.packages).not.toContain('ajv');
    } finally {
      await removeDir(root);
      await removeDir(dataDir);
    }
  });
});
