/**
 * The scan on worker threads gives exactly the index the main thread alone gives, on the same
 * folder: sessions, broken files, links, a FIFO, leftovers, and a Refresh after changes. The worker
 * is built here from the current source (one self-contained file), as the builds do.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import {
  ANDROID_BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
  writeSessions,
} from '../../../test/support/fixtures.js';
// Not a React hook, whatever its name says: aliased so the hooks lint rule leaves it alone.
import { useSessionSchema as judgeSessionsWith } from '../session/sessionChecks.js';
import { MAX_SESSION_FILE_BYTES } from '../session/sessionFile.js';
import { WORK_FOLDER_PREFIX } from '../session/workFolder.js';
import type { ScanPoolStats, ScanThreads } from './scanPool.js';
import { scanRoot, syncIndex } from './scanRoot.js';
import { SessionIndex } from './sessionIndex.js';

let workerDir: string;
let root: string;
let mainThread: ScanThreads;
let workers: ScanThreads;

beforeAll(async () => {
  workerDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ms-scan-worker-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    ssr: { noExternal: true },
    build: {
      ssr: true,
      outDir: workerDir,
      emptyOutDir: true,
      target: 'node20',
      rollupOptions: {
        input: { scanWorker: path.resolve('electron/services/live/scanWorker.ts') },
        output: { entryFileNames: '[name].mjs', format: 'es' },
      },
    },
  });
  mainThread = { workerFile: null, threads: 0 };
  // Every job to the workers: none is run on the main thread while they start.
  workers = { workerFile: path.join(workerDir, 'scanWorker.mjs'), threads: 2, mainThreadHelps: false };
}, 60_000);

afterAll(async () => {
  await fs.rm(workerDir, { recursive: true, force: true });
});

async function makeFolder(dir: string): Promise<void> {
  for (let i = 0; i < 400; i++) await writeSession(dir, { status: i % 3 ? 'accepted' : 'pending' });
  for (let i = 0; i < 150; i++) await writeSession(dir, { teamId: null, appId: ANDROID_BUNDLE });
  await writeSession(dir, { email: 'élodie@exemple.fr', extra: { userInfo: { note: '日本語' } } });
  await writeSession(dir, { extra: { device: { description: 42 } } }); // a schema problem
  await writeFile(dir, IOS_FOLDER, 'abad', '{ "not": "closed"');
  await writeFile(dir, IOS_FOLDER, 'abad01', Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
  await writeFile(dir, IOS_FOLDER, 'abad02', '');
  await writeFile(dir, IOS_FOLDER, 'abad03', Buffer.alloc(MAX_SESSION_FILE_BYTES + 1, 0x20));
  await fs.symlink('/etc/passwd', path.join(dir, IOS_FOLDER, 'ab12'));
  execFileSync('mkfifo', [path.join(dir, IOS_FOLDER, 'ff00')]);
  // A dead writer's work folder (pid 2^22 + 1 is above Linux's pid_max).
  await fs.mkdir(path.join(dir, IOS_FOLDER, `${WORK_FOLDER_PREFIX}4194305-1-abc`));
  await fs.mkdir(path.join(dir, 'com.empty.app'));
  await writeFile(dir, 'com.with.manifest', 'manifest.json', {
    application: { name: 'Field', id: 'com.with.manifest' },
    info: { target: 'android' },
  });
}

const sortedDeltas = (deltas: WorkspaceDelta[]) =>
  deltas.map((d) => JSON.stringify(d)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('the scan on worker threads', () => {
  beforeAll(async () => {
    root = await makeTempDir();
    await makeFolder(root);
  }, 60_000);
  afterAll(async () => {
    await removeDir(root);
  });

  it('gives the same index as the main thread alone, broken files and links included', async () => {
    let stats: ScanPoolStats | null = null;
    const single = await scanRoot(root, { threads: mainThread });
    const parallel = await scanRoot(root, { threads: workers, onStats: (s) => (stats = s) });
    expect(stats).toEqual({ workerJobs: expect.any(Number), mainThreadJobs: 0, workersStarted: 2 });
    expect((stats as unknown as ScanPoolStats).workerJobs).toBeGreaterThan(5);
    expect(parallel).toEqual(single);
    expect(single.apps.reduce((n, a) => n + a.sessions.length, 0)).toBe(552);
    expect(single.problems.map((p) => p.code).sort()).toEqual(
      ['leftover', 'malformed', 'malformed', 'malformed', 'schema', 'symlink', 'too-large'].sort(),
    );
  });

  it('refreshes an index to the same deltas and the same result', async () => {
    const a = new SessionIndex(root);
    const b = new SessionIndex(root);
    await syncIndex(a, { threads: mainThread });
    await syncIndex(b, { threads: workers });
    const [first, second] = (await fs.readdir(path.join(root, IOS_FOLDER))).filter((n) =>
      /^[0-9a-f]{20,}$/.test(n),
    );
    const changed = path.join(root, IOS_FOLDER, first as string);
    await fs.writeFile(changed, (await fs.readFile(changed, 'utf8')).replace('"accepted"', '"pending"'));
    await fs.rm(path.join(root, IOS_FOLDER, second as string));
    await fs.symlink('/etc/hosts', path.join(root, IOS_FOLDER, second as string));
    await writeSession(root, { status: 'pending' });
    await fs.rm(path.join(root, 'com.empty.app'), { recursive: true });
    const single = await syncIndex(a, { threads: mainThread });
    const parallel = await syncIndex(b, { threads: workers });
    expect(sortedDeltas(parallel)).toEqual(sortedDeltas(single));
    expect(single.length).toBeGreaterThan(3);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.allStamps()).toEqual(a.allStamps());
  });

  it("judges sessions with 4D's schema on the workers too, when the engine uses it", async () => {
    const schema = path.join(workerDir, 'mobileSessionSchema.json');
    // A stricter schema than the built-in one: every session needs a "language".
    await fs.writeFile(schema, JSON.stringify({ type: 'object', required: ['status', 'language'] }));
    const speechless = await writeSession(root, { extra: { language: undefined } });
    const schemaProblemOf = (result: Awaited<ReturnType<typeof scanRoot>>) =>
      result.problems.filter((p) => p.code === 'schema' && p.path === speechless.ref);
    expect(schemaProblemOf(await scanRoot(root, { threads: workers }))).toEqual([]); // built-in: fine
    try {
      judgeSessionsWith(schema);
      const single = await scanRoot(root, { threads: mainThread });
      const parallel = await scanRoot(root, { threads: workers });
      expect(schemaProblemOf(single)).toHaveLength(1);
      expect(parallel.problems).toEqual(single.problems);
    } finally {
      judgeSessionsWith(null);
    }
  });

  it('starts the workers for a Refresh worth them, as soon as it starts, and not for a small one', async () => {
    // One job a folder lists it and stats its files: only the index says, before any listing,
    // that a Refresh has more files than a worker's start-up is worth (2,000).
    const big = await makeTempDir();
    try {
      await writeSessions(big, 2100, 'accepted');
      const helped = { ...workers, mainThreadHelps: true };
      const refreshStats = async (folder: string) => {
        const index = new SessionIndex(folder);
        await syncIndex(index, { threads: mainThread });
        let stats: ScanPoolStats | null = null;
        const deltas = await syncIndex(index, { threads: helped, onStats: (s) => (stats = s) });
        expect(deltas).toEqual([]);
        return stats as unknown as ScanPoolStats;
      };
      expect((await refreshStats(big)).workersStarted).toBe(2);
      expect((await refreshStats(root)).workersStarted).toBe(0); // about 560 files
    } finally {
      await removeDir(big);
    }
  }, 60_000);
});
