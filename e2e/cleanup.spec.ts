/**
 * Issue 15: the Clean-up view on a demo folder with known clean-up cases. The walk previews,
 * unticks, cleans and undoes, checking the files on disk; the window and the command line agree
 * (same folder, same rules, same refs); the view ends with Push, whose check counts the removed
 * sessions; guests and simulators are filters of the table; the details count older sessions.
 */
import { existsSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { CleanupPreview } from '../shared/cleanup.js';
import { type AppFixture, expect, test } from './fixtures.js';
import { fileOf } from './listing.js';

test.use({ cleanupCases: { superseded: 4, stale: 5, guests: 3 } });

const view = (page: Page) => page.getByRole('region', { name: 'Clean-up' });
const rowOf = (page: Page, ref: string) => view(page).locator(`tr[data-ref="${ref}"]`);

/** What `mobile-sessions cleanup` proposes for these rules (a dry run). */
const cliPreview = (app: AppFixture, ...rules: string[]): CleanupPreview =>
  JSON.parse(app.cli('cleanup', app.root, ...rules, '--json')).preview;

/** Evaluated in the page (a string: this file type-checks without the DOM): two frames, so a scroll is rendered. */
const TWO_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';

/** Every ref the virtualized candidate list shows, scrolled from top to bottom. */
async function listedRefs(page: Page): Promise<string[]> {
  const scroller = view(page).locator('.cleanup-scroll');
  const rows = view(page).locator('tr[data-ref]');
  const seen = new Set<string>();
  await scroller.evaluate((element) => {
    element.scrollTop = 0;
  });
  for (;;) {
    await page.evaluate(TWO_FRAMES);
    for (const ref of await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-ref') ?? '')))
      seen.add(ref);
    const atEnd = await scroller.evaluate((element) => {
      const end = element.scrollTop + element.clientHeight >= element.scrollHeight - 1;
      element.scrollTop += element.clientHeight;
      return end;
    });
    if (atEnd) break;
  }
  return [...seen].sort();
}

/** Scrolls the candidate list so that its row `index` is rendered (the list keeps only the rows on screen). */
async function scrollListTo(page: Page, index: number): Promise<void> {
  await view(page)
    .locator('.cleanup-scroll')
    .evaluate((element, top) => {
      element.scrollTop = top;
    }, index * 34);
  await page.evaluate(TWO_FRAMES);
}

test('previews, unticks, cleans and undoes: the files on disk follow, and the command line agrees', async ({
  app,
}) => {
  const { page } = app;
  const cases = app.cleanupCases as NonNullable<AppFixture['cleanupCases']>;
  await page.getByRole('button', { name: 'Clean Up…' }).click();
  const cleanup = view(page);

  // The default: superseded sessions, pending ones left out; the age's basis said plainly.
  await expect(cleanup.getByRole('checkbox', { name: /^Superseded/ })).toBeChecked();
  await expect(cleanup.getByRole('checkbox', { name: /Include pending/ })).not.toBeChecked();
  await expect(cleanup.getByText(/It is not the device's last request/)).toBeVisible();
  const suggested = cliPreview(app, '--superseded').suggestedStaleDays;
  await expect(cleanup.getByLabel('Stale after days')).toHaveValue(String(suggested));
  await expect(cleanup.getByText(`(suggested for this folder: ${suggested})`)).toBeVisible();
  const byDefault = cliPreview(app, '--superseded');
  expect(byDefault.candidates.map((c) => c.ref)).toEqual(Object.keys(cases.superseded).sort());
  await expect(cleanup.getByText(`${byDefault.counts.total} sessions proposed`)).toBeVisible();
  expect(await listedRefs(page)).toEqual(Object.keys(cases.superseded).sort());

  // More rules: the window's list is the command line's, ref for ref, with the same counts.
  await cleanup.getByRole('checkbox', { name: /^Stale/ }).check();
  await cleanup.getByLabel('Stale after days').fill('100');
  await cleanup.getByRole('checkbox', { name: 'Simulators' }).check();
  const cli = cliPreview(app, '--superseded', '--stale-days', '100', '--simulators');
  await expect(cleanup.getByText(`${cli.counts.total} sessions proposed`)).toBeVisible();
  const refs = await listedRefs(page);
  expect(refs).toEqual(cli.candidates.map((c) => c.ref));
  expect(refs).toEqual(expect.arrayContaining(Object.keys(cases.superseded)));
  for (const [rule, count] of Object.entries(cli.counts.byRule)) {
    await expect(cleanup.locator(`[data-rule="${rule}"] dd`)).toHaveText(String(count));
  }
  // Each stale case the list shows says its age, counted from the file's last change.
  const stale = cli.candidates.find((c) => c.reasons.some((r) => r.rule === 'stale'));
  if (!stale) throw new Error('the demo has no stale case that is not pending');
  await scrollListTo(page, refs.indexOf(stale.ref));
  await expect(rowOf(page, stale.ref)).toContainText(`${stale.ageDays} days`);
  await expect(rowOf(page, stale.ref)).toContainText(`file unchanged for ${stale.ageDays} days`);

  // Untick two rows: they stay; the rest goes to the Trash in one batch.
  const kept = refs.slice(0, 2);
  const removed = refs.slice(2);
  const bytes = new Map(refs.map((ref) => [ref, readFileSync(fileOf(app, ref))]));
  await scrollListTo(page, 0);
  for (const ref of kept) await rowOf(page, ref).getByRole('checkbox').uncheck();
  await expect(cleanup.getByText(`${removed.length} of ${refs.length} ticked`)).toBeVisible();
  await cleanup.getByRole('button', { name: `Move ${removed.length} Sessions to the Trash` }).click();
  const notice = page.locator('.notice', {
    hasText: `Clean-up: ${removed.length} sessions moved to the Trash.`,
  });
  await expect(notice).toBeVisible();
  for (const ref of removed) expect(existsSync(fileOf(app, ref)), ref).toBe(false);
  for (const ref of kept) expect(readFileSync(fileOf(app, ref))).toEqual(bytes.get(ref));
  await expect(cleanup.getByRole('button', { name: 'Push to the 4D Server' })).toBeVisible();

  // The notice's one Undo puts every file back, byte for byte.
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText(new RegExp(`^Undone: ${removed.length} sessions restored`))).toBeVisible();
  for (const ref of refs) expect(readFileSync(fileOf(app, ref)), ref).toEqual(bytes.get(ref));
});

test("ends with Push, whose check counts the removed sessions; the view's own Undo puts them back", async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Clean Up…' }).click();
  const cleanup = view(page);
  const refs = cliPreview(app, '--superseded').candidates.map((c) => c.ref);
  const count = refs.length;
  const bytes = new Map(refs.map((ref) => [ref, readFileSync(fileOf(app, ref))]));
  await cleanup.getByRole('button', { name: `Move ${count} Sessions to the Trash` }).click();
  await expect(cleanup.getByText(`${count} sessions moved to the Trash in one change`)).toBeVisible();
  for (const ref of refs) expect(existsSync(fileOf(app, ref)), ref).toBe(false);
  await cleanup.getByRole('button', { name: 'Push to the 4D Server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Push to the 4D Server' });
  await expect(
    dialog.getByText(`${count} deleted sessions will be removed from the server's memory.`),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Push', exact: true }).click();
  const pushed = page.getByRole('dialog', { name: 'Pushed' });
  await expect(pushed).toBeVisible();
  await pushed.getByRole('button', { name: 'Close' }).click();

  // The notice may be gone by now: the view keeps its Undo, and then previews again.
  await cleanup.getByRole('button', { name: 'Undo Clean-up' }).click();
  await expect(cleanup.getByText(`${count} sessions proposed`)).toBeVisible();
  for (const ref of refs) expect(readFileSync(fileOf(app, ref)), ref).toEqual(bytes.get(ref));
});

test('guests and simulators are filters of the table; the details count older sessions', async ({ app }) => {
  const { page } = app;
  const cases = app.cleanupCases as NonNullable<AppFixture['cleanupCases']>;
  const sessions = (
    JSON.parse(app.cli('list', app.root, '--json')).apps as {
      sessions: { ref: string; id: string; email: string | null; device: { simulator: boolean } }[];
    }[]
  ).flatMap((a) => a.sessions);
  const guests = sessions.filter((s) => !s.email?.trim()).length;
  expect(guests).toBeGreaterThanOrEqual(cases.guests.length);
  await page.getByRole('combobox', { name: 'Guest filter' }).selectOption('guest');
  await expect(page.getByText(new RegExp(`^${guests} shown`))).toBeVisible();
  await page.getByRole('combobox', { name: 'Guest filter' }).selectOption('');
  const simulators = sessions.filter((s) => s.device.simulator).length;
  await page.getByRole('combobox', { name: 'Simulator filter' }).selectOption('simulator');
  await expect(page.getByText(new RegExp(`^${simulators} shown`))).toBeVisible();
  await page.getByRole('combobox', { name: 'Simulator filter' }).selectOption('');

  // The newer session of a device with an older one: its details say so.
  const newer = Object.values(cases.superseded)[0] as string;
  const id = newer.slice(newer.indexOf('/') + 1);
  await page.getByRole('searchbox', { name: 'Search' }).fill(id);
  await page.locator(`[role="row"][data-ref="${newer}"]`).dblclick();
  const details = page.getByRole('complementary', { name: 'Session details' });
  await expect(details.getByText('1 older session of this device.')).toBeVisible();
  await details.getByRole('button', { name: 'Clean Up…' }).click();
  await expect(rowOf(page, Object.keys(cases.superseded)[0] as string)).toBeVisible();
});

test('the Clean-up view has no serious accessibility violations', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Clean Up…' }).click();
  await expect(view(page).locator('tr[data-ref]').first()).toBeVisible();
  const results = await new AxeBuilder({ page }).include('.cleanup').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});
