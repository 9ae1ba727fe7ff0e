/**
 * The index of a root, cached in the data directory so a relaunch shows the list at once; the
 * workspace then revalidates it against the disk (a stat per file) in the background. One file
 * per root, versioned, in V8's serialization format (no JSON parse of tens of megabytes), written
 * atomically. A cache that is missing, of another version, for another root or damaged is
 * simply not used.
 */
import { createHash } from 'node:crypto';
import { promises as fs, lstatSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import writeFileAtomic from 'write-file-atomic';
import type { FileProblem, SessionSummary } from '../../shared/session.js';
import type { AppManifest } from './appFolder.js';
import { SessionIndex } from './sessionIndex.js';
import type { FileStamp } from './sessionReader.js';

/** Bump when the index's shape or the checks change: an old cache is then ignored. */
export const INDEX_CACHE_VERSION = 1;

interface CachedIndex {
  version: number;
  root: string;
  rootIno: number;
  apps: {
    folder: string;
    manifest: AppManifest | null;
    sessions: SessionSummary[];
    broken: [string, FileProblem][];
  }[];
  stamps: [string, FileStamp][];
}

export function indexCacheFile(dataDir: string, root: string): string {
  const key = createHash('sha256').update(root).digest('hex').slice(0, 32);
  return path.join(dataDir, 'index-cache', `${key}.v8`);
}

export async function saveIndexCache(dataDir: string, index: SessionIndex): Promise<void> {
  const cached: CachedIndex = {
    version: INDEX_CACHE_VERSION,
    root: index.root,
    rootIno: lstatSync(index.root).ino,
    apps: [...index.apps.values()].map((app) => ({
      folder: app.folder,
      manifest: app.manifest,
      sessions: [...app.sessions.values()],
      broken: [...app.broken.entries()],
    })),
    stamps: [...index.stamps.entries()],
  };
  const file = indexCacheFile(dataDir, index.root);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, serialize(cached), { mode: 0o600 });
}

export async function loadIndexCache(dataDir: string, root: string): Promise<SessionIndex | null> {
  try {
    const cached = deserialize(await fs.readFile(indexCacheFile(dataDir, root))) as CachedIndex;
    if (
      cached.version !== INDEX_CACHE_VERSION ||
      cached.root !== root ||
      cached.rootIno !== lstatSync(root).ino
    ) {
      return null;
    }
    const index = new SessionIndex(root);
    for (const app of cached.apps) {
      const sessions = new Map(app.sessions.map((s) => [s.id, s]));
      index.apps.set(app.folder, {
        folder: app.folder,
        manifest: app.manifest,
        sessions,
        broken: new Map(app.broken),
      });
    }
    for (const [key, stamp] of cached.stamps) index.stamps.set(key, stamp);
    return index;
  } catch {
    return null;
  }
}
