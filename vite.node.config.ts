import { chmodSync } from 'node:fs';
import { defineConfig } from 'vite';
import { precompiledSessionValidator } from './electron/services/session/precompileBuiltInValidator.js';

const CLI_OUTPUT = 'out/node/cli.js';

// The plain-Node programs (no Electron): the command-line front door and the benchmark, as ESM
// files with dependencies left in node_modules. The CLI is made executable so that
// `npx mobile-sessions` runs it from a checkout.
export default defineConfig({
  // Zod goes into the bundle: loaded from node_modules it is about a hundred modules (every
  // locale among them) that each command line run resolved and compiled one by one, about a third
  // more CPU time for the contract's import than the one bundled chunk (measured).
  ssr: { noExternal: ['zod'] },
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: {
        cli: 'electron/cli/index.ts',
        bench: 'bench/run.ts',
        'bench-writes': 'bench/writes.ts',
        'bench-ui': 'bench/ui.ts',
        // The scan's worker thread, found beside the bundle at run time (live/scanPool.ts).
        scanWorker: 'electron/services/live/scanWorker.ts',
      },
      output: {
        entryFileNames: '[name].js',
        banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  plugins: [
    // The built-in session schema as generated code, not compiled at start-up.
    precompiledSessionValidator(),
    {
      name: 'make-cli-executable',
      closeBundle() {
        chmodSync(CLI_OUTPUT, 0o755);
      },
    },
  ],
});
