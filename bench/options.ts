/** The benchmark's command line (see bench/README.md). */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  sessions: number;
  apps: number;
  seed: number;
  json: boolean;
  changes: number;
  burst: number;
}

export type Invocation =
  | { role: 'main'; options: BenchOptions }
  | { role: 'help' }
  | { role: 'engine'; root: string; dataDir: string }
  | { role: 'writer'; root: string };

export const USAGE = `Usage: npm run bench -- [options]

  --sessions N   valid session files in the demo folder (default 100000)
  --apps N       app folders (default 50)
  --seed S       demo PRNG seed, also picks the files the writer touches (default 1)
  --changes N    single-file changes timed for the latency figure (default 200)
  --burst N      operations in the one-second burst (default 1000)
  --json         print one JSON object instead of the table
`;

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`--${name} must be an integer of at least ${min}, got "${raw}"`);
  }
  return value;
}

export function parseInvocation(argv: string[]): Invocation {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      role: { type: 'string' },
      root: { type: 'string' },
      'data-dir': { type: 'string' },
      sessions: { type: 'string' },
      apps: { type: 'string' },
      seed: { type: 'string' },
      changes: { type: 'string' },
      burst: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { role: 'help' };
  const role = values.role ?? 'main';
  if (role === 'engine' || role === 'writer') {
    const root = values.root;
    if (!root) throw new Error(`--role=${role} needs --root`);
    if (role === 'writer') return { role, root };
    const dataDir = values['data-dir'];
    if (!dataDir) throw new Error('--role=engine needs --data-dir');
    return { role, root, dataDir };
  }
  if (role !== 'main') throw new Error(`unknown --role "${role}"`);
  const options: BenchOptions = {
    sessions: integer('sessions', values.sessions, 100_000, 1),
    apps: integer('apps', values.apps, 50, 1),
    seed: integer('seed', values.seed, 1, 0),
    changes: integer('changes', values.changes, 200, 1),
    burst: integer('burst', values.burst, 1000, 5),
    json: values.json ?? false,
  };
  if (options.sessions < options.changes || options.sessions < options.burst) {
    throw new Error('--sessions must be at least --changes and --burst (the writer needs distinct files)');
  }
  return { role: 'main', options };
}
