/** Unpushed changes are derived from the audit log and the disk: real actions on real files. */
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeSession } from '../../../test/support/fixtures.js';
import type { AuditEntry } from '../history/auditLog.js';
import { SessionActions } from '../history/sessionActions.js';
import type { StoredPush } from './pushHistory.js';
import { computeUnpushed, entriesSince, stateOnDisk } from './unpushedChanges.js';

let root: string;
let dataDir: string;
let actions: SessionActions;
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
  actions = new SessionActions({ root, dataDir, trash: (file) => fs.rm(file) });
});
afterEach(async () => {
  await removeDir(root);
  await removeDir(dataDir);
});

const unpushed = async (push: StoredPush | null = null) =>
  computeUnpushed(root, await actions.log.allEntries(), push);

const pushAt = (entries: AuditEntry[], time = new Date().toISOString()): StoredPush => ({
  time,
  server: 'http://127.0.0.1:1/x',
  outcome: 'reloaded',
  delivered: { changed: 0, deleted: 0, restored: 0, refs: [] },
  serverErrors: 0,
  lastEntryId: entries.at(-1)?.id ?? null,
});

describe('computeUnpushed', () => {
  it('counts a status change, with its state at the last push and now', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    await actions.setStatus([ref], 'accepted');
    const summary = await unpushed();
    expect(summary.changes).toEqual([
      {
        ref,
        kind: 'status',
        atLastPush: { present: true, status: 'pending' },
        now: { present: true, status: 'accepted' },
        changedAt: expect.any(String),
      },
    ]);
    expect(summary.counts).toEqual({ changed: 1, deleted: 0, restored: 0, total: 1 });
  });

  it('no longer counts a change undone before pushing', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    await actions.setStatus([ref], 'accepted');
    await actions.undo();
    expect((await unpushed()).changes).toEqual([]);
  });

  it('no longer counts a change set back by another change', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    await actions.setStatus([ref], 'accepted');
    await actions.setStatus([ref], 'pending');
    expect((await unpushed()).changes).toEqual([]);
  });

  it('counts a deletion, and no longer once it is undone', async () => {
    const { ref } = await writeSession(root, { status: 'accepted' });
    await actions.delete([ref]);
    expect((await unpushed()).changes).toMatchObject([
      { ref, kind: 'deleted', atLastPush: { present: true, status: 'accepted' }, now: { present: false } },
    ]);
    await actions.undo();
    expect((await unpushed()).changes).toEqual([]);
  });

  it('counts a session restored after a pushed deletion', async () => {
    const { ref } = await writeSession(root, { status: 'accepted' });
    await actions.delete([ref]);
    const push = pushAt(await actions.log.allEntries());
    expect((await unpushed(push)).changes).toEqual([]);
    await actions.undo();
    expect((await unpushed(push)).changes).toMatchObject([
      { ref, kind: 'restored', atLastPush: { present: false } },
    ]);
  });

  it('counts only what changed after the last push, compared with the state at that push', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const b = await writeSession(root, { status: 'pending' });
    await actions.setStatus([a.ref], 'accepted');
    const push = pushAt(await actions.log.allEntries());
    expect((await unpushed(push)).changes).toEqual([]);
    await actions.setStatus([a.ref, b.ref], 'pending'); // b already was: nothing written, nothing logged
    const summary = await unpushed(push);
    expect(summary.changes).toMatchObject([
      {
        ref: a.ref,
        atLastPush: { present: true, status: 'accepted' },
        now: { present: true, status: 'pending' },
      },
    ]);
    expect(summary.lastPush).toMatchObject({ server: 'http://127.0.0.1:1/x' });
    expect(summary.lastPush).not.toHaveProperty('lastEntryId');
  });

  it('sees a file broken since the change as different, and a file changed by hand back to its state as not', async () => {
    const { ref, file } = await writeSession(root, { status: 'pending' });
    await actions.setStatus([ref], 'accepted');
    await fs.writeFile(file, '{oops');
    expect((await unpushed()).changes).toMatchObject([
      { ref, kind: 'status', now: { present: true, status: null } },
    ]);
    expect(stateOnDisk(root, ref)).toEqual({ present: true, status: null });
  });

  it('falls back on time when the last pushed entry is no longer in the log', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    await actions.setStatus([ref], 'accepted');
    const entries = await actions.log.allEntries();
    const lost: StoredPush = { ...pushAt(entries), lastEntryId: 'gone', time: '9999-01-01T00:00:00.000Z' };
    expect(entriesSince(entries, lost)).toEqual([]);
    expect(entriesSince(entries, { ...lost, time: '2000-01-01T00:00:00.000Z' })).toEqual(entries);
  });

  it('ignores the entries of other roots', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    const otherRoot = await makeTempDir();
    try {
      const other = await writeSession(otherRoot, { status: 'pending' });
      await new SessionActions({ root: otherRoot, dataDir }).setStatus([other.ref], 'accepted');
      expect((await unpushed()).changes).toEqual([]);
      await actions.setStatus([ref], 'accepted');
      expect((await unpushed()).changes.map((c) => c.ref)).toEqual([ref]);
    } finally {
      await removeDir(otherRoot);
    }
  });
});
