import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The OS trash of the tests (the `trash` package reads XDG_DATA_HOME when loaded), not the user's.
    env: { XDG_DATA_HOME: path.join(os.tmpdir(), 'mobile-sessions-test-xdg-data') },
  },
});
