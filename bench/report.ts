/** The benchmark's results: as a table for people, or as one JSON object. */
import type { BenchOptions } from './options.js';
import type { SnapshotDiff, StartupResults } from './protocol.js';

export interface BenchResults {
  options: BenchOptions;
  environment: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    tmpdir: string;
    /** 1-minute load average when the run started, and when it ended: other work skews every figure. */
    loadAverage: { start: number; end: number };
  };
  generation: { ms: number; root: string };
  coldScan: { ms: number; catMs: number; ratio: number; target: number; met: boolean };
  firstRows: { ms: number | null };
  refresh: {
    ms: number;
    runsMs: number[];
    deltas: number;
    naiveMs: number;
    naiveRunsMs: number[];
    speedup: number;
    target: number;
    met: boolean;
  };
  relaunch: {
    ms: number;
    coldMs: number;
    speedup: number;
    fromCache: boolean;
    target: number;
    met: boolean;
  };
  changeLatency: {
    count: number;
    matched: number;
    p50: number | null;
    p95: number | null;
    max: number | null;
    transientDeltas: number;
    target: number;
    met: boolean;
  };
  burst: {
    ops: { add: number; change: number; remove: number };
    writeSpanMs: number;
    ms: number | null;
    unmatched: number;
    transientDeltas: number;
    addedWithProblems: number;
    target: number;
    met: boolean;
    nothingLost: boolean;
    diff: SnapshotDiff | null;
    sessionsInIndex: number;
  };
  peakMemory: {
    mb: number;
    /** At the end, before the check: RSS, and the heap in use after a forced GC. */
    rssAtEndMb: number;
    liveHeapMb: number | null;
    afterVerifyMb: number;
    target: number;
    met: boolean;
  };
  /** Estimated clock offsets of the children against the parent (ms, child minus parent). */
  clockOffsetMs: { engine: number; writer: number };
  startup: StartupResults;
  allMet: boolean;
}

const ms = (value: number | null): string => {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
};
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const yes = (met: boolean) => (met ? 'yes' : 'NO');

export function formatTable(r: BenchResults): string {
  const n = r.options.sessions.toLocaleString('en-US');
  const rows: string[][] = [
    ['figure', 'value', 'baseline', 'ratio', 'target', 'met?'],
    [
      `1. cold first scan, ${n} sessions (open → ready)`,
      ms(r.coldScan.ms),
      `cat (warm): ${ms(r.coldScan.catMs)}`,
      times(r.coldScan.ratio),
      '≤ 1.30×',
      yes(r.coldScan.met),
    ],
    ['   first rows delivered (first session-added)', ms(r.firstRows.ms), '', '', '', ''],
    [
      '2. refresh, nothing changed (median of 3)',
      ms(r.refresh.ms),
      `naive re-read: ${ms(r.refresh.naiveMs)}`,
      `${times(r.refresh.speedup)} faster`,
      '≥ 4×',
      yes(r.refresh.met),
    ],
    [
      '3. relaunch until the list is ready (cache)',
      ms(r.relaunch.ms),
      `cold scan: ${ms(r.relaunch.coldMs)}`,
      `${times(r.relaunch.speedup)} faster`,
      '≥ 5×',
      yes(r.relaunch.met),
    ],
    [
      `4. one file changed → delta (${r.changeLatency.matched}/${r.changeLatency.count}) p50`,
      ms(r.changeLatency.p50),
      '',
      '',
      '',
      '',
    ],
    ['   p95', ms(r.changeLatency.p95), '', '', '≤ 150 ms', yes(r.changeLatency.met)],
    ['   max', ms(r.changeLatency.max), '', '', '', ''],
    [
      `5. burst of ${r.options.burst} ops in ~1 s: last write → all seen`,
      ms(r.burst.ms),
      '',
      '',
      '≤ 2000 ms',
      yes(r.burst.met),
    ],
    [
      '   nothing lost (snapshot = fresh scanRoot)',
      r.burst.nothingLost ? 'yes' : 'NO',
      '',
      '',
      'yes',
      yes(r.burst.nothingLost),
    ],
    [
      '6. peak memory of the engine (maxRSS)',
      `${Math.round(r.peakMemory.mb)} MB`,
      '',
      '',
      '≤ 300 MB',
      yes(r.peakMemory.met),
    ],
  ];
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  const separator = widths.map((width) => '-'.repeat(width)).join('-|-');
  const table = [line(rows[0] as string[]), separator, ...rows.slice(1).map(line)];

  const s = r.startup;
  const notes = [
    '',
    `demo: ${n} sessions in ${r.options.apps} apps, seed ${r.options.seed}, written in ${ms(r.generation.ms)}`,
    `machine: node ${r.environment.node}, ${r.environment.platform}, ${r.environment.cpus} × ${r.environment.cpuModel}, tmp ${r.environment.tmpdir}, load average ${r.environment.loadAverage.start.toFixed(2)} at the start, ${r.environment.loadAverage.end.toFixed(2)} at the end`,
    `cold: ${s.coldSessionsAdded} sessions delivered; settled (watcher + revalidation) at ${ms(s.coldSettleMs)}; close (cache save) ${ms(s.closeMs)}`,
    `refresh runs: ${r.refresh.runsMs.map(ms).join(', ')} (${r.refresh.deltas} deltas); naive runs: ${r.refresh.naiveRunsMs.map(ms).join(', ')}`,
    `relaunch: fromCache ${r.relaunch.fromCache}; settled at ${ms(s.relaunchSettleMs)} with ${s.relaunchRevalidationDeltas} session deltas; watcher ${s.watcherState}`,
    `changes: ${r.changeLatency.transientDeltas} transient deltas (a tracked ref seen in another state first)`,
    `burst: ${r.burst.ops.add} add / ${r.burst.ops.change} change / ${r.burst.ops.remove} remove over ${ms(r.burst.writeSpanMs)}; unmatched ${r.burst.unmatched}; transient deltas ${r.burst.transientDeltas}; new files with problems ${r.burst.addedWithProblems}; ${r.burst.sessionsInIndex} sessions in the index at the end`,
    `engine memory (rss / peak MB): ${s.memory.map((m) => `${m.step} ${Math.round(m.rssMB)}/${Math.round(m.maxRssMB)}`).join(', ')}`,
    `engine at the end: rss ${Math.round(r.peakMemory.rssAtEndMb)} MB, live heap after GC ${r.peakMemory.liveHeapMb === null ? 'n/a' : `${Math.round(r.peakMemory.liveHeapMb)} MB`}`,
    `engine maxRSS after the final scanRoot check (not the figure): ${Math.round(r.peakMemory.afterVerifyMb)} MB`,
    `clock offsets vs the parent: engine ${r.clockOffsetMs.engine.toFixed(2)} ms, writer ${r.clockOffsetMs.writer.toFixed(2)} ms`,
  ];
  if (r.burst.diff) notes.push(`snapshot diff: ${JSON.stringify(r.burst.diff)}`);
  notes.push(`all targets met: ${r.allMet ? 'yes' : 'no'}`);
  return [...table, ...notes].join('\n');
}
