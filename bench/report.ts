/** The benchmark's results: as a table for people, or as one JSON object. */
import type { CommandLineResults } from './commandLine.js';
import type { BenchOptions } from './options.js';
import type { LoopDelay, QueryFigures, SnapshotDiff, StartupResults } from './protocol.js';

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
  firstRows: { ms: number | null; target: number; met: boolean };
  refresh: {
    ms: number;
    runsMs: number[];
    deltas: number;
    naiveMs: number;
    naiveRunsMs: number[];
    speedup: number;
    target: number;
    met: boolean;
    /** A bare listing + lstat of every file, one thread, median of 3. */
    statFloorMs: number;
    statFloorRunsMs: number[];
    floorRatio: number;
    floorTarget: number;
    floorMet: boolean;
  };
  /** The table's queries in the engine at full size: keystrokes quiet, and re-queries while files change. */
  queries: {
    warmUpMs: number | null;
    keystrokes: number;
    keystrokeP50: number | null;
    keystrokeP95: number | null;
    keystrokeMax: number | null;
    clickP50: number | null;
    clickMax: number | null;
    requeries: number;
    requeryP95: number | null;
    requeryMax: number | null;
    burst: QueryFigures['burst'] | null;
    steps: QueryFigures['steps'];
    /** The larger of the keystrokes' p95 and the re-queries' p95. */
    p95: number | null;
    target: number;
    met: boolean;
  };
  /** The engine's event-loop delay while the writer changes files (figures 4 and 5). */
  eventLoop: { changes: LoopDelay; burst: LoopDelay; p99: number; target: number; met: boolean };
  /** A change on disk → the table's query (asked after its delta) answered. */
  changeToRow: {
    matched: number;
    p50: number | null;
    p95: number | null;
    max: number | null;
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
  /** The built command line against `node -e 0` and `cat` (bench/commandLine.ts). */
  commandLine?: CommandLineResults;
  allMet: boolean;
}

const ms = (value: number | null): string => {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
};
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const yes = (met: boolean) => (met ? 'yes' : 'NO');
const loop = (d: LoopDelay) => `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`;

/** Rows as aligned text: the first row is the header, a line of dashes under it. */
function textTable(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  return [
    line(rows[0] ?? []),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.slice(1).map(line),
  ];
}

