/**
 * The engine behind the contract applies its own writes to its index at once: when a change
 * returns, the index and every listener already have the new state, whatever the watcher does.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppEvent, requestSchemas } from '../../shared/contract.js';
import { testHooks } from '../../test/support/contractFixture.js';
import { tempFoldersPerTest, writeSession } from '../../test/support/fixtures.js';
import { AppService } from './appService.js';

const temp = tempFoldersPerTest();
let service: AppService | null = null;
afterEach(async () => {
  await service?.close();
  service = null;
});

/** An engine whose watcher cannot confirm anything during the test: polling once a minute. */
async function openSlowWatcher(): Promise<AppService> {
  service = new AppService({
    dataDir: temp.dataDir,
    hooks: testHooks('linux', async () => temp.root),
    workspace: { pollIntervalMs: 60_000 },
  });
  await service.handlers.openRoot({ root: temp.root, polling: true });
  return service;
}

/** The table's first page of every session, as the contract's schema resolves it. */
const firstPage = () => requestSchemas.querySessions.parse({ filter: {}, offset: 0, limit: 10 });

describe('the engine and its own writes', () => {
  it('shows a status change in the index and to listeners before the change returns', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const engine = await openSlowWatcher();
    const events: AppEvent[] = [];
    engine.subscribe((event) => events.push(event));
    const report = await engine.handlers.setStatus({ refs: [session.ref], status: 'accepted' });
    expect(report.results[0]?.outcome).toBe('changed');
    const page = await engine.handlers.querySessions(firstPage());
    expect(page.rows.map((row) => [row.ref, row.status])).toEqual([[session.ref, 'accepted']]);
    expect(events).toContainEqual({
      type: 'deltas',
      deltas: expect.arrayContaining([
        expect.objectContaining({
          type: 'session-changed',
          ref: session.ref,
          session: expect.objectContaining({ status: 'accepted' }),
        }),
      ]),
    });
  });

  it('tells its listeners that the folder closed, as it tells them that one opened', async () => {
    await writeSession(temp.root, { status: 'pending' });
    const engine = await openSlowWatcher();
    const events: AppEvent[] = [];
    engine.subscribe((event) => events.push(event));
    const state = await engine.handlers.closeRoot({});
    expect(state.root).toBeNull();
    // The tray's count and the menus follow these events: a close they never hear of left them
    // showing the closed folder's pending devices.
    expect(events.filter((event) => event.type === 'state').map((event) => event.state.root)).toEqual([null]);
  });

  it('shows a delete and its undo at once too', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const engine = await openSlowWatcher();
    const deleted = await engine.handlers.deleteSessions({ refs: [session.ref], permanent: true });
    const query = () => engine.handlers.querySessions(firstPage());
    expect((await query()).rows).toEqual([]);
    await engine.handlers.undo({ batch: deleted.batch ?? undefined });
    expect((await query()).rows.map((row) => row.ref)).toEqual([session.ref]);
  });
});

describe('the recent folders', () => {
  it('forget a folder that no longer opens, and only that one', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const path = await import('node:path');
    const gone = await mkdtemp(path.join(temp.dataDir, 'MobileApps-'));
    service = new AppService({ dataDir: temp.dataDir, hooks: testHooks('linux', async () => temp.root) });
    await service.handlers.openRoot({ root: gone });
    await service.handlers.openRoot({ root: temp.root });
    expect(await service.handlers.recentRoots({})).toEqual([temp.root, gone]);
    await rm(gone, { recursive: true });
    await expect(service.handlers.openRoot({ root: gone })).rejects.toMatchObject({ code: 'root-missing' });
    expect(await service.handlers.recentRoots({})).toEqual([temp.root]);
  });
});

describe('the push state', () => {
  it('comes from the summary kept since the history last grew, not from a new read of it', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const engine = await openSlowWatcher();
    await engine.handlers.setStatus({ refs: [session.ref], status: 'accepted' });
    expect((await engine.handlers.getPushState({})).unpushed.counts.changed).toBe(1);

    // Blank the history's segments without changing their size: only a re-read would notice.
    const segments: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (/^\d{8}\.jsonl$/.test(entry.name)) segments.push(full);
      }
    };
    await walk(path.join(temp.dataDir, 'history'));
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) await fs.writeFile(segment, ' '.repeat((await fs.stat(segment)).size));

    expect((await engine.handlers.getPushState({})).unpushed.counts.changed).toBe(1);
  });
});
