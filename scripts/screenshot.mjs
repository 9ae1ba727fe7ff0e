#!/usr/bin/env node
// `npm run screenshot`: rewrites docs/screenshot.png and docs/screenshot.fr.png (the window in
// French) from the real UI on demo data (the web project of the e2e suite, with
// MOBILE_SESSIONS_SCREENSHOT=1). Test runs never write them.
import { spawnSync } from 'node:child_process';

const result = spawnSync(
  'npx',
  ['playwright', 'test', '--project=web', 'e2e/screenshot.spec.ts', 'e2e/french.spec.ts'],
  {
    stdio: 'inherit',
    env: { ...process.env, MOBILE_SESSIONS_SCREENSHOT: '1' },
    shell: process.platform === 'win32',
  },
);
process.exit(result.status ?? 1);
