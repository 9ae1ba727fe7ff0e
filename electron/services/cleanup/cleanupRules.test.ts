/**
 * The clean-up rules on a demo folder written with known cases (older sessions of a device, old
 * files, guests; simulators come from the demo): each rule finds exactly the expected files, the
 * preview's token guards the clean-up, and one undo puts every file back byte for byte.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CleanupRules } from '../../../shared/cleanup.js';
import { requestSchemas } from '../../../shared/contract.js';
import type { SessionSummary } from '../../../shared/session.js';
import { testHooks } from '../../../test/support/contractFixture.js';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import { AppService } from '../appService.js';
import type { CleanupCasesWritten } from '../demo/cleanupCases.js';
import { writeDemoFolder } from '../demo/demoFolder.js';
import { suggestStaleDays } from './cleanupRules.js';

let base: string;
let root: string;
let cases: CleanupCasesWritten;
let service: AppService;
/** Every session file as its JSON, by ref, read straight from disk (not through the engine). */
const onDisk = new Map<string, { status: string; email?: string; device: { simulator?: boolean } }>();

beforeAll(async () => {
  base = await makeTempDir('ms-cleanup-');
  root = path.join(base, 'MobileApps');
  const demo = await writeDemoFolder(root, {
    apps: 3,
    sessions: 150,
    seed: 3,
    cleanupCases: { superseded: 6, stale: 8, guests: 5 },
  });
  cases = demo.cleanupCases as CleanupCasesWritten;
  for (const folder of await fs.readdir(root)) {
    if (!(await fs.stat(path.join(root, folder))).isDirectory()) continue;
    for (const name of await fs.readdir(path.join(root, folder))) {
      if (!/^[0-9a-f]{40}$/.test(name)) continue;
      try {
        const json = JSON.parse(
          (await fs.readFile(path.join(root, folder, name), 'utf8')).replace(/^\uFEFF/, ''),
        );
        if (json.status === 'accepted' || json.status === 'pending') onDisk.set(`${folder}/${name}`, json);
      } catch {
        // a broken file of the demo: no session
      }
    }
  }
  service = new AppService({ dataDir: path.join(base, 'data'), hooks: testHooks('linux', async () => root) });
  await service.handlers.openRoot({ root });
});
afterAll(async () => {
  await service.close();
  await removeDir(base);
});

const preview = (rules: CleanupRules, folder: string | null = null) =>
  service.handlers.previewCleanup({ folder, rules });
const refsOf = (p: { candidates: { ref: string }[] }) => p.candidates.map((c) => c.ref);
const notPending = (refs: Iterable<string>) =>
  [...refs].filter((ref) => onDisk.get(ref)?.status !== 'pending').sort();

describe('each rule finds exactly its files', () => {
  it('superseded: the older session of each device, pointing at the newer one', async () => {
    expect(Object.keys(cases.superseded)).toHaveLength(6);
    const result = await preview({ superseded: true });
    expect(refsOf(result)).toEqual(Object.keys(cases.superseded).sort());
    for (const candidate of result.candidates) {
      expect(candidate.reasons).toEqual([{ rule: 'superseded', newer: cases.superseded[candidate.ref] }]);
    }
    expect(result.counts.byRule.superseded).toBe(6);
    const perApp = Object.values(result.counts.byApp).reduce((a, b) => a + b, 0);
    expect(perApp).toBe(6);
  });

  it('the details of a newer session count its older ones', async () => {
    const [older, newer] = Object.entries(cases.superseded)[0] as [string, string];
    expect((await service.handlers.getSession({ ref: newer })).olderSessions).toBe(1);
    expect((await service.handlers.getSession({ ref: older })).olderSessions).toBe(0);
  });

  it('stale: the files untouched for longer than N days, with their age; pending only when asked', async () => {
    const result = await preview({ staleDays: 100 });
    expect(refsOf(result)).toEqual(notPending(cases.stale));
    expect(result.candidates.every((c) => c.ageDays >= 200 && c.ageDays <= 400)).toBe(true);
    const withPending = await preview({ staleDays: 100, includePending: true });
    expect(refsOf(withPending)).toEqual([...cases.stale].sort());
    expect(result.counts.pendingLeftOut).toBe(cases.stale.length - notPending(cases.stale).length);
    expect(refsOf(await preview({ staleDays: 401 }))).toEqual([]);
  });

  it('simulators and guests: as the files say', async () => {
    const simulators = [...onDisk].filter(([, json]) => json.device.simulator === true).map(([ref]) => ref);
    expect(simulators.length).toBeGreaterThan(0);
    expect(refsOf(await preview({ simulators: true }))).toEqual(notPending(simulators));
    const guests = [...onDisk].filter(([, json]) => !json.email).map(([ref]) => ref);
    expect(guests).toEqual(expect.arrayContaining(cases.guests));
    expect(refsOf(await preview({ guests: true, includePending: true }))).toEqual(guests.sort());
  });

  it('no rule, no candidate; one app folder, only its sessions', async () => {
    expect((await preview({})).candidates).toEqual([]);
    const folder = Object.keys(cases.superseded)[0]?.split('/')[0] as string;
    const result = await preview({ superseded: true }, folder);
    expect(refsOf(result)).toEqual(
      Object.keys(cases.superseded)
        .filter((ref) => ref.startsWith(`${folder}/`))
        .sort(),
    );
  });
});

