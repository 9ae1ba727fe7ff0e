/**
 * Crash safety, end to end: the built command (out/node/cli.js) sets 2,000 session files to
 * accepted or pending, in one process, and is killed with SIGKILL at a seeded random moment of its
 * run, round after round. After each kill, `check` is the next start (it puts back what the dead
 * process left and reconciles its journal); then every file must be exactly its previous version or
 * the edited one, nothing else may be in the folders, and the journal must record each change that
 * happened in the round, and only those, with no intent left without an outcome and no in-flight
 * marker left. Needs the build output (`npm run build:node`; `npm test` builds first).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../../shared/session.js';
import {
  ANDROID_BUNDLE,
  BUNDLE,
  makeTempDir,
  removeDir,
  TEAM,
  writeSession,
} from '../../../test/support/fixtures.js';
import { Random } from '../demo/seededRandom.js';
import { WORK_FOLDER_PREFIX } from '../session/workFolder.js';
import { type AuditEntry, AuditLog, type Intent, type Outcome } from './auditLog.js';

const CLI = path.resolve('out/node/cli.js');
const run = promisify(execFile);

const SESSIONS = 2000;
const ROUNDS = 10;
const SEED = 20_261_130;
/** The latest kill, whatever a slow (loaded) machine predicts: keeps the test's duration bounded. */
const MAX_KILL_MS = 4000;
const APPS: Array<{ teamId: string | null; appId: string }> = [
  { teamId: TEAM, appId: BUNDLE },
  { teamId: 'Q4M8ZK2P7R', appId: 'com.acme.tasks' },
  { teamId: 'FAKETEAMID', appId: 'com.acme.fieldservice' },
  { teamId: null, appId: ANDROID_BUNDLE },
];

interface Session {
  ref: string;
  folder: string;
  id: string;
  file: string;
  /** The file's exact bytes with either status: 4D's pretty JSON, only the status value differs. */
  text: Record<SessionStatus, string>;
}

let root: string;
let dataDir: string;
let sessions: Session[] = [];
let running: ReturnType<typeof spawn> | null = null;

const env = () => ({ ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir });

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build:node" first (npm test builds).`);
  root = await makeTempDir('ms-crash-');
  dataDir = await makeTempDir('ms-crash-data-');
  sessions = [];
  for (let i = 0; i < SESSIONS; i += 1) {
    const app = APPS[i % APPS.length] as (typeof APPS)[number];
    const made = await writeSession(root, { ...app, status: 'pending', email: `user${i}@example.com` });
    const text = (status: SessionStatus) => JSON.stringify({ ...made.json, status }, null, 2);
    sessions.push({
      ref: made.ref,
      folder: made.ref.split('/')[0] as string,
      id: made.id,
      file: made.file,
      text: { accepted: text('accepted'), pending: text('pending') },
    });
  }
});

afterAll(async () => {
  const child = running;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
  }
  await removeDir(root);
  await removeDir(dataDir);
});

/** Runs the CLI to its end. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: env(), maxBuffer: 256e6 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** Starts the CLI and kills it with SIGKILL after `killAfterMs` (null: lets it finish). */
async function runAndKill(
  args: string[],
  killAfterMs: number | null,
): Promise<{ killed: boolean; code: number | null; ms: number; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
  running = child;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // 'close' comes after Node has reaped the child: its pid is then dead, not a zombie that
  // `kill(pid, 0)` would still find alive.
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const timer = killAfterMs === null ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const { code, signal } = await ended;
  clearTimeout(timer);
  running = null;
  return { killed: signal === 'SIGKILL', code, ms: Math.round(performance.now() - started), stderr };
}

/** Work folders in the app folders and in-flight markers in the history, as the crash left them. */
async function crashTraces(): Promise<{ workFolders: number; markers: number }> {
  let workFolders = 0;
  for (const folder of new Set(sessions.map((s) => s.folder))) {
    workFolders += (await fs.readdir(path.join(root, folder))).filter((name) =>
      name.startsWith(WORK_FOLDER_PREFIX),
    ).length;
  }
  return { workFolders, markers: (await inflightMarkers()).length };
}

/** Every in-flight marker of every folder's history in the data directory. */
async function inflightMarkers(): Promise<string[]> {
  const history = path.join(dataDir, 'history');
  const keys = await fs.readdir(history).catch(() => [] as string[]);
  const markers: string[] = [];
  for (const key of keys) {
    const names = await fs.readdir(path.join(history, key, 'inflight')).catch(() => [] as string[]);
    markers.push(...names.map((name) => `${key}/inflight/${name}`));
  }
  return markers;
}

/**
 * The folder as it is: exactly the app folders and session files made at the start (no work
 * folder, no temporary or extra file, none missing), each a single-link regular file holding one of
 * its two expected versions. Returns each session's status.
 */
