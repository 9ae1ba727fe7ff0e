/**
 * The write path's benchmark (`npm run bench:writes`): a bulk status change of N files through the
 * engine (SessionActions: intents flushed first, the one writer's move-aside, check and link,
 * outcomes, first-seen book), against the floor measured in the same run over the same files: a
 * plain loop of read + temp write + fsync + rename, with the same concurrency. Figures are
 * medians of several rounds, each round flipping every file's status. Target: ≤ 1.5 × the floor.
 */
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import { writeDemoFolder } from '../electron/services/demo/demoFolder.js';
import { SessionActions } from '../electron/services/history/sessionActions.js';
import { editStatus } from '../electron/services/session/statusEdit.js';

const TARGET_RATIO = 1.5;
const CONCURRENCY = 8;

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const files = Number(values.files);
const rounds = Number(values.rounds);
const progress = (message: string) => console.error(`[bench:writes] ${message}`);

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** The floor: what any safe replace costs, with nothing of ours around it. */
async function plainLoop(paths: string[], status: 'accepted' | 'pending'): Promise<void> {
  await pMap(
    paths,
    async (file) => {
      const bytes = await fs.readFile(file);
      const next = editStatus(bytes, status).bytes;
      const temporary = `${path.dirname(file)}/.${path.basename(file)}.tmp`;
      const handle = await fs.open(
        temporary,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
        0o644,
      );
      try {
        await handle.writeFile(next);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, file);
    },
    { concurrency: CONCURRENCY },
  );
}

async function main(): Promise<void> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'ms-bench-writes-'));
  try {
    const root = path.join(base, 'MobileApps');
    const dataDir = path.join(base, 'data');
    await writeDemoFolder(root, { apps: 1, sessions: files, seed: 1 });
    const [folder] = await fs.readdir(root);
    const names = (await fs.readdir(path.join(root, folder as string))).filter((n) => /^[0-9a-f]+$/i.test(n));
    const refs = names.map((n) => `${folder}/${n}`);
    const paths = names.map((n) => path.join(root, folder as string, n));
    const actions = new SessionActions({ root, dataDir });
    // Every file pending, so each round below changes every file.
    await actions.setStatus(refs, 'pending');

    const engine: number[] = [];
    const floor: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      let started = performance.now();
      const report = await actions.setStatus(refs, 'accepted');
      engine.push(performance.now() - started);
      const changed = report.results.filter((r) => r.outcome === 'changed').length;
      if (changed !== refs.length) throw new Error(`round ${round}: ${changed} of ${refs.length} changed`);
      // The floor sets them back to pending: the engine's next round changes every file again.
      started = performance.now();
      await plainLoop(paths, 'pending');
      floor.push(performance.now() - started);
      progress(
        `round ${round + 1}/${rounds}: engine ${engine.at(-1)?.toFixed(0)} ms, floor ${floor.at(-1)?.toFixed(0)} ms`,
      );
    }
    const engineMs = median(engine);
    const floorMs = median(floor);
    const ratio = engineMs / floorMs;
    const result = {
      files: refs.length,
      rounds,
      engineMs,
      floorMs,
      engineFilesPerSecond: Math.round((refs.length / engineMs) * 1000),
      floorFilesPerSecond: Math.round((refs.length / floorMs) * 1000),
      ratio,
      target: TARGET_RATIO,
      met: ratio <= TARGET_RATIO,
    };
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(
        `Bulk status change of ${result.files} files (median of ${rounds} rounds, concurrency ${CONCURRENCY})`,
      );
      console.log(
        `  engine (SessionActions.setStatus)       ${engineMs.toFixed(0)} ms  ${result.engineFilesPerSecond} files/s`,
      );
      console.log(
        `  floor (temp write + fsync + rename)     ${floorMs.toFixed(0)} ms  ${result.floorFilesPerSecond} files/s`,
      );
      console.log(
        `  ratio ${ratio.toFixed(2)} × the floor (target ≤ ${TARGET_RATIO}): ${result.met ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}

await main();
