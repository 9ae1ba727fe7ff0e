import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { precompiledSessionValidator } from './electron/services/session/precompileBuiltInValidator.js';

export default defineConfig({
  main: {
    // The built-in session schema as generated code, not compiled at start-up (the scan too).
    plugins: [precompiledSessionValidator()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The scan's worker thread, found beside the bundle at run time (live/scanPool.ts).
        input: { index: 'electron/main/index.ts', scanWorker: 'electron/services/live/scanWorker.ts' },
      },
    },
  },
  preload: {
    // Sandboxed preloads cannot load ES modules: one CommonJS file.
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: 'electron/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: 'out/renderer', rollupOptions: { input: 'renderer/index.html' } },
  },
});