async function readFolder(): Promise<Map<string, SessionStatus>> {
  const folders = [...new Set(sessions.map((s) => s.folder))].sort();
  expect((await fs.readdir(root)).sort()).toEqual(folders);
  for (const folder of folders) {
    const expected = sessions.filter((s) => s.folder === folder).map((s) => s.id);
    expect((await fs.readdir(path.join(root, folder))).sort(), folder).toEqual(expected.sort());
  }
  const statuses = new Map<string, SessionStatus>();
  const wrong: string[] = [];
  for (const session of sessions) {
    const stats = await fs.lstat(session.file);
    if (!stats.isFile() || stats.nlink !== 1) {
      wrong.push(`${session.ref}: not a single-link regular file (links: ${stats.nlink})`);
      continue;
    }
    const text = await fs.readFile(session.file, 'utf8');
    if (text === session.text.accepted) statuses.set(session.ref, 'accepted');
    else if (text === session.text.pending) statuses.set(session.ref, 'pending');
    else {
      let what: string;
      try {
        what = `status ${JSON.stringify((JSON.parse(text) as { status?: unknown }).status)}, other bytes differ`;
      } catch {
        what = 'not JSON';
      }
      wrong.push(`${session.ref}: neither version (${text.length} bytes, ${what})`);
    }
  }
  expect(wrong).toEqual([]);
  return statuses;
}

interface Journal {
  intents: Intent[];
  outcomes: Map<string, Outcome[]>;
  entries: AuditEntry[];
  damaged: number;
}

/** The folder's journal, read in-process from the data directory the CLI writes to. */
async function readJournal(): Promise<Journal> {
  const log = new AuditLog(dataDir, root);
  const intents: Intent[] = [];
  const outcomes = new Map<string, Outcome[]>();
  for await (const record of log.records()) {
    if (record.t === 'intent') intents.push(record as unknown as Intent);
    else if (record.t === 'outcome') {
      const outcome = record as unknown as Outcome;
      outcomes.set(outcome.id, [...(outcomes.get(outcome.id) ?? []), outcome]);
    }
  }
  const entries = await log.allEntries();
  return { intents, outcomes, entries, damaged: log.stats.damaged };
}

interface RoundFigures {
  label: string;
  action: 'accept' | 'pend';
  toChange: number;
  killAfterMs: number | null;
  killed: boolean;
  ms: number;
  workFoldersLeft: number;
  markersLeft: number;
  changed: number;
  recoveredEntries: number;
  recoveredNotApplied: number;
  damagedLines: number;
}

/**
 * One round: runs the action (killed, or not when `killAfterMs` is null), runs `check`, and asserts
 * that the folder and the journal are consistent with each other and with the statuses before.
 */
