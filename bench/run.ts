import { scanRoot } from '../electron/services/scanRoot.js';

const root = process.argv[2] ?? '/tmp/big';
const t0 = performance.now();
const scan = await scanRoot(root);
console.log(
  'scan ms',
  Math.round(performance.now() - t0),
  scan.apps.length,
  Math.round(process.memoryUsage().rss / 1e6),
  'MB',
);
