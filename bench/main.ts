/**
 * The parent: writes the demo folder, runs the baselines, forks the engine child (which measures
 * start-up on its own), then forks the writer child and times what the engine sees of its writes.
 * Progress goes to stderr, the results to stdout. The temp folder goes, whatever happens.
 */
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeDemoFolder } from '../electron/services/demo/demoFolder.js';
import { Random } from '../electron/services/demo/seededRandom.js';
import type { SessionStatus } from '../shared/session.js';
import { catBaseline, naiveReread, statFloor } from './baselines.js';
import { measureCommandLine } from './commandLine.js';
import type { BenchOptions } from './options.js';
import {
  absNow,
  type BurstOp,
  type Expected,
  type FromEngine,
  type FromWriter,
  Peer,
  type ToEngine,
  type ToWriter,
} from './protocol.js';
import { type BenchResults, formatTable } from './report.js';

const progress = (message: string) => console.error(`[bench] ${message}`);
const gc = (globalThis as { gc?: () => void }).gc;

const TARGETS = {
  coldRatio: 1.0,
  firstRowsMs: 100,
  refreshSpeedup: 4,
  refreshFloorRatio: 1.3,
  relaunchSpeedup: 5,
  latencyP95Ms: 150,
  rowMedianMs: 100,
  queryP95Ms: 50,
  loopP99Ms: 20,
  burstMs: 2000,
  rssMB: 250,
};
const CHANGE_GAP_MS = 20;
const BURST_DURATION_MS = 1000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Nearest-rank percentile. */
const percentile = (sorted: number[], q: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? null);

const flip = (status: SessionStatus): SessionStatus => (status === 'pending' ? 'accepted' : 'pending');

/** The child's clock minus ours, from the ping with the shortest round trip. */
async function clockOffset(peer: Peer<FromEngine, ToEngine> | Peer<FromWriter, ToWriter>): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 7; i++) {
    const sent = absNow();
    const { now } = await (peer as Peer<{ type: 'pong'; now: number }, { type: 'ping' }>).request(
      { type: 'ping' },
      'pong',
      10_000,
    );
    const received = absNow();
    if (received - sent < best.rtt) best = { rtt: received - sent, offset: now - (sent + received) / 2 };
  }
  return best.offset;
}

/** Extra Node flags for the engine child only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (debugging aid). */
const ENGINE_NODE_ARGS = (process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean);

function forkRole(args: string[], extraExecArgv: string[] = []) {
  return fork(process.argv[1] as string, args, {
    execArgv: [...process.execArgv, ...extraExecArgv],
    // The children's stdout goes to our stderr: stdout is for the results only.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
    serialization: 'advanced',
  });
}

