/**
 * The engine child: holds the Workspace, and nothing else, so that its peak RSS is the engine's.
 * Start-up figures (cold scan, refresh, relaunch from the cache) are measured on its own; then it
 * tracks the refs the parent says the writer will touch, from the deltas alone (no snapshot() in
 * a loop: that is O(n) at 100,000 sessions).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { scanRoot } from '../electron/services/live/scanRoot.js';
import type { IndexSnapshot } from '../electron/services/live/sessionIndex.js';
import { SessionQuery } from '../electron/services/live/sessionQuery.js';
import { Workspace } from '../electron/services/live/workspace.js';
import { type ResolvedSessionFilter, sessionFilterSchema } from '../shared/contract.js';
import type { WorkspaceDelta } from '../shared/deltas.js';
import type { SessionSummary } from '../shared/session.js';
import {
  absNow,
  type Expected,
  failChild,
  type LoopDelay,
  type QueryFigures,
  type SnapshotDiff,
  type StartupResults,
  sendToParent,
  sleep,
  type ToEngine,
} from './protocol.js';

const log = (message: string) => console.error(`[engine] ${message}`);
const gc = (globalThis as { gc?: () => void }).gc;

/** The view of the touched refs, kept from deltas: ref → state, and when each first matched. */
class Tracker {
  private expected = new Map<string, Expected>();
  private readonly matching = new Set<string>();
  readonly firstMatch = new Map<string, number>();
  readonly withProblems = new Set<string>();
  transientDeltas = 0;
  allMatchedAt: number | null = null;
  private onAllMatched: (() => void) | null = null;

  reset(expectations: [string, Expected][]): void {
    this.expected = new Map(expectations);
    this.matching.clear();
    this.firstMatch.clear();
    this.withProblems.clear();
    this.transientDeltas = 0;
    this.allMatchedAt = null;
  }

  /** Returns the refs that reached their expected state for the first time in these deltas. */
  observe(deltas: WorkspaceDelta[], at: number): string[] {
    const firstTime: string[] = [];
    if (this.expected.size === 0 || this.allMatchedAt !== null) return firstTime;
    for (const delta of deltas) {
      if (
        delta.type !== 'session-added' &&
        delta.type !== 'session-changed' &&
        delta.type !== 'session-removed'
      )
        continue;
      const want = this.expected.get(delta.ref);
      if (want === undefined) continue;
      const state = delta.type === 'session-removed' ? 'removed' : delta.session.status;
      if (state === want) {
        this.matching.add(delta.ref);
        if (!this.firstMatch.has(delta.ref)) {
          this.firstMatch.set(delta.ref, at);
          firstTime.push(delta.ref);
        }
        if (delta.type !== 'session-removed' && delta.session.problems.length > 0)
          this.withProblems.add(delta.ref);
      } else {
        this.matching.delete(delta.ref);
        this.transientDeltas++;
      }
    }
    if (this.matching.size === this.expected.size) {
      this.allMatchedAt = at;
      this.onAllMatched?.();
    }
    return firstTime;
  }

