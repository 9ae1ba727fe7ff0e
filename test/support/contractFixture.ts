/**
 * Test helpers for the front doors: a real temporary MobileApps folder per door, a listing of a
 * tree to prove nothing was touched, a fake built renderer, a Server-Sent Events reader, and the
 * normalisation that lets results from different doors (different temp folders) be compared.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { PlatformHooks } from '../../electron/services/appService.js';
import { writeDemoFolder } from '../../electron/services/demo/demoFolder.js';
import { MemorySecretStore } from '../../electron/services/push/secretStore.js';
import { splitAppFolderName } from '../../electron/services/session/sessionNames.js';
import type { AppEvent, AppState } from '../../shared/contract.js';
import { makeTempDir, sessionJson, writeFile } from './fixtures.js';

export const DEMO = { apps: 3, sessions: 60, seed: 7, withProblems: true } as const;

/** A session with passwords in its JSON (masked by getSession). */
export const PASSWORD_SESSION_ID = 'c0ffee'.padEnd(40, '1');
export const PASSWORD_SECRET = 'hunter2-top-secret';
export const NESTED_PASSWORD_SECRET = 'nested-s3cret';
export const PASSWORD_EMAIL = 'secret.keeper@example.org';
/** A session whose e-mail looks like a spreadsheet formula (neutralised by exportCsv). */
export const FORMULA_SESSION_ID = 'f0f0'.padEnd(40, '2');
export const FORMULA_EMAIL = '=1+2@formula.example';
/** A hex-named file outside the root, next to it: what a `../` reference would aim at. */
export const OUTSIDE_FILE_ID = 'abcdef'.padEnd(40, '3');

/** AppService hooks for tests: no file manager, the default OS trash (the tests' XDG_DATA_HOME), secrets in memory. */
export function testHooks(platform: AppState['platform'], createDemo: () => Promise<string>): PlatformHooks {
  return { platform, createDemo, secrets: new MemorySecretStore() };
}

export interface DoorFolder {
  /** The temporary folder holding everything of this door except its data directory. */
  base: string;
  /** The MobileApps folder. */
  root: string;
  dataDir: string;
  /** The app folder the two extra sessions were written into. */
  extrasFolder: string;
  /** Where `createDemo` puts a demo, if asked. */
  demoRoot: string;
}

/** The demo folder (3 apps, 60 sessions, 6 broken files) plus two extra sessions and a file outside. */
export async function makeDoorFolder(): Promise<DoorFolder> {
  const base = await makeTempDir('ms-door-');
  const dataDir = await makeTempDir('ms-door-data-');
  const root = path.join(base, 'MobileApps');
  await writeDemoFolder(root, DEMO);
  const folders = (await fs.readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const extrasFolder = folders.find((folder) => folder.startsWith('FAKETEAMID.')) ?? (folders[0] as string);
  const { teamId, bundleId } = splitAppFolderName(extrasFolder);
  await writeFile(
    root,
    extrasFolder,
    PASSWORD_SESSION_ID,
    sessionJson({
      id: PASSWORD_SESSION_ID,
      appId: bundleId,
      teamId,
      status: 'pending',
      email: PASSWORD_EMAIL,
      extra: { password: PASSWORD_SECRET, userInfo: { name: 'Keeper', Password: NESTED_PASSWORD_SECRET } },
    }),
  );
  await writeFile(
    root,
    extrasFolder,
    FORMULA_SESSION_ID,
    sessionJson({
      id: FORMULA_SESSION_ID,
      appId: bundleId,
      teamId,
      status: 'accepted',
      email: FORMULA_EMAIL,
    }),
  );
  await writeFile(base, 'outside', OUTSIDE_FILE_ID, sessionJson({ id: OUTSIDE_FILE_ID }));
  return { base, root, dataDir, extrasFolder, demoRoot: path.join(base, 'demo', 'MobileApps') };
}

/** Every entry under `dir`: files by mode and SHA-256 of their bytes, links by target, folders by name. */
export async function treeSnapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const name of (await fs.readdir(current)).sort()) {
      const full = path.join(current, name);
      const relative = path.relative(dir, full);
      const stats = await fs.lstat(full);
      if (stats.isSymbolicLink()) out[relative] = `link → ${await fs.readlink(full)}`;
      else if (stats.isDirectory()) {
        out[relative] = 'dir';
        await walk(full);
      } else {
        const hash = createHash('sha256')
          .update(await fs.readFile(full))
          .digest('hex');
        out[relative] = `file ${stats.mode.toString(8)} ${hash}`;
      }
    }
  };
  await walk(dir);
  return out;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A stand-in for the built renderer (out/renderer): an index.html and one script. */
export const RENDERER_FIXTURE = {
  indexHtml:
    '<!doctype html><title>Mobile Sessions (test fixture)</title><script src="/assets/app.js"></script>\n',
  appJs: 'console.log("renderer fixture");\n',
};

/**
 * A temporary folder holding `renderer/` (the fixture renderer) next to `secret.txt` and
 * `package.json`, the files a path traversal out of the renderer would reach.
 */
export async function makeRendererFixture(): Promise<{ base: string; rendererDir: string }> {
  const base = await makeTempDir('ms-renderer-fixture-');
  const rendererDir = path.join(base, 'renderer');
  await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(rendererDir, 'index.html'), RENDERER_FIXTURE.indexHtml);
  await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), RENDERER_FIXTURE.appJs);
  await fs.writeFile(path.join(base, 'secret.txt'), 'SECRET OUTSIDE THE RENDERER\n');
  await fs.writeFile(path.join(base, 'package.json'), '{"name":"outside-the-renderer"}\n');
  return { base, rendererDir };
}

/**
 * Opens the browser-mode event stream (`GET /api/events`) and calls `onEvent` with every AppEvent.
 * Resolves once the stream is open (the server has subscribed); returns a function that closes it.
 * Uses node:http on its own connection, closed with the stream (fetch's pool would reconnect at
 * once after an abort, and that unused connection would hold the server's close() for seconds).
 */
export function openEventStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: AppEvent) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`The event stream answered ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice('data: '.length))
            .join('\n');
          if (data) onEvent(JSON.parse(data) as AppEvent);
        }
      });
      response.on('error', () => {});
      resolve(() => request.destroy());
    });
    request.on('error', reject);
  });
}

/** Keys whose values are batch ids, new in every run: a change's own, and the one an undo undid. */
const BATCH_IDS = new Set(['batch', 'undid']);

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;

/**
 * A result with what legitimately differs between two doors taken out: their folders' paths, file
 * times, batch ids. What is left must be equal.
 */
export function normalize(value: unknown, paths: Record<string, string>): unknown {
  let text = JSON.stringify(value ?? null);
  // Longest first, so a folder inside another is replaced by its own name.
  for (const [placeholder, real] of Object.entries(paths).sort(([, a], [, b]) => b.length - a.length)) {
    text = text.split(JSON.stringify(real).slice(1, -1)).join(placeholder);
  }
  return JSON.parse(text.replace(ISO_TIME, '<time>'), (key, inner) =>
    BATCH_IDS.has(key) && typeof inner === 'string' ? '<batch>' : inner,
  );
}
