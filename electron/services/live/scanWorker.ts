/**
 * A scan worker (worker_threads): runs the scan jobs the main thread sends (scanJobs.ts) and
 * answers each with its result, reads encoded compactly (readCodec.ts). Its own build entry in
 * both builds (electron.vite.config.ts, vite.node.config.ts): `scanWorker.js` beside the bundle.
 */
import { parentPort, workerData } from 'node:worker_threads';
// Not a React hook, whatever its name says: aliased so the hooks lint rule leaves it alone.
import { useSessionSchema as judgeSessionsWith } from '../session/sessionChecks.js';
import { encodeReads } from './readCodec.js';
import { runScanJob, type ScanJob } from './scanJobs.js';
import type { FromScanWorker } from './scanPool.js';

const port = parentPort;
if (!port) throw new Error('scanWorker.js runs as a worker thread only.');
const { root, schemaFile } = workerData as { root: string; schemaFile: string | null };
// The same judge as the main thread: 4D's schema when the engine uses it, else the built-in one.
if (schemaFile) judgeSessionsWith(schemaFile);
const post = (message: FromScanWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', ({ id, job }: { id: number; job: ScanJob }) => {
  // Jobs run one after the other, synchronously: this thread has nothing else to keep responsive.
  void runScanJob(root, job, () => undefined).then(
    (result) => {
      if (result.kind === 'read') {
        const encoded = encodeReads(result.reads);
        post({ id, kind: 'read', encoded }, [encoded.numbers.buffer as ArrayBuffer]);
      } else post({ id, ...result }, result.stamps ? [result.stamps.buffer as ArrayBuffer] : []);
    },
    (error: unknown) =>
      post({ id, kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
post({ kind: 'ready' });
