/**
 * Issue 13.9: on a network file system native watching often delivers no event without failing,
 * so the workspace polls there by itself and says so. No share can be mounted here: the file
 * system detector's seam answers "nfs" for a real temporary folder, and the native watcher is a
 * double that stays silent as a share's would (so only polling can see the change).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeSession } from '../../../test/support/fixtures.js';
import type { FolderWatcher } from './folderWatcher.js';
import { Workspace } from './workspace.js';

let root: string;
let dataDir: string;
let workspace: Workspace | null = null;
let nativeStarts = 0;

/** Double of a native watcher on a share: starts fine, never reports anything. */
const silentNativeWatcher = async (): Promise<FolderWatcher> => {
  nativeStarts++;
  return { mode: 'watching', close: async () => {} };
};

beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
  nativeStarts = 0;
});
afterEach(async () => {
  await workspace?.close();
  workspace = null;
  await removeDir(root);
  await removeDir(dataDir);
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('workspace on a network file system', () => {
  it('polls by itself, says why, and sees a session the silent native watcher would miss', async () => {
    await writeSession(root);
    workspace = await Workspace.open(root, {
      dataDir,
      pollIntervalMs: 100,
      startNativeWatcher: silentNativeWatcher,
      detectFileSystem: () => ({ network: true, name: 'nfs' }),
    });
    await workspace.settled;
    expect(workspace.watcherState).toEqual({
      state: 'polling',
      message: 'Polling the folder every 0.1 s: it is on a network file system (nfs).',
    });
    expect(nativeStarts).toBe(0);
    await writeSession(root);
    const ws = workspace;
    await waitFor(() => ws.snapshot().apps.flatMap((app) => app.sessions).length === 2);
  });

  it('watches natively on a local file system', async () => {
    workspace = await Workspace.open(root, {
      dataDir,
      startNativeWatcher: silentNativeWatcher,
      detectFileSystem: () => ({ network: false, name: null }),
    });
    await workspace.settled;
    expect(workspace.watcherState.state).toBe('watching');
    expect(nativeStarts).toBe(1);
  });
});
