/**
 * The benchmark's entry, built to out/node/bench.js. Without `--role` it is the parent (see
 * bench/main.ts); the engine and writer children are this same file forked with `--role=…`.
 */
import { runEngine } from './engineRole.js';
import { runMain } from './main.js';
import { type Invocation, parseInvocation, USAGE } from './options.js';
import { runWriter } from './writerRole.js';

let invocation: Invocation;
try {
  invocation = parseInvocation(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

switch (invocation.role) {
  case 'help':
    console.log(USAGE);
    break;
  case 'engine':
    await runEngine(invocation.root, invocation.dataDir);
    break;
  case 'writer':
    await runWriter(invocation.root);
    break;
  case 'main':
    try {
      await runMain(invocation.options);
    } catch (error) {
      console.error(
        `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    }
    break;
}