export function formatTable(r: BenchResults): string {
  const n = r.options.sessions.toLocaleString('en-US');
  const rows: string[][] = [
    ['figure', 'value', 'baseline', 'ratio', 'target', 'met?'],
    [
      `1. cold first scan, ${n} sessions (open → ready)`,
      ms(r.coldScan.ms),
      `cat (warm): ${ms(r.coldScan.catMs)}`,
      times(r.coldScan.ratio),
      `≤ ${r.coldScan.target.toFixed(2)}×`,
      yes(r.coldScan.met),
    ],
    [
      '   first rows delivered (first session-added)',
      ms(r.firstRows.ms),
      '',
      '',
      `≤ ${r.firstRows.target} ms`,
      yes(r.firstRows.met),
    ],
    [
      '2. refresh, nothing changed (median of 3)',
      ms(r.refresh.ms),
      `naive re-read: ${ms(r.refresh.naiveMs)}`,
      `${times(r.refresh.speedup)} faster`,
      '≥ 4×',
      yes(r.refresh.met),
    ],
    [
      '   against the stat floor (listing + lstat)',
      ms(r.refresh.ms),
      `stat floor: ${ms(r.refresh.statFloorMs)}`,
      times(r.refresh.floorRatio),
      `≤ ${r.refresh.floorTarget.toFixed(2)}×`,
      yes(r.refresh.floorMet),
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
      '   change → table answer (query after the delta) p50',
      ms(r.changeToRow.p50),
      '',
      '',
      `≤ ${r.changeToRow.target} ms`,
      yes(r.changeToRow.met),
    ],
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
      `≤ ${r.peakMemory.target} MB`,
      yes(r.peakMemory.met),
    ],
    [
      `7. queries at ${n} rows: p95 of keystrokes, of re-queries`,
      ms(r.queries.p95),
      '',
      '',
      `≤ ${r.queries.target} ms`,
      yes(r.queries.met),
    ],
    [
      '8. event-loop delay while files change, p99',
      ms(r.eventLoop.p99),
      '',
      '',
      `≤ ${r.eventLoop.target} ms`,
      yes(r.eventLoop.met),
    ],
  ];
  const table = textTable(rows);

  const s = r.startup;
  const notes = [
    '',
    `demo: ${n} sessions in ${r.options.apps} apps, seed ${r.options.seed}, written in ${ms(r.generation.ms)}`,
    `machine: node ${r.environment.node}, ${r.environment.platform}, ${r.environment.cpus} × ${r.environment.cpuModel}, tmp ${r.environment.tmpdir}, load average ${r.environment.loadAverage.start.toFixed(2)} at the start, ${r.environment.loadAverage.end.toFixed(2)} at the end`,
    `cold: ${s.coldSessionsAdded} sessions delivered; settled (watcher + revalidation) at ${ms(s.coldSettleMs)}; close (cache save) ${ms(s.closeMs)}`,
    `refresh runs: ${r.refresh.runsMs.map(ms).join(', ')} (${r.refresh.deltas} deltas); naive runs: ${r.refresh.naiveRunsMs.map(ms).join(', ')}`,
    `refresh stat floor runs: ${r.refresh.statFloorRunsMs.map(ms).join(', ')}`,
    `queries: warm-up ${ms(r.queries.warmUpMs)}; ${r.queries.keystrokes} keystrokes p50 ${ms(r.queries.keystrokeP50)}, p95 ${ms(r.queries.keystrokeP95)}, max ${ms(r.queries.keystrokeMax)}; clicks (new app or order) p50 ${ms(r.queries.clickP50)}, max ${ms(r.queries.clickMax)}; ${r.queries.requeries} re-queries while files changed p95 ${ms(r.queries.requeryP95)}, max ${ms(r.queries.requeryMax)}`,
    `queries: ${r.queries.burst ? `${r.queries.burst.keystrokes} keystrokes sent at once: ${r.queries.burst.cancelled} cancelled, the last answered after ${ms(r.queries.burst.lastAnsweredMs)}` : 'n/a'}; slowest: ${[
      ...r.queries.steps,
    ]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((q) => `${q.label} ${ms(q.ms)}`)
      .join(', ')}`,
    `event loop delay (p50 / p99 / max): changes ${loop(r.eventLoop.changes)}, burst ${loop(r.eventLoop.burst)}`,
    `change → table answer: p95 ${ms(r.changeToRow.p95)}, max ${ms(r.changeToRow.max)} (${r.changeToRow.matched}/${r.changeLatency.count})`,
    `relaunch: fromCache ${r.relaunch.fromCache}; settled at ${ms(s.relaunchSettleMs)} with ${s.relaunchRevalidationDeltas} session deltas; watcher ${s.watcherState}`,
    `changes: ${r.changeLatency.transientDeltas} transient deltas (a tracked ref seen in another state first)`,
    `burst: ${r.burst.ops.add} add / ${r.burst.ops.change} change / ${r.burst.ops.remove} remove over ${ms(r.burst.writeSpanMs)}; unmatched ${r.burst.unmatched}; transient deltas ${r.burst.transientDeltas}; new files with problems ${r.burst.addedWithProblems}; ${r.burst.sessionsInIndex} sessions in the index at the end`,
    `engine memory (rss / peak MB): ${s.memory.map((m) => `${m.step} ${Math.round(m.rssMB)}/${Math.round(m.maxRssMB)}`).join(', ')}`,
    `engine at the end: rss ${Math.round(r.peakMemory.rssAtEndMb)} MB, live heap after GC ${r.peakMemory.liveHeapMb === null ? 'n/a' : `${Math.round(r.peakMemory.liveHeapMb)} MB`}`,
    `engine maxRSS after the final scanRoot check (not the figure): ${Math.round(r.peakMemory.afterVerifyMb)} MB`,
    `clock offsets vs the parent: engine ${r.clockOffsetMs.engine.toFixed(2)} ms, writer ${r.clockOffsetMs.writer.toFixed(2)} ms`,
  ];
  if (r.burst.diff) notes.push(`snapshot diff: ${JSON.stringify(r.burst.diff)}`);
  const commandLine = r.commandLine ? ['', ...formatCommandLine(r.commandLine)] : [];
  notes.push(`all targets met: ${r.allMet ? 'yes' : 'no'}`);
  return [...table, ...commandLine, ...notes].join('\n');
}

/** The command line's section: its own small table and the runs behind each median. */
export function formatCommandLine(c: CommandLineResults): string[] {
  const n = c.sessions.toLocaleString('en-US');
  const rows = [
    [`command line (median of ${c.runs})`, 'value', 'baseline', 'ratio', 'target', 'met?'],
    [
      'mobile-sessions --help',
      ms(c.helpMs),
      `node -e 0: ${ms(c.nodeMs)}`,
      times(c.helpRatio),
      `≤ ${c.helpTarget.toFixed(2)}×`,
      yes(c.helpMet),
    ],
    [
      `mobile-sessions list, ${n} sessions (no cache)`,
      ms(c.listMs),
      `cat: ${ms(c.catMs)}`,
      times(c.listRatio),
      `≤ ${c.listTarget.toFixed(2)}×`,
      yes(c.listMet),
    ],
  ];
  return [
    ...textTable(rows),
    `command line runs (ms): node -e 0 ${c.runsMs.node.map(Math.round).join(', ')}; --help ${c.runsMs.help.map(Math.round).join(', ')}; cat ${c.runsMs.cat.map(Math.round).join(', ')}; list ${c.runsMs.list.map(Math.round).join(', ')}`,
    `command line load average: ${c.loadAverage.start.toFixed(2)} before, ${c.loadAverage.end.toFixed(2)} after`,
  ];
}
