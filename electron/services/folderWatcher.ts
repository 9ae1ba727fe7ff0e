/**
 * Watching a MobileApps folder, behind a small interface of our own so another backend could
 * replace chokidar. Both backends only say *where* something may have changed; the workspace
 * confirms every event with a fresh read before it reports anything.
 *
 * Chokidar watches the root and the app folders only (depth 1), never the session files
 * themselves: chokidar puts one native watcher on every file it tracks, which at 100,000
 * sessions took 7.4 s and 680 MB before the first event (measured). A directory's native watcher
 * already names the child that changed, so file events come from chokidar's `raw` events of the
 * app-folder watchers.
 */
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { isAppFolderName, isSessionFileName } from './sessionNames.js';

export type WatchEvent =
  /** Something happened to this file name in this app folder. */
  | { kind: 'file'; folder: string; name: string }
  /** An app folder appeared, vanished, or its manifest changed: re-list it. */
  | { kind: 'folder'; folder: string }
  /** Anything may have changed: re-check the whole folder (polling tick, root event). */
  | { kind: 'rescan' };

export interface WatcherCallbacks {
  onEvent: (event: WatchEvent) => void;
  onError: (error: Error) => void;
}

export interface FolderWatcher {
  readonly mode: 'watching' | 'polling';
  close(): Promise<void>;
}

/** Where a path sits under the root: the root itself, an app folder, or a file in one. */
function locate(root: string, absolute: string): { folder?: string; name?: string } | null {
  const relative = path.relative(root, absolute);
  if (relative === '') return {};
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const [folder, name, ...rest] = relative.split(path.sep);
  if (!folder || !isAppFolderName(folder) || rest.length > 0) return null;
  return name === undefined ? { folder } : { folder, name };
}

export async function watchWithChokidar(root: string, callbacks: WatcherCallbacks): Promise<FolderWatcher> {
  const watcher: FSWatcher = chokidar.watch(root, {
    depth: 1,
    ignoreInitial: true,
    // We confirm every event with a fresh read, so chokidar's own delays would only add latency.
    atomic: false,
    followSymlinks: false,
    ignorePermissionErrors: true,
    ignored: (absolute, stats) => {
      const where = locate(root, absolute);
      if (where === null) return true;
      if (where.folder === undefined) return false; // the root
      if (where.name === undefined) return stats ? !stats.isDirectory() : false; // app folders, not root files
      return where.name !== 'manifest.json';
    },
  });
  const folderEvent = (absolute: string) => {
    const where = locate(root, absolute);
    if (where === null) return;
    if (where.folder === undefined) callbacks.onEvent({ kind: 'rescan' });
    else callbacks.onEvent({ kind: 'folder', folder: where.folder });
  };
  watcher.on('addDir', folderEvent);
  watcher.on('unlinkDir', folderEvent);
  for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, folderEvent); // manifest.json
  watcher.on('raw', (_event, name, details) => {
    const watchedPath = (details as { watchedPath?: string } | undefined)?.watchedPath;
    const watched = watchedPath ? locate(root, watchedPath) : null;
    if (!watched || !name) return;
    if (watched.folder === undefined) {
      // The root's own watcher: an app folder came, went or was renamed.
      if (isAppFolderName(name)) callbacks.onEvent({ kind: 'folder', folder: name });
    } else if (watched.name === undefined && isSessionFileName(name)) {
      callbacks.onEvent({ kind: 'file', folder: watched.folder, name });
    }
  });
  watcher.on('error', (error: unknown) =>
    callbacks.onError(error instanceof Error ? error : new Error(String(error))),
  );
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    mode: 'watching',
    close: () => watcher.close(),
  };
}

/**
 * Polling for network shares and for when native watching fails: a `rescan` tick at an interval,
 * which the workspace answers with its stat-based refresh. (chokidar's own polling watches each
 * file with fs.watchFile, and does not see in-place rewrites when only folders are watched.)
 */
export function watchByPolling(intervalMs: number, callbacks: WatcherCallbacks): FolderWatcher {
  const timer = setInterval(() => callbacks.onEvent({ kind: 'rescan' }), intervalMs);
  timer.unref?.();
  return {
    mode: 'polling',
    close: async () => clearInterval(timer),
  };
}