export async function runMain(options: BenchOptions): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const base = await mkdtemp(path.join(os.tmpdir(), 'mobile-sessions-bench-'));
  const root = path.join(base, 'MobileApps');
  const dataDir = path.join(base, 'data');
  const children: { kill: () => void }[] = [];
  const onSignal = () => {
    for (const child of children) child.kill();
    rmSync(base, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // The demo folder and a fresh data dir.
    progress(`writing ${options.sessions} sessions in ${options.apps} apps to ${root}`);
    const genStart = performance.now();
    await writeDemoFolder(root, { apps: options.apps, sessions: options.sessions, seed: options.seed });
    await mkdir(dataDir);
    const generationMs = performance.now() - genStart;
    progress(`written in ${Math.round(generationMs)} ms`);

    // Baselines, here rather than in the engine child.
    gc?.();
    const catMs = await catBaseline(root);
    progress(`cat baseline: ${Math.round(catMs)} ms`);
    const naiveRunsMs: number[] = [];
    let sessions: [string, unknown][] = [];
    for (let i = 0; i < 3; i++) {
      gc?.();
      const run = naiveReread(root);
      naiveRunsMs.push(run.ms);
      sessions = run.sessions;
    }
    progress(`naive re-read of ${sessions.length} files: ${naiveRunsMs.map(Math.round).join(', ')} ms`);
    const statFloorRunsMs = [statFloor(root), statFloor(root), statFloor(root)];
    progress(`stat floor (listing + lstat): ${statFloorRunsMs.map(Math.round).join(', ')} ms`);
    const model = new Map<string, SessionStatus>();
    for (const [ref, status] of sessions) {
      if (status !== 'accepted' && status !== 'pending')
        throw new Error(`${ref} has status ${String(status)}`);
      model.set(ref, status);
    }
    sessions = [];
    gc?.();

    // The engine child: start-up figures.
    progress('starting the engine child (cold scan, refresh, relaunch)');
    const engine = new Peer<FromEngine, ToEngine>(
      'engine',
      forkRole(['--role=engine', `--root=${root}`, `--data-dir=${dataDir}`], ENGINE_NODE_ARGS),
    );
    children.push(engine);
    const { results: startup } = await engine.next('startup', 15 * 60_000);

    // The writer child.
    const writer = new Peer<FromWriter, ToWriter>('writer', forkRole(['--role=writer', `--root=${root}`]));
    children.push(writer);
    const clockOffsetMs = { engine: await clockOffset(engine), writer: await clockOffset(writer) };
    const rng = new Random(options.seed, 5);

    // 4. Single changes, one at a time.
    progress(`changes: ${options.changes} files, ${CHANGE_GAP_MS} ms apart`);
    const changeRefs = rng.sample([...model.keys()], options.changes);
    const changeExpected = new Map(changeRefs.map((ref) => [ref, flip(model.get(ref) as SessionStatus)]));
    await engine.request({ type: 'expect', expectations: [...changeExpected] }, 'expect-ok', 30_000);
    const { writes } = await writer.request(
      { type: 'latency', refs: changeRefs, gapMs: CHANGE_GAP_MS },
      'latency-done',
      options.changes * 1000 + 60_000,
    );
    for (const write of writes) {
      if (write.status !== changeExpected.get(write.ref))
        throw new Error(`${write.ref}: the writer wrote ${write.status}, the model expected otherwise`);
      model.set(write.ref, write.status);
    }
    const changes = await engine.request(
      { type: 'collect', timeoutMs: 5000, phase: 'changes' },
      'collected',
      60_000,
    );
    const seenAt = new Map(changes.firstMatch);
    const latencies = writes
      .flatMap((w) => {
        const at = seenAt.get(w.ref);
        return at === undefined ? [] : [at - w.at];
      })
      .sort((a, b) => a - b);
    const rowAt = new Map(changes.rowAt);
    const rowLatencies = writes
      .flatMap((w) => {
        const at = rowAt.get(w.ref);
        return at === undefined ? [] : [at - w.at];
      })
      .sort((a, b) => a - b);
    progress(
      `changes: ${latencies.length}/${writes.length} seen, p95 ${percentile(latencies, 0.95)?.toFixed(1)} ms`,
    );

    // 5. The burst.
    const addCount = Math.round(options.burst * 0.4);
    const changeCount = Math.round(options.burst * 0.4);
    const removeCount = options.burst - addCount - changeCount;
    const existing = [...model.keys()];
    const picked = rng.sample(existing, changeCount + removeCount);
    const templates = new Map<string, string>();
    for (const ref of existing) {
      const folder = ref.slice(0, ref.lastIndexOf('/'));
      if (!templates.has(folder)) templates.set(folder, ref);
    }
    const folders = [...templates.keys()];
    const ops: BurstOp[] = picked.map((ref, i) => ({ kind: i < changeCount ? 'change' : 'remove', ref }));
    for (let i = 0; i < addCount; i++) {
      const folder = folders[Math.floor(rng.next() * folders.length)] as string;
      let ref = `${folder}/${rng.hex(40)}`;
      while (model.has(ref)) ref = `${folder}/${rng.hex(40)}`;
      model.set(ref, 'pending');
      ops.push({ kind: 'add', ref, template: templates.get(folder) as string });
    }
    rng.shuffle(ops);
    const burstExpected: [string, Expected][] = ops.map((op) => [
      op.ref,
      op.kind === 'add'
        ? 'pending'
        : op.kind === 'remove'
          ? 'removed'
          : flip(model.get(op.ref) as SessionStatus),
    ]);
    progress(
      `burst: ${addCount} add, ${changeCount} change, ${removeCount} remove over ${BURST_DURATION_MS} ms`,
    );
    await engine.request({ type: 'expect', expectations: burstExpected }, 'expect-ok', 30_000);
    const burstDone = await writer.request(
      { type: 'burst', ops, durationMs: BURST_DURATION_MS },
      'burst-done',
      120_000,
    );
    const burst = await engine.request(
      { type: 'collect', timeoutMs: 20_000, phase: 'burst' },
      'collected',
      60_000,
    );
    const burstMs = burst.allMatchedAt === null ? null : burst.allMatchedAt - burstDone.lastWriteAt;
    progress(
      burstMs === null
        ? `burst: ${burst.unmatched.length} refs never matched within 20 s`
        : `burst: all seen ${Math.round(burstMs)} ms after the last write`,
    );

    // The final check, and the engine's peak memory (taken before the check).
    progress('checking the final index against a fresh scan');
    const verified = await engine.request({ type: 'verify' }, 'verified', 10 * 60_000);
    writer.send({ type: 'exit' });
    engine.send({ type: 'exit' });
    await Promise.all([writer.exit(10_000), engine.exit(120_000)]);

    const coldRatio = startup.coldMs / catMs;
    const refreshMs = median(startup.refreshMs);
    const naiveMs = median(naiveRunsMs);
    const statFloorMs = median(statFloorRunsMs);
    const queries = startup.queries;
    const keystrokes = (queries?.steps ?? []).filter((q) => q.kind === 'keystroke').map((q) => q.ms);
    keystrokes.sort((a, b) => a - b);
    const clicks = (queries?.steps ?? []).filter((q) => q.kind === 'click').map((q) => q.ms);
    clicks.sort((a, b) => a - b);
    const requeries = [...changes.requeryMs, ...burst.requeryMs].sort((a, b) => a - b);
    const loopP99 = Math.max(changes.loopDelay.p99, burst.loopDelay.p99);
    const rowP50 = percentile(rowLatencies, 0.5);
    // Each kind held to the target on its own: re-queries outnumber keystrokes and are cheap.
    const queryP95s = [percentile(keystrokes, 0.95), percentile(requeries, 0.95)];
    const queryP95 = queryP95s.includes(null) ? null : Math.max(...(queryP95s as number[]));
    const p95 = percentile(latencies, 0.95);
    const rssMB = verified.maxRssKB / 1024;
    const results: BenchResults = {
      options,
      environment: {
        node: process.version,
        platform: `${process.platform} ${os.release()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        tmpdir: os.tmpdir(),
        loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
      },
      generation: { ms: generationMs, root },
      coldScan: {
        ms: startup.coldMs,
        catMs,
        ratio: coldRatio,
        target: TARGETS.coldRatio,
        met: coldRatio <= TARGETS.coldRatio,
      },
      firstRows: {
        ms: startup.firstRowsMs,
        target: TARGETS.firstRowsMs,
        met: startup.firstRowsMs !== null && startup.firstRowsMs <= TARGETS.firstRowsMs,
      },
      refresh: {
        ms: refreshMs,
        runsMs: startup.refreshMs,
        deltas: startup.refreshDeltas,
        naiveMs,
        naiveRunsMs,
        speedup: naiveMs / refreshMs,
        target: TARGETS.refreshSpeedup,
        met: naiveMs / refreshMs >= TARGETS.refreshSpeedup,
        statFloorMs,
        statFloorRunsMs,
        floorRatio: refreshMs / statFloorMs,
        floorTarget: TARGETS.refreshFloorRatio,
        floorMet: refreshMs / statFloorMs <= TARGETS.refreshFloorRatio,
      },
      queries: {
        warmUpMs: queries?.warmUpMs ?? null,
        keystrokes: keystrokes.length,
        keystrokeP50: percentile(keystrokes, 0.5),
        keystrokeP95: percentile(keystrokes, 0.95),
        keystrokeMax: keystrokes.at(-1) ?? null,
        clickP50: percentile(clicks, 0.5),
        clickMax: clicks.at(-1) ?? null,
        requeries: requeries.length,
        requeryP95: percentile(requeries, 0.95),
        requeryMax: requeries.at(-1) ?? null,
        burst: queries?.burst ?? null,
        steps: queries?.steps ?? [],
        p95: queryP95,
        target: TARGETS.queryP95Ms,
        met: queryP95 !== null && queryP95 <= TARGETS.queryP95Ms,
      },
      eventLoop: {
        changes: changes.loopDelay,
        burst: burst.loopDelay,
        p99: loopP99,
        target: TARGETS.loopP99Ms,
        met: loopP99 <= TARGETS.loopP99Ms,
      },
      changeToRow: {
        matched: rowLatencies.length,
        p50: rowP50,
        p95: percentile(rowLatencies, 0.95),
        max: rowLatencies.at(-1) ?? null,
        target: TARGETS.rowMedianMs,
        met: rowLatencies.length === writes.length && rowP50 !== null && rowP50 <= TARGETS.rowMedianMs,
      },
      relaunch: {
        ms: startup.relaunchMs,
        coldMs: startup.coldMs,
        speedup: startup.coldMs / startup.relaunchMs,
        fromCache: startup.fromCache,
        target: TARGETS.relaunchSpeedup,
        met: startup.fromCache && startup.coldMs / startup.relaunchMs >= TARGETS.relaunchSpeedup,
      },
      changeLatency: {
        count: writes.length,
        matched: latencies.length,
        p50: percentile(latencies, 0.5),
        p95,
        max: latencies.at(-1) ?? null,
        transientDeltas: changes.transientDeltas,
        target: TARGETS.latencyP95Ms,
        met: latencies.length === writes.length && p95 !== null && p95 <= TARGETS.latencyP95Ms,
      },
      burst: {
        ops: { add: addCount, change: changeCount, remove: removeCount },
        writeSpanMs: burstDone.lastWriteAt - burstDone.firstWriteAt,
        ms: burstMs,
        unmatched: burst.unmatched.length,
        transientDeltas: burst.transientDeltas,
        addedWithProblems: burst.withProblems.length,
        target: TARGETS.burstMs,
        met: burstMs !== null && burstMs <= TARGETS.burstMs,
        nothingLost: verified.equal,
        diff: verified.diff,
        sessionsInIndex: verified.sessionsInIndex,
      },
      peakMemory: {
        mb: rssMB,
        rssAtEndMb: verified.rssMB,
        liveHeapMb: verified.liveHeapMB,
        afterVerifyMb: verified.maxRssAfterVerifyKB / 1024,
        target: TARGETS.rssMB,
        met: rssMB <= TARGETS.rssMB,
      },
      clockOffsetMs,
      startup,
      allMet: false,
    };
    // The built command line (out/node/cli.js, beside this file), once the engine child is gone.
    const cli = path.join(path.dirname(process.argv[1] as string), 'cli.js');
    results.commandLine = await measureCommandLine(cli, base, () => os.loadavg()[0] ?? 0, progress);
    results.allMet = [
      results.commandLine.helpMet,
      results.commandLine.listMet,
      results.coldScan.met,
      results.firstRows.met,
      results.refresh.met,
      results.refresh.floorMet,
      results.queries.met,
      results.eventLoop.met,
      results.changeToRow.met,
      results.relaunch.met,
      results.changeLatency.met,
      results.burst.met,
      results.burst.nothingLost,
      results.peakMemory.met,
    ].every(Boolean);
    console.log(options.json ? JSON.stringify(results, null, 2) : formatTable(results));
  } finally {
    for (const child of children) child.kill();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress(`removing ${base}`);
    await rm(base, { recursive: true, force: true });
  }
}
