import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Electron cannot run under Vitest: every test that reaches `electron` gets the one double,
    // named as such (test/support/electronDouble.ts), through this alias and nowhere else.
    alias: [{ find: /^electron$/, replacement: path.resolve('test/support/electronDouble.ts') }],
  },
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The OS trash of the tests (the `trash` package reads XDG_DATA_HOME when loaded), not the user's.
    env: { XDG_DATA_HOME: path.join(os.tmpdir(), 'mobile-sessions-test-xdg-data') },
  },
});
