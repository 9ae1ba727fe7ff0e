/**
 * The live folder on real temporary folders with real chokidar: after every kind of change the
 * index must equal a fresh scan of the disk (not merely "an event came").
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import {
  ANDROID_BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  sessionJson,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import { watchWithChokidar } from './folderWatcher.js';
import { scanRoot } from './scanRoot.js';
import { Workspace, type WorkspaceOptions } from './workspace.js';

let root: string;
let dataDir: string;
let workspace: Workspace | null = null;
let deltas: WorkspaceDelta[] = [];

beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
  deltas = [];
});
afterEach(async () => {
  await workspace?.close();
  workspace = null;
  await removeDir(root);
  await removeDir(dataDir);
});

async function open(options: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
  workspace = await Workspace.open(root, { dataDir, rootCheckMs: 100, pollIntervalMs: 200, ...options });
  workspace.subscribe((batch) => deltas.push(...batch));
  await workspace.settled;
  return workspace;
}

/** What a fresh scan finds, in the index's shape. */
async function diskState() {
  const { stamps: _stamps, ...scan } = await scanRoot(root);
  return scan;
}

/**
 * A snapshot without first-seen times: the index keeps a session's first-seen time across
 * rewrites (a new inode), which a fresh scan cannot know; it is checked on its own.
 */
function withoutFirstSeen<T extends { apps: Array<{ sessions: Array<{ firstSeen: string }> }> }>(
  snapshot: T,
) {
  return {
    ...snapshot,
    apps: snapshot.apps.map((app) => ({
      ...app,
      sessions: app.sessions.map(({ firstSeen: _firstSeen, ...rest }) => rest),
    })),
  };
}

/** Waits until the index equals the disk (generous limit: a slow machine is not a failure). */
async function expectIndexToMatchDisk(ws: Workspace, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let expected = withoutFirstSeen(await diskState());
  while (Date.now() < deadline) {
    expected = withoutFirstSeen(await diskState());
    try {
      expect(withoutFirstSeen(ws.snapshot())).toEqual(expected);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  expect(withoutFirstSeen(ws.snapshot())).toEqual(expected);
}

const types = () => deltas.map((d) => d.type);

describe('workspace: start-up', () => {
  it('scans, delivers sessions as deltas, and ends watching', async () => {
    for (let i = 0; i < 20; i += 1) await writeSession(root);
    const ws = await open();
    expect(ws.snapshot()).toEqual(await diskState());
    expect(types().filter((t) => t === 'session-added')).toHaveLength(20);
    expect(deltas.some((d) => d.type === 'scan-progress' && d.scanned === 20 && d.total === 20)).toBe(true);
    expect(ws.watcherState.state).toBe('watching');
  });

  it('starts from the cached index, then revalidates it against the disk', async () => {
    const kept = await writeSession(root, { status: 'pending' });
    const changed = await writeSession(root, { status: 'pending' });
    const first = await open();
    await first.close();
    workspace = null;
    // While the app was closed: one file changed, one new, one deleted.
    await fs.writeFile(changed.file, JSON.stringify({ ...changed.json, status: 'accepted' }));
    const added = await writeSession(root);
    await fs.unlink(kept.file);
    const ws = await Workspace.open(root, { dataDir });
    workspace = ws;
    expect(ws.fromCache).toBe(true);
    expect(
      ws
        .snapshot()
        .apps[0]?.sessions.map((s) => s.ref)
        .sort(),
    ).toEqual([kept.ref, changed.ref].sort());
    ws.subscribe((batch) => deltas.push(...batch));
    await ws.settled;
    await expectIndexToMatchDisk(ws);
    expect(deltas).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'session-removed', ref: kept.ref }),
        expect.objectContaining({ type: 'session-changed', ref: changed.ref }),
        expect.objectContaining({ type: 'session-added', ref: added.ref }),
      ]),
    );
  });

  it('corrects the cache of a folder replaced by another at the same path', async () => {
    await writeSession(root);
    const first = await open();
    await first.close();
    workspace = null;
    await removeDir(root);
    await fs.mkdir(root);
    await writeSession(root, { appId: ANDROID_BUNDLE, teamId: null });
    // The new folder may even get the old one's inode number: revalidation is what makes it right.
    const ws = await Workspace.open(root, { dataDir });
    workspace = ws;
    await ws.settled;
    expect(ws.snapshot()).toEqual(await diskState());
  });
});

