/**
 * The baselines, run in the parent so that they do not inflate the engine child's RSS:
 * `cat` of every file (the floor for reading the bytes at all), a naive full re-read, and the
 * stat floor (what any stat-based refresh must do at least: list every folder, lstat every file).
 */
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isSessionFileName } from '../electron/services/session/sessionNames.js';

const CAT_ALL = 'find "$1" -mindepth 2 -maxdepth 2 -type f -print0 | xargs -0 cat > /dev/null';

function timeShell(script: string, arg: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('sh', ['-c', script, 'sh', arg], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(performance.now() - start);
      else reject(new Error(`"${script}" failed with ${signal ?? `code ${code}`}`));
    });
  });
}

/** `cat` of every file in the app folders, page cache warm: one warming run, then the timed one. */
export async function catBaseline(root: string): Promise<number> {
  await timeShell(CAT_ALL, root);
  return timeShell(CAT_ALL, root);
}

export interface NaiveRead {
  ms: number;
  /** Every session file and its top-level status, `<folder>/<file>` → status. */
  sessions: [string, unknown][];
}

/** What a refresh without stamps would do: read and parse every session file. */
export function naiveReread(root: string): NaiveRead {
  const start = performance.now();
  const sessions: [string, unknown][] = [];
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name.startsWith('.')) continue;
    const folderPath = path.join(root, folder.name);
    for (const entry of readdirSync(folderPath, { withFileTypes: true })) {
      if (!entry.isFile() || !isSessionFileName(entry.name)) continue;
      let text = readFileSync(path.join(folderPath, entry.name), 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const json = JSON.parse(text) as { status?: unknown };
      sessions.push([`${folder.name}/${entry.name}`, json.status]);
    }
  }
  return { ms: performance.now() - start, sessions };
}

/** A bare listing of every app folder and an `lstat` of every file in it, on one thread. */
export function statFloor(root: string): number {
  const start = performance.now();
  let files = 0;
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name.startsWith('.')) continue;
    const folderPath = path.join(root, folder.name);
    for (const name of readdirSync(folderPath)) {
      lstatSync(path.join(folderPath, name));
      files++;
    }
  }
  if (files === 0) throw new Error(`no files under ${root}`);
  return performance.now() - start;
}