  /** Resolves when every ref matches at once, or after `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.allMatchedAt !== null || this.expected.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.onAllMatched = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.onAllMatched = null;
  }

  unmatched(): string[] {
    return [...this.expected.keys()].filter((ref) => !this.matching.has(ref));
  }
}

function sessionsByRef(snapshot: IndexSnapshot): Map<string, SessionSummary> {
  return new Map(snapshot.apps.flatMap((app) => app.sessions.map((s) => [s.ref, s] as const)));
}

function diffSnapshots(workspace: IndexSnapshot, fresh: IndexSnapshot): SnapshotDiff {
  const ours = sessionsByRef(workspace);
  const theirs = sessionsByRef(fresh);
  const examples: string[] = [];
  const note = (what: string) => {
    if (examples.length < 8) examples.push(what);
  };
  let missing = 0;
  let differing = 0;
  for (const [ref, session] of theirs) {
    const mine = ours.get(ref);
    if (!mine) {
      missing++;
      note(`missing in the workspace: ${ref}`);
    } else if (!isDeepStrictEqual(mine, session)) {
      differing++;
      note(`differs: ${ref} (workspace status ${mine.status}, disk ${session.status})`);
    }
  }
  let extra = 0;
  for (const ref of ours.keys()) {
    if (!theirs.has(ref)) {
      extra++;
      note(`only in the workspace: ${ref}`);
    }
  }
  const appSummary = (snapshot: IndexSnapshot) =>
    new Map(snapshot.apps.map(({ sessions: _sessions, ...app }) => [app.folder, app]));
  const ourApps = appSummary(workspace);
  const theirApps = appSummary(fresh);
  let appsDiffering = 0;
  for (const folder of new Set([...ourApps.keys(), ...theirApps.keys()])) {
    if (!isDeepStrictEqual(ourApps.get(folder), theirApps.get(folder))) {
      appsDiffering++;
      note(`app summary differs: ${folder}`);
    }
  }
  return {
    missing,
    extra,
    differing,
    appsDiffering,
    problemsWorkspace: workspace.problems.length,
    problemsFresh: fresh.problems.length,
    examples,
  };
}

const memory: StartupResults['memory'] = [];
function noteMemory(step: string): void {
  const rssMB = process.memoryUsage().rss / 1024 / 1024;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  memory.push({ step, rssMB, maxRssMB });
  log(`memory after ${step}: rss ${Math.round(rssMB)} MB, peak ${Math.round(maxRssMB)} MB`);
}

/** 1 and 2: a cold first scan (a fresh data dir, so no cache), then refreshes with nothing changed; closed at the end (which saves the cache). */
async function coldPhase(root: string, dataDir: string) {
  noteMemory('start');
  gc?.();
  let firstRowAt: number | null = null;
  let coldSessionsAdded = 0;
  const t0 = performance.now();
  const cold = await Workspace.open(root, { dataDir });
  cold.subscribe((deltas) => {
    for (const delta of deltas) {
      if (delta.type !== 'session-added') continue;
      firstRowAt ??= performance.now();
      coldSessionsAdded++;
    }
  });
  await cold.ready;
  const coldMs = performance.now() - t0;
  if (cold.fromCache) throw new Error('the cold open used a cache: the data dir was meant to be fresh');
  log(`cold scan: ${Math.round(coldMs)} ms, ${coldSessionsAdded} sessions`);
  noteMemory('cold scan');
  await cold.settled;
  const coldSettleMs = performance.now() - t0;
  log(`settled (watcher + revalidation) at ${Math.round(coldSettleMs)} ms: ${cold.watcherState.state}`);
  noteMemory('cold settled');

  const refreshMs: number[] = [];
  let refreshDeltas = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const deltas = await cold.refresh();
    refreshMs.push(performance.now() - start);
    refreshDeltas += deltas.length;
  }
  log(`refresh: ${refreshMs.map((ms) => Math.round(ms)).join(', ')} ms`);
  noteMemory('refresh');

  const closeStart = performance.now();
  await cold.close();
  const closeMs = performance.now() - closeStart;
  noteMemory('close (cache saved)');
  const firstRowsMs = firstRowAt === null ? null : firstRowAt - t0;
  return { coldMs, firstRowsMs, coldSessionsAdded, coldSettleMs, refreshMs, refreshDeltas, closeMs };
}

/** 3: a new Workspace on the same root and data dir, from the cache. The cold one is out of scope by now. */
async function relaunchPhase(root: string, dataDir: string) {
  gc?.();
  const t1 = performance.now();
  const ws = await Workspace.open(root, { dataDir });
  let relaunchRevalidationDeltas = 0;
  const unsubscribe = ws.subscribe((deltas) => {
    for (const delta of deltas) if (delta.type.startsWith('session-')) relaunchRevalidationDeltas++;
  });
  await ws.ready;
  const relaunchMs = performance.now() - t1;
  if (!ws.fromCache) {
    throw new Error(
      `the relaunch did not use the index cache (fromCache === false) after close() in ${dataDir}`,
    );
  }
  log(`relaunch from cache: ${Math.round(relaunchMs)} ms`);
  noteMemory('relaunch');
  await ws.settled;
  const relaunchSettleMs = performance.now() - t1;
  unsubscribe();
  log(`settled again at ${Math.round(relaunchSettleMs)} ms: ${ws.watcherState.state}`);
  noteMemory('relaunch settled');
  return {
    ws,
    relaunch: { relaunchMs, fromCache: ws.fromCache, relaunchSettleMs, relaunchRevalidationDeltas },
  };
}

