/**
 * The table's Guests and Simulators filters (the `guest` and `simulator` keys of the session
 * filter) select the same sessions as the clean-up's guests and simulators rules, pending ones
 * included, on a demo folder with known guests; `guest: false` is the rest.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ROWS_PER_QUERY, type SessionFilter, sessionFilterSchema } from '../../../shared/contract.js';
import { testHooks } from '../../../test/support/contractFixture.js';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import { AppService } from '../appService.js';
import type { CleanupCasesWritten } from '../demo/cleanupCases.js';
import { writeDemoFolder } from '../demo/demoFolder.js';

let base: string;
let cases: CleanupCasesWritten;
let service: AppService;

beforeAll(async () => {
  base = await makeTempDir('ms-cleanup-filters-');
  const root = path.join(base, 'MobileApps');
  cases = (await writeDemoFolder(root, { apps: 3, sessions: 150, seed: 7, cleanupCases: { guests: 6 } }))
    .cleanupCases as CleanupCasesWritten;
  service = new AppService({ dataDir: path.join(base, 'data'), hooks: testHooks('linux', async () => root) });
  await service.handlers.openRoot({ root });
});
afterAll(async () => {
  await service.close();
  await removeDir(base);
});

async function matching(filter: SessionFilter): Promise<string[]> {
  const page = await service.handlers.querySessions({
    filter: sessionFilterSchema.parse(filter),
    offset: 0,
    limit: MAX_ROWS_PER_QUERY,
  });
  expect(page.matching).toBeLessThan(MAX_ROWS_PER_QUERY);
  return page.rows.map((s) => s.ref).sort();
}

const proposed = async (rules: { guests?: boolean; simulators?: boolean }) =>
  (
    await service.handlers.previewCleanup({ folder: null, rules: { ...rules, includePending: true } })
  ).candidates
    .map((c) => c.ref)
    .sort();

describe("the table's Guests and Simulators filters", () => {
  it('select what the guests and simulators rules propose', async () => {
    const guests = await matching({ guest: true });
    expect(guests).toEqual(expect.arrayContaining(cases.guests));
    expect(guests).toEqual(await proposed({ guests: true }));
    const simulators = await matching({ simulator: true });
    expect(simulators.length).toBeGreaterThan(0);
    expect(simulators).toEqual(await proposed({ simulators: true }));
  });

  it('with false, select every other session', async () => {
    const all = await matching({});
    const guests = await matching({ guest: true });
    const others = await matching({ guest: false });
    expect(others.length).toBeGreaterThan(0);
    expect([...guests, ...others].sort()).toEqual(all);
    expect(others.filter((ref) => guests.includes(ref))).toEqual([]);
  });
});
