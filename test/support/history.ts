/** Test helpers: histories (auditLog.ts journals) too big or too damaged to make through the app. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { IOS_FOLDER } from './fixtures.js';

const GENERATED_TIME = '2020-01-01T00:00:00.000Z';

/** The path of segment `n` of the journal in `dir` (the history folder of one MobileApps folder). */
export const segmentFile = (dir: string, n: number) => path.join(dir, `${String(n).padStart(8, '0')}.jsonl`);

/**
 * `bytes` of binary garbage without a newline (so that it is exactly one damaged line), the same
 * for the same `seed`.
 */
export function garbage(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    const byte = x >>> 24;
    out[i] = byte === 0x0a ? 0xff : byte;
  }
  return out;
}

/**
 * Writes about `bytes` of valid journal records to `file`: applied status changes, 8 per batch,
 * over 500 refs that do not exist on disk, numbered from `first`. Returns how many changes it wrote.
 */
async function writeGeneratedSegment(file: string, bytes: number, first: number): Promise<number> {
  const handle = await fs.open(file, 'w', 0o600);
  let written = 0;
  let i = first;
  try {
    while (written < bytes) {
      const lines: string[] = [];
      for (let k = 0; k < 10_000; k += 1, i += 1) {
        const id = `gen-${i}`;
        lines.push(
          JSON.stringify({
            t: 'intent',
            id,
            batch: `gen-batch-${Math.floor(i / 8)}`,
            time: GENERATED_TIME,
            user: 'generated',
            pid: 1,
            ref: `${IOS_FOLDER}/${'f'.repeat(32)}${(i % 500).toString(16).padStart(8, '0')}`,
            action: 'set-status',
            statusBefore: 'pending',
            statusAfter: 'accepted',
            sha256Before: '0'.repeat(64),
            sha256After: '1'.repeat(64),
          }),
          JSON.stringify({ t: 'outcome', time: GENERATED_TIME, id, applied: true, code: null, reason: null }),
        );
      }
      const chunk = `${lines.join('\n')}\n`;
      await handle.writeFile(chunk);
      written += Buffer.byteLength(chunk);
    }
  } finally {
    await handle.close();
  }
  return i - first;
}

/**
 * A 1 GiB history in the journal folder `dir`: segment 1 is one sparse GiB "line" of NUL bytes
 * (taking no disk space), segments 2 to 5 hold 24 MiB of valid records each (96 MiB). Returns how
 * many changes those records are.
 */
export async function writeHugeHistory(dir: string): Promise<number> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(segmentFile(dir, 1), '');
  await fs.truncate(segmentFile(dir, 1), 1024 ** 3);
  let generated = 0;
  for (const n of [2, 3, 4, 5]) {
    generated += await writeGeneratedSegment(segmentFile(dir, n), 24 * 1024 ** 2, n * 1_000_000);
  }
  return generated;
}