describe('cleaning up', () => {
  it('refuses when the candidates changed since the preview, and removes nothing', async () => {
    const before = await preview({ staleDays: 100 });
    const query = requestSchemas.querySessions.parse({ filter: { status: 'accepted' }, offset: 0, limit: 1 });
    const victim = (await service.handlers.querySessions(query)).rows[0] as SessionSummary;
    const file = path.join(root, victim.ref);
    const { mtime } = await fs.stat(file);
    const old = new Date(Date.now() - 300 * 86_400_000);
    await fs.utimes(file, old, old);
    await service.handlers.refresh({});
    const cleanup = service.handlers.cleanup({
      folder: null,
      rules: { staleDays: 100 },
      token: before.token,
      except: [],
      permanent: false,
    });
    await expect(cleanup).rejects.toMatchObject({ code: 'conflict' });
    for (const ref of refsOf(before)) await expect(fs.access(path.join(root, ref))).resolves.toBeUndefined();
    await fs.utimes(file, mtime, mtime);
    await service.handlers.refresh({});
  });

  it('moves every previewed file but the unticked ones in one batch; one undo puts them back byte for byte', async () => {
    const rules = { superseded: true, guests: true };
    const result = await preview(rules);
    const refs = refsOf(result);
    const [kept, ...removed] = refs as [string, ...string[]];
    const bytes = new Map(
      await Promise.all(refs.map(async (ref) => [ref, await fs.readFile(path.join(root, ref))] as const)),
    );
    const report = await service.handlers.cleanup({
      folder: null,
      rules,
      token: result.token,
      except: [kept],
      permanent: false,
    });
    expect(report.batch).toEqual(expect.any(String));
    expect(report.results.map((r) => [r.ref, r.outcome]).sort()).toEqual(
      removed.map((ref) => [ref, 'deleted']).sort(),
    );
    await expect(fs.access(path.join(root, kept))).resolves.toBeUndefined();
    for (const ref of removed) await expect(fs.access(path.join(root, ref))).rejects.toThrow(/ENOENT/);

    const undone = await service.handlers.undo({ batch: report.batch ?? undefined });
    expect(undone.results.every((r) => r.outcome === 'restored')).toBe(true);
    for (const ref of refs) expect(await fs.readFile(path.join(root, ref))).toEqual(bytes.get(ref));
  });
});

describe('the suggested stale threshold', () => {
  const at = (days: number): SessionSummary =>
    ({ modified: new Date(Date.now() - days * 86_400_000).toISOString() }) as SessionSummary;
  it('is the smallest round step past which at most a tenth of the sessions lie', () => {
    expect(suggestStaleDays([], Date.now())).toBe(90);
    expect(
      suggestStaleDays(
        Array.from({ length: 10 }, () => at(1)),
        Date.now(),
      ),
    ).toBe(30);
    const mixed = [...Array.from({ length: 8 }, () => at(40)), at(70), at(200)];
    expect(suggestStaleDays(mixed, Date.now())).toBe(90);
    expect(
      suggestStaleDays(
        Array.from({ length: 10 }, () => at(500)),
        Date.now(),
      ),
    ).toBe(365);
  });
});