const filterOf = (input: Partial<ResolvedSessionFilter>) => sessionFilterSchema.parse(input);

/** The table's queries at full size, quiet: what each keystroke and click costs the engine. */
async function queryPhase(ws: Workspace, query: SessionQuery): Promise<QueryFigures> {
  const warmStart = performance.now();
  await query.warmUp();
  const warmUpMs = performance.now() - warmStart;
  const sample = ws.sessions(null)[0];
  const folder = sample?.ref.slice(0, sample.ref.indexOf('/')) ?? null;
  const word = (sample?.device.description ?? 'iphone').toLowerCase().split(' ')[0] ?? 'iphone';
  const email = (sample?.email ?? 'someone@example.com').toLowerCase();
  const steps: { label: string; kind: 'keystroke' | 'click'; filter: ResolvedSessionFilter }[] = [
    { label: 'All apps', kind: 'click', filter: filterOf({}) },
    { label: 'one app', kind: 'click', filter: filterOf({ folder }) },
    { label: 'All apps again', kind: 'click', filter: filterOf({}) },
  ];
  for (const search of ['a', '', 'e', '', '1', '', 'x', '', '.', ''])
    steps.push({ label: `search "${search}"`, kind: 'keystroke', filter: filterOf({ search }) });
  for (const text of [word, email]) {
    for (let i = 1; i <= text.length; i++)
      steps.push({
        label: `type "${text.slice(0, i)}"`,
        kind: 'keystroke',
        filter: filterOf({ search: text.slice(0, i) }),
      });
    steps.push({ label: 'clear', kind: 'keystroke', filter: filterOf({}) });
  }
  steps.push(
    { label: 'pending only', kind: 'click', filter: filterOf({ status: 'pending' }) },
    { label: 'pending, "a"', kind: 'keystroke', filter: filterOf({ status: 'pending', search: 'a' }) },
    { label: 'all statuses, "a"', kind: 'click', filter: filterOf({ search: 'a' }) },
    {
      label: 'sort by e-mail',
      kind: 'click',
      filter: filterOf({ search: 'a', sort: { key: 'email', direction: 'asc' } }),
    },
    {
      label: 'sort by e-mail, "ab"',
      kind: 'keystroke',
      filter: filterOf({ search: 'ab', sort: { key: 'email', direction: 'asc' } }),
    },
    {
      label: 'sort by e-mail, clear',
      kind: 'keystroke',
      filter: filterOf({ sort: { key: 'email', direction: 'asc' } }),
    },
    {
      label: 'sort by device',
      kind: 'click',
      filter: filterOf({ sort: { key: 'device', direction: 'desc' } }),
    },
  );
  const timed: QueryFigures['steps'] = [];
  for (const step of steps) {
    const start = performance.now();
    const page = await query.page(step.filter, 0, 100);
    timed.push({
      label: step.label,
      kind: step.kind,
      ms: performance.now() - start,
      matching: page.matching,
    });
  }
  // Typing faster than the answers: five keystrokes sent at once, only the last one is wanted.
  const burst = ['i', 'ip', 'ipa', 'ipad', 'ipad '].map((search) => filterOf({ search }));
  const burstStart = performance.now();
  const answers = await Promise.allSettled(burst.map((filter) => query.page(filter, 0, 100)));
  const burstMs = performance.now() - burstStart;
  const cancelled = answers.filter(
    (a) => a.status === 'rejected' && (a.reason as { code?: string }).code === 'cancelled',
  ).length;
  await query.page(filterOf({}), 0, 100);
  return { warmUpMs, steps: timed, burst: { keystrokes: burst.length, cancelled, lastAnsweredMs: burstMs } };
}

/** The event loop's delay while something happens: what a getState would wait, at worst. */
class LoopWatch {
  private readonly histogram = monitorEventLoopDelay({ resolution: 1 });

  start(): void {
    this.histogram.reset();
    this.histogram.enable();
  }

  stop(): LoopDelay {
    this.histogram.disable();
    const ms = (ns: number) => ns / 1e6;
    return {
      p50: ms(this.histogram.percentile(50)),
      p99: ms(this.histogram.percentile(99)),
      max: ms(this.histogram.max),
    };
  }
}