async function round(
  label: string,
  action: 'accept' | 'pend',
  before: Map<string, SessionStatus>,
  journalBefore: Journal,
  order: Session[],
  killAfterMs: number | null,
): Promise<{ figures: RoundFigures; after: Map<string, SessionStatus>; journal: Journal }> {
  const target: SessionStatus = action === 'accept' ? 'accepted' : 'pending';
  const knownBatches = new Set(journalBefore.intents.map((i) => i.batch));
  const toChange = sessions.filter((s) => before.get(s.ref) !== target).length;

  const refs = order.map((s) => s.ref); // ~75 characters each: 150 KB, far below ARG_MAX (2 MB)
  const result = await runAndKill([action, root, ...refs], killAfterMs);
  if (!result.killed) {
    // Finished before the kill: a normal run must succeed.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }
  const traces = await crashTraces();

  // The next start: recovers the work folders and reconciles the dead process's intents.
  const check = await cli(['check', root, '--json']);
  expect(check.stderr).toBe('');
  const problems = JSON.parse(check.stdout) as Array<{ code: string; path: string }>;
  expect(problems.filter((p) => p.code === 'leftover')).toEqual([]);
  expect(problems).toEqual([]);
  expect(check.code).toBe(0);

  const after = await readFolder();
  expect(await inflightMarkers()).toEqual([]);

  // Only the action's own change can have happened, to files not yet at its status.
  const changed = sessions.filter((s) => after.get(s.ref) !== before.get(s.ref));
  expect(changed.filter((s) => after.get(s.ref) !== target).map((s) => s.ref)).toEqual([]);
  if (!result.killed) expect(changed.length).toBe(toChange);

  // The journal: one batch at most for the round, every intent settled by exactly one outcome.
  const journal = await readJournal();
  const intents = journal.intents.filter((i) => !knownBatches.has(i.batch));
  expect(new Set(intents.map((i) => i.batch)).size).toBeLessThanOrEqual(1);
  expect(intents.filter((i) => i.action !== 'set-status' || i.statusAfter !== target)).toEqual([]);
  expect(
    intents
      .filter((i) => (journal.outcomes.get(i.id)?.length ?? 0) !== 1)
      .map((i) => `${i.ref}: ${journal.outcomes.get(i.id)?.length ?? 0} outcomes`),
  ).toEqual([]);
  const outcomes = intents.map((i) => journal.outcomes.get(i.id)?.[0] as Outcome);
  // An applied outcome for each file that changed, and for no other file.
  expect(
    intents
      .filter((_, i) => outcomes[i]?.applied)
      .map((i) => i.ref)
      .sort(),
  ).toEqual(changed.map((s) => s.ref).sort());

  // The entries readers see (log, undo): exactly the changes of the round, as they happened.
  const entries = journal.entries.filter((e) => !knownBatches.has(e.batch));
  const described = (e: AuditEntry) =>
    e.action === 'set-status' ? `${e.ref}: ${e.statusBefore} → ${e.statusAfter}` : `${e.ref}: ${e.action}`;
  expect(entries.map(described).sort()).toEqual(
    changed.map((s) => `${s.ref}: ${before.get(s.ref)} → ${after.get(s.ref)}`).sort(),
  );
  expect(journal.entries.length).toBe(journalBefore.entries.length + entries.length);
  if (!result.killed) expect(entries.filter((e) => e.recovered)).toEqual([]);

  const figures: RoundFigures = {
    label,
    action,
    toChange,
    killAfterMs,
    killed: result.killed,
    ms: result.ms,
    workFoldersLeft: traces.workFolders,
    markersLeft: traces.markers,
    changed: changed.length,
    recoveredEntries: entries.filter((e) => e.recovered).length,
    recoveredNotApplied: outcomes.filter((o) => o.recovered && !o.applied).length,
    damagedLines: journal.damaged,
  };
  console.log(
    `${label}, ${action} (${toChange} to change): ` +
      `${result.killed ? `killed at ${killAfterMs} ms` : `finished in ${result.ms} ms`}; ` +
      `left ${traces.workFolders} work folder(s), ${traces.markers} in-flight marker(s); ` +
      `${changed.length} files changed, ${figures.recoveredEntries} entries recovered: true, ` +
      `${figures.recoveredNotApplied} intents judged not applied; ${journal.damaged} damaged journal lines`,
  );
  return { figures, after, journal };
}

describe('a change killed at any moment', () => {
  it('leaves every file old or new, no trace in the folder, and a journal of exactly what changed', async () => {
    const started = performance.now();
    const random = new Random(SEED, 1);
    const shuffled = () => {
      const order = [...sessions];
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = random.between(0, i);
        [order[i], order[j]] = [order[j] as Session, order[i] as Session];
      }
      return order;
    };

    let statuses = await readFolder();
    expect([...statuses.values()].every((s) => s === 'pending')).toBe(true);
    const baseline = await cli(['check', root, '--json']);
    expect(JSON.parse(baseline.stdout)).toEqual([]);
    let journal = await readJournal();
    const figures: RoundFigures[] = [];
    const next = async (label: string, action: 'accept' | 'pend', killAfterMs: number | null) => {
      const done = await round(label, action, statuses, journal, shuffled(), killAfterMs);
      figures.push(done.figures);
      statuses = done.after;
      journal = done.journal;
      return done.figures;
    };

    // Two runs to their end: one writing every file, one writing none (start-up, reading and
    // planning 2,000 files). The kills are spread over the duration they predict for each round.
    const fullRun = await next('full run', 'accept', null);
    expect(fullRun.changed).toBe(SESSIONS);
    const idleRun = await next('idle run', 'accept', null);
    expect(idleRun.changed).toBe(0);
    const predictMs = (toChange: number) =>
      idleRun.ms + (Math.max(0, fullRun.ms - idleRun.ms) * toChange) / SESSIONS;

    for (let index = 1; index <= ROUNDS; index += 1) {
      const action = index % 2 === 1 ? 'pend' : 'accept';
      const target: SessionStatus = action === 'accept' ? 'accepted' : 'pending';
      const toChange = sessions.filter((s) => statuses.get(s.ref) !== target).length;
      await next(
        `round ${index}`,
        action,
        Math.round(50 + random.next() * Math.min(MAX_KILL_MS, predictMs(toChange))),
      );
    }

    // The CLI's own reading of the journal agrees with the in-process one.
    const logged = await cli(['log', root, '--json']);
    expect(logged.code).toBe(0);
    expect(logged.stderr).toBe('');
    expect(JSON.parse(logged.stdout)).toEqual(journal.entries);

    const rounds = figures.slice(2);
    const sum = (pick: (f: RoundFigures) => number) => rounds.reduce((n, f) => n + pick(f), 0);
    console.log(
      `${rounds.filter((f) => f.killed).length} of ${ROUNDS} rounds killed ` +
        `(full run ${fullRun.ms} ms, idle run ${idleRun.ms} ms); ` +
        `files changed per round: ${rounds.map((f) => f.changed).join(', ')}; ` +
        `entries recovered: true per round: ${rounds.map((f) => f.recoveredEntries).join(', ')} ` +
        `(${sum((f) => f.recoveredEntries)} in all, ${sum((f) => f.recoveredNotApplied)} intents judged not applied); ` +
        `${journal.entries.length} journal entries; ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }, 240_000);
});