describe('workspace: following the disk', () => {
  it('sees a session created, rewritten in place, replaced by rename, and deleted', async () => {
    await writeSession(root);
    const ws = await open();
    const created = await writeSession(root, { status: 'pending' });
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual(expect.objectContaining({ type: 'session-added', ref: created.ref }));

    await fs.writeFile(created.file, JSON.stringify({ ...created.json, status: 'accepted' }, null, 2));
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual(
      expect.objectContaining({
        type: 'session-changed',
        ref: created.ref,
        session: expect.objectContaining({ status: 'accepted' }),
      }),
    );

    const firstSeen = ws.session(IOS_FOLDER, created.id)?.firstSeen;
    expect(firstSeen).toBe(
      (await diskState()).apps[0]?.sessions.find((s) => s.ref === created.ref)?.firstSeen,
    );
    const temporary = path.join(root, IOS_FOLDER, `${created.id}.tmp`);
    await fs.writeFile(
      temporary,
      JSON.stringify({ ...created.json, status: 'pending', email: 'renamed@example.com' }),
    );
    await fs.rename(temporary, created.file);
    await expectIndexToMatchDisk(ws);
    expect(ws.snapshot().apps[0]?.sessions.find((s) => s.ref === created.ref)?.email).toBe(
      'renamed@example.com',
    );
    // A new inode, the same session: its first-seen time is the one the index had.
    expect(ws.session(IOS_FOLDER, created.id)?.firstSeen).toBe(firstSeen);

    await fs.unlink(created.file);
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual({ type: 'session-removed', ref: created.ref, folder: IOS_FOLDER });
  });

  it('ends with one correct state when a file is written in two steps', async () => {
    await writeSession(root);
    const ws = await open();
    const json = sessionJson({ status: 'pending' });
    const id = (json.session as { id: string }).id;
    const text = JSON.stringify(json, null, 2);
    const handle = await fs.open(path.join(root, IOS_FOLDER, id), 'w');
    await handle.write(text.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await handle.write(text.slice(100));
    await handle.close();
    await expectIndexToMatchDisk(ws);
    expect(ws.snapshot().problems).toEqual([]);
  });

  it('reports a broken file, then its repair', async () => {
    await writeSession(root);
    const ws = await open();
    const json = sessionJson();
    const id = (json.session as { id: string }).id;
    await writeFile(root, IOS_FOLDER, id, '{"status": "pending", ');
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual(
      expect.objectContaining({
        type: 'problems-changed',
        path: `${IOS_FOLDER}/${id}`,
        problems: [expect.objectContaining({ code: 'malformed' })],
      }),
    );
    await writeFile(root, IOS_FOLDER, id, json);
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual({
      type: 'problems-changed',
      path: `${IOS_FOLDER}/${id}`,
      folder: IOS_FOLDER,
      problems: [],
    });
    expect(deltas).toContainEqual(
      expect.objectContaining({ type: 'session-added', ref: `${IOS_FOLDER}/${id}` }),
    );
  });

  it('keeps up with a burst of 300 files added, changed and removed', async () => {
    const existing = [];
    for (let i = 0; i < 100; i += 1) existing.push(await writeSession(root, { status: 'pending' }));
    const ws = await open();
    await Promise.all([
      ...Array.from({ length: 100 }, () => writeSession(root, { appId: ANDROID_BUNDLE, teamId: null })),
      ...existing
        .slice(0, 50)
        .map((s) => fs.writeFile(s.file, JSON.stringify({ ...s.json, status: 'accepted' }))),
      ...existing.slice(50).map((s) => fs.unlink(s.file)),
    ]);
    await expectIndexToMatchDisk(ws);
    expect(ws.snapshot().apps.map((a) => [a.folder, a.counts.sessions])).toEqual([
      [IOS_FOLDER, 50],
      [ANDROID_BUNDLE, 100],
    ]);
  });

  it('follows app folders added and removed', async () => {
    await writeSession(root);
    const ws = await open();
    await writeSession(root, { appId: ANDROID_BUNDLE, teamId: null });
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual(expect.objectContaining({ type: 'app-added', folder: ANDROID_BUNDLE }));
    await removeDir(path.join(root, ANDROID_BUNDLE));
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual({ type: 'app-removed', folder: ANDROID_BUNDLE });
  });

  it('says when the root is removed, and recovers when it comes back', async () => {
    await writeSession(root);
    const ws = await open();
    const aside = `${root}-aside`;
    await fs.rename(root, aside);
    try {
      await waitFor(() => ws.watcherState.state === 'root-missing');
      await writeSession(aside, { appId: ANDROID_BUNDLE, teamId: null });
      await fs.rename(aside, root);
    } finally {
      await removeDir(aside);
    }
    await waitFor(() => ws.watcherState.state === 'watching');
    await expectIndexToMatchDisk(ws);
    const states = deltas.flatMap((d) => (d.type === 'watcher-state' ? [d.state] : []));
    expect(states).toEqual(expect.arrayContaining(['root-missing', 'starting', 'watching']));
    // And it watches again: a new file shows without a refresh.
    const later = await writeSession(root);
    await expectIndexToMatchDisk(ws);
    expect(deltas).toContainEqual(expect.objectContaining({ type: 'session-added', ref: later.ref }));
  });

  it('refresh reads only what changed and reports it', async () => {
    const a = await writeSession(root);
    await writeSession(root);
    const ws = await open({ polling: true, pollIntervalMs: 60_000 }); // no automatic ticks
    expect(await ws.refresh()).toEqual([]);
    await fs.writeFile(a.file, JSON.stringify({ ...a.json, status: 'pending' }));
    const changes = await ws.refresh();
    expect(changes.map((d) => d.type)).toEqual(['session-changed', 'app-changed']);
    expect(ws.snapshot()).toEqual(await diskState());
  });
});

describe('workspace: polling', () => {
  it('polls when asked to (network shares), in-place rewrites included', async () => {
    const a = await writeSession(root);
    const ws = await open({ polling: true });
    expect(ws.watcherState.state).toBe('polling');
    await fs.writeFile(a.file, JSON.stringify({ ...a.json, status: 'pending' }));
    await writeSession(root, { appId: ANDROID_BUNDLE, teamId: null });
    await expectIndexToMatchDisk(ws);
  });

  it('falls back to polling when the native watcher runs out of handles', async () => {
    await writeSession(root);
    let reportError: ((error: Error) => void) | undefined;
    const ws = await open({
      startNativeWatcher: (watchRoot, callbacks) => {
        reportError = callbacks.onError;
        return watchWithChokidar(watchRoot, callbacks);
      },
    });
    expect(ws.watcherState.state).toBe('watching');
    // What chokidar reports when inotify's limit is reached.
    reportError?.(
      Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
        code: 'ENOSPC',
      }),
    );
    expect(ws.watcherState).toEqual({
      state: 'polling',
      message: expect.stringMatching(/ran out of file watch handles/),
    });
    await writeSession(root, { status: 'pending' });
    await expectIndexToMatchDisk(ws);
  });

  it('falls back to polling when the native watcher cannot start', async () => {
    await writeSession(root);
    const ws = await open({
      startNativeWatcher: () =>
        Promise.reject(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })),
    });
    expect(ws.watcherState.state).toBe('polling');
    await writeSession(root);
    await expectIndexToMatchDisk(ws);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