async function startUp(root: string, dataDir: string) {
  const cold = await coldPhase(root, dataDir);
  const { ws, relaunch } = await relaunchPhase(root, dataDir);
  const results: StartupResults = {
    ...cold,
    ...relaunch,
    watcherState: ws.watcherState.state,
    memory,
  };
  return { ws, results };
}

export async function runEngine(root: string, dataDir: string): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  try {
    const { ws, results } = await startUp(root, dataDir);
    // The table's query, as the app keeps it: it follows the deltas.
    const query = new SessionQuery((folder) => ws.sessions(folder));
    ws.subscribe((deltas) => query.apply(deltas));
    results.queries = await queryPhase(ws, query);
    noteMemory('queries');
    const tracker = new Tracker();
    const loop = new LoopWatch();
    // While the writer works, the table (All apps by e-mail) asks again after each change, as the
    // window does: when that answer is ready, the change has reached its row.
    const tableFilter = filterOf({ sort: { key: 'email', direction: 'asc' } });
    let tracking = false;
    const rowAt = new Map<string, number>();
    const requeryMs: number[] = [];
    let lastDeltaAt = performance.now();
    ws.subscribe((deltas) => {
      lastDeltaAt = performance.now();
      const matched = tracker.observe(deltas, absNow());
      if (!tracking) return;
      const start = performance.now();
      const answered = query.page(tableFilter, 0, 100).then(
        () => {
          requeryMs.push(performance.now() - start);
          return absNow();
        },
        () => absNow(),
      );
      for (const ref of matched) void answered.then((at) => rowAt.set(ref, at));
    });

    const handle = async (message: ToEngine): Promise<void> => {
      switch (message.type) {
        case 'ping':
          await sendToParent({ type: 'pong', now: absNow() });
          return;
        case 'expect':
          tracker.reset(message.expectations);
          rowAt.clear();
          requeryMs.length = 0;
          await query.page(tableFilter, 0, 100); // the table is open before the writer starts
          tracking = true;
          loop.start();
          await sendToParent({ type: 'expect-ok' });
          return;
        case 'collect': {
          await tracker.settle(message.timeoutMs);
          await sleep(200); // the last answers of the table
          tracking = false;
          const loopDelay = loop.stop();
          await sendToParent({
            type: 'collected',
            loopDelay,
            rowAt: [...rowAt],
            requeryMs: [...requeryMs],
            firstMatch: [...tracker.firstMatch],
            allMatchedAt: tracker.allMatchedAt,
            unmatched: tracker.unmatched(),
            transientDeltas: tracker.transientDeltas,
            withProblems: [...tracker.withProblems],
          });
          tracker.reset([]);
          noteMemory(message.phase);
          return;
        }
        case 'verify': {
          // The engine's peak, before the check below builds a second index of its own.
          const maxRssKB = process.resourceUsage().maxRSS;
          const quietSince = performance.now();
          while (performance.now() - lastDeltaAt < 500 && performance.now() - quietSince < 15_000)
            await sleep(100);
          gc?.();
          const liveHeapMB = gc ? process.memoryUsage().heapUsed / 1024 / 1024 : null;
          const rssMB = process.memoryUsage().rss / 1024 / 1024;
          const snapshot = ws.snapshot();
          const { stamps: _stamps, ...fresh } = await scanRoot(root);
          const equal = isDeepStrictEqual(snapshot, fresh);
          const sessionsInIndex = snapshot.apps.reduce((sum, app) => sum + app.sessions.length, 0);
          await sendToParent({
            type: 'verified',
            equal,
            diff: equal ? null : diffSnapshots(snapshot, fresh),
            sessionsInIndex,
            maxRssKB,
            liveHeapMB,
            rssMB,
            maxRssAfterVerifyKB: process.resourceUsage().maxRSS,
          });
          return;
        }
        case 'exit':
          await ws.close();
          process.exit(0);
      }
    };
    let work: Promise<void> = Promise.resolve();
    process.on('message', (raw) => {
      work = work.then(() => handle(raw as ToEngine)).catch((error: unknown) => failChild('engine', error));
    });
    await sendToParent({ type: 'startup', results });
  } catch (error) {
    await failChild('engine', error);
  }
}
