/**
 * The command line's figures (issue 16, item 3): the built CLI (out/node/cli.js) as admins run it,
 * a new process each time, against baselines measured in the same run. `--help` against a bare
 * `node -e 0`; `list` of a 20,000-session folder, Node's start included, against `cat` of the
 * same files. Medians of several runs; every run of `list` gets a new data folder, so it scans
 * the folder (no cached index) as a first `list` does.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeDemoFolder } from '../electron/services/demo/demoFolder.js';
import { catBaseline } from './baselines.js';

export const COMMAND_LINE_TARGETS = { helpRatio: 2.5, listRatio: 2 } as const;
export const COMMAND_LINE_SESSIONS = 20_000;
const RUNS = 7;

export interface CommandLineResults {
  sessions: number;
  runs: number;
  /** Medians, in ms. */
  nodeMs: number;
  helpMs: number;
  helpRatio: number;
  helpTarget: number;
  helpMet: boolean;
  catMs: number;
  listMs: number;
  listRatio: number;
  listTarget: number;
  listMet: boolean;
  runsMs: { node: number[]; help: number[]; cat: number[]; list: number[] };
  /** 1-minute load average before and after these runs. */
  loadAverage: { start: number; end: number };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** One process from spawn to exit; output discarded, a failure thrown with its stderr. */
function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else
        reject(new Error(`${command} ${args.join(' ')} failed with ${signal ?? `code ${code}`}: ${stderr}`));
    });
  });
}

/**
 * `runs` timings of the baseline and of the measured command, taken in turns: on a shared machine
 * both see the same moments of load. The medians are the figures.
 */
async function timeInTurns(
  runs: number,
  baseline: () => Promise<number>,
  measured: () => Promise<number>,
): Promise<[number[], number[]]> {
  const baselineMs: number[] = [];
  const measuredMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineMs.push(await baseline());
    measuredMs.push(await measured());
  }
  return [baselineMs, measuredMs];
}

/**
 * Measures the command line in `base` (a temp folder the caller removes): writes its own
 * 20,000-session demo folder there. `cli` is the built out/node/cli.js.
 */
export async function measureCommandLine(
  cli: string,
  base: string,
  loadAverage: () => number,
  progress: (message: string) => void,
): Promise<CommandLineResults> {
  const start = loadAverage();
  const root = path.join(base, 'cli-MobileApps');
  progress(`command line: writing ${COMMAND_LINE_SESSIONS.toLocaleString('en-US')} sessions`);
  await writeDemoFolder(root, { apps: 10, sessions: COMMAND_LINE_SESSIONS, seed: 1, withProblems: false });

  progress('command line: --help against node -e 0');
  const node = process.execPath;
  // One warm-up each: the first start pays for the disk cache of Node and of the modules.
  await timeProcess(node, ['-e', '0']);
  await timeProcess(node, [cli, '--help']);
  const [nodeRuns, helpRuns] = await timeInTurns(
    RUNS,
    () => timeProcess(node, ['-e', '0']),
    () => timeProcess(node, [cli, '--help']),
  );

  progress('command line: list against cat of the same files');
  const listOnce = async () => {
    const dataDir = await mkdtemp(path.join(base, 'cli-data-'));
    try {
      return await timeProcess(node, [cli, 'list', root], {
        ...process.env,
        MOBILE_SESSIONS_DATA_DIR: dataDir,
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  await listOnce();
  const [catRuns, listRuns] = await timeInTurns(RUNS, () => catBaseline(root), listOnce);

  const nodeMs = median(nodeRuns);
  const helpMs = median(helpRuns);
  const catMs = median(catRuns);
  const listMs = median(listRuns);
  return {
    sessions: COMMAND_LINE_SESSIONS,
    runs: RUNS,
    nodeMs,
    helpMs,
    helpRatio: helpMs / nodeMs,
    helpTarget: COMMAND_LINE_TARGETS.helpRatio,
    helpMet: helpMs / nodeMs <= COMMAND_LINE_TARGETS.helpRatio,
    catMs,
    listMs,
    listRatio: listMs / catMs,
    listTarget: COMMAND_LINE_TARGETS.listRatio,
    listMet: listMs / catMs <= COMMAND_LINE_TARGETS.listRatio,
    runsMs: { node: nodeRuns, help: helpRuns, cat: catRuns, list: listRuns },
    loadAverage: { start, end: loadAverage() },
  };
}
