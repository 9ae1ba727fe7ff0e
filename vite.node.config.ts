import { chmodSync } from 'node:fs';
import { defineConfig } from 'vite';

const CLI_OUTPUT = 'out/node/cli.js';

// The plain-Node programs (no Electron): the command-line front door and the benchmark, as ESM
// files with dependencies left in node_modules. The CLI is made executable so that
// `npx mobile-sessions` runs it from a checkout.
export default defineConfig({
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
    {
      name: 'make-cli-executable',
      closeBundle() {
        chmodSync(CLI_OUTPUT, 0o755);
      },
    },
  ],
});
