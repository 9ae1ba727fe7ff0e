/**
 * The Apps window in a day of use (issue 18, items 6 to 13): what the admin sees and can reach,
 * measured in the real UI (sizes, colours, focus), and what reaches the disk.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { listApps, statusOnDisk } from './listing.js';

const grid = (page: Page) => page.getByRole('grid', { name: 'Sessions' });
const rows = (page: Page) => grid(page).locator('[role="row"][data-ref]');
const allApps = (page: Page) =>
  page.getByRole('navigation', { name: 'Apps' }).getByRole('button', { name: /All apps/ });

/** WCAG's contrast ratio of an element's text against its own background, as painted now. */
async function contrast(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const style = element.ownerDocument.defaultView?.getComputedStyle(element);
    if (!style) return 0;
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (color: string) => {
      const [r = 0, g = 0, b = 0] = channels(color).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [a, b] = [luminance(style.color), luminance(style.backgroundColor)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

test('item 6: rows that leave the view leave the selection; an empty search disables the bulk buttons', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('pending');
  await rows(page).nth(0).click();
  await rows(page)
    .nth(2)
    .click({ modifiers: ['Shift'] });
  const picked: string[] = [];
  for (let i = 0; i < 3; i += 1) picked.push((await rows(page).nth(i).getAttribute('data-ref')) as string);
  await page.getByRole('button', { name: 'Accept 3' }).click();
  await expect(page.getByText('3 sessions accepted.')).toBeVisible();
  for (const ref of picked) expect(statusOnDisk(app, ref)).toBe('accepted');
  await expect(page.getByText('0 selected')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Set Pending/ })).toBeDisabled();
  await expect(page.getByRole('button', { name: /^Accept/ })).toBeDisabled();

  // A search with no result: an empty state, and nothing to act on.
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('');
  await rows(page).nth(0).click();
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill('no-such-device-anywhere');
  await expect(page.getByText(/^0 shown/)).toBeVisible();
  await expect(page.getByText(/No session matches/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Accept/ })).toBeDisabled();
  await expect(page.getByRole('button', { name: /^Set Pending/ })).toBeDisabled();
});

test('item 7: primary buttons stay readable under the pointer', async ({ app }) => {
  const { page } = app;
  await rows(page).nth(0).click();
  const buttons = [
    page.getByRole('button', { name: /^Push/ }),
    page.getByRole('button', { name: /^Accept \d/ }),
  ];
  for (const button of buttons) {
    await button.hover();
    expect(await contrast(button)).toBeGreaterThanOrEqual(4.5);
  }
  await page.getByRole('button', { name: /^Push/ }).click();
  const dialog = page.getByRole('dialog');
  const push = dialog.getByRole('button', { name: 'Push', exact: true });
  await push.hover();
  expect(await contrast(push)).toBeGreaterThanOrEqual(4.5);
});

test('item 8: a skip link reaches the table', async ({ app }) => {
  const { page } = app;
  await expect(rows(page).first()).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: /Skip to the sessions/ });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(grid(page)).toBeFocused();
});

test('item 8: Escape closes the details panel', async ({ app }) => {
  const { page } = app;
  await grid(page).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const details = page.getByRole('complementary', { name: 'Session details' });
  await expect(details).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await expect(grid(page)).toBeFocused();
  // From inside the panel too.
  await page.keyboard.press('Enter');
  await details.getByRole('button', { name: 'Close details' }).focus();
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await expect(grid(page)).toBeFocused();
});

test("item 8: Shift+F10 and the menu key open the focused row's menu", async ({ app }) => {
  const { page } = app;
  await grid(page).focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Actions' });
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem', { name: 'Copy Session ID' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await page.keyboard.press('ContextMenu');
  await expect(menu.getByRole('menuitem', { name: 'Copy Session ID' })).toBeVisible();
});

test('item 9: every column fits at 1,400 px, dates whole, OS versions and app platforms named', async ({
  app,
}) => {
  const { page } = app;
  await allApps(page).click();
  await expect(rows(page).first()).toBeVisible();
  const box = await grid(page).boundingBox();
  for (const name of ['Device', 'App', 'Status', 'OS', 'E-mail', 'First seen', 'Last change', 'IP']) {
    const header = await page.getByRole('columnheader', { name, exact: true }).boundingBox();
    expect(header, name).not.toBeNull();
    expect((header?.x ?? 0) + (header?.width ?? 0), name).toBeLessThanOrEqual(
      (box?.x ?? 0) + (box?.width ?? 0) + 1,
    );
  }
  const cut = await grid(page)
    .locator('.col-firstSeen, .col-modified')
    .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));
  expect(cut).toEqual([]);

  const osNames = await grid(page).locator('.col-os').allInnerTexts();
  expect(osNames.filter((name) => /[A-Z]{2,}_|\(/.test(name))).toEqual([]);
  expect(osNames.some((name) => /^Android \d+$/.test(name))).toBe(true);

  // Two apps of one name (iOS and Android): the App column says which.
  const apps = listApps(app);
  const twins = apps.filter((a) => apps.some((b) => b !== a && b.name === a.name)).map((a) => a.name);
  expect(twins.length).toBeGreaterThan(1);
  const appNames = await grid(page).locator('.col-app').allInnerTexts();
  const ofTwins = appNames.filter((text) => twins.some((name) => text.startsWith(name)));
  expect(ofTwins.length).toBeGreaterThan(0);
  for (const text of ofTwins) expect(text).toMatch(/ · (iOS|Android)$/);

  // One date format: the table's, the details' and the status bar's read alike.
  const shape = (text: string) => text.replace(/\d+/g, '9').trim();
  const firstSeen = ((await rows(page).first().locator('.col-firstSeen').textContent()) ?? '').trim();
  await rows(page).first().dblclick();
  const details = page.getByRole('complementary', { name: 'Session details' });
  await expect(details.getByText(firstSeen, { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: /^Push/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Push', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  const lastPush = ((await page.getByText(/^Last push /).textContent()) ?? '').replace(/^Last push /, '');
  expect(shape(lastPush)).toBe(shape(firstSeen));
});

test('item 10: Problems beside the details, one line of buttons; Push words that fit what happened', async ({
  app,
}) => {
  const { page } = app;
  await rows(page).first().dblclick();
  const details = page.getByRole('complementary', { name: 'Session details' });
  await expect(details).toBeVisible();
  await page.getByRole('button', { name: /^Problems/ }).click();
  const problems = page.getByRole('region', { name: 'Problems' });
  const table = problems.getByRole('table');
  await expect(table).toBeVisible();
  const tableBox = await table.boundingBox();
  const detailsBox = (await details.isVisible()) ? await details.boundingBox() : null;
  if (tableBox && detailsBox) expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(detailsBox.x + 1);
  const fileHeader = await problems.getByRole('columnheader', { name: 'File' }).boundingBox();
  expect(fileHeader?.width ?? 0).toBeLessThanOrEqual((tableBox?.width ?? 0) * 0.4);
  for (const cell of await problems.locator('td.actions').all()) {
    const tops = await cell
      .getByRole('button')
      .evaluateAll((b) => b.map((e) => e.getBoundingClientRect().top));
    expect(new Set(tops).size).toBeLessThanOrEqual(1);
  }
  const consequences = await problems.locator('tbody tr td:nth-child(3)').allInnerTexts();
  expect(consequences.filter((text) => /\bthe app\b|Mobile Sessions/.test(text))).toEqual([]);
});

test("item 10: the Push dialogs say what happened, and show the 4D side's documentation", async ({ app }) => {
  const { page } = app;
  // Never pushed: the Push dialog does not speak of a last push.
  await page.getByRole('button', { name: /^Push/ }).click();
  const check = page.getByRole('dialog');
  await expect(check).toBeVisible();
  await expect(check.getByText(/since the last push/)).toHaveCount(0);
  await expect(check.getByText(/no push yet/i)).toBeVisible();
  await check.getByRole('button', { name: 'Push', exact: true }).click();
  const result = page.getByRole('dialog');
  await expect(result.getByRole('heading')).toHaveText(/error/i);
  const items = await result.locator('ul.dropped li').all();
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    const code = await item.locator('code').allInnerTexts();
    const text = (await item.textContent()) ?? '';
    for (const p of code) expect(text.split(p).length - 1, text).toBe(1);
    const clipped = await item.evaluate((li) => li.scrollWidth > li.clientWidth);
    expect(clipped, text).toBe(false);
  }
  await result.getByRole('button', { name: 'Close' }).click();

  // The 4D side's documentation is one click away, wherever the app runs.
  await page.getByRole('button', { name: /^Push/ }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Push Setup/ })
    .click();
  const setup = page.getByRole('dialog', { name: 'Push setup' });
  await setup.getByRole('button', { name: /4D code/i }).click();
  await expect(page.getByRole('heading', { name: /Route A: HTTP request handler/ })).toBeVisible();
});

test('item 11: notices close by themselves (errors stay), a few at most, never over the details', async ({
  app,
}) => {
  const { page } = app;
  await page.clock.install();
  await page.reload();
  await rows(page).first().dblclick();
  const details = page.getByRole('complementary', { name: 'Session details' });
  await expect(details).toBeVisible();
  for (let i = 0; i < 6; i += 1) await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const notices = page.locator('.notice');
  await expect(notices.first()).toBeVisible();
  expect(await notices.count()).toBeLessThanOrEqual(3);
  const detailsBox = await details.boundingBox();
  for (const notice of await notices.all()) {
    const box = await notice.boundingBox();
    if (!box || !detailsBox) continue;
    expect(box.x + box.width <= detailsBox.x || box.x >= detailsBox.x + detailsBox.width).toBe(true);
  }
  // An error (nothing to undo, in this fresh folder) stays; the others go by themselves.
  await grid(page).focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.locator('.notice.error')).toBeVisible();
  await page.clock.fastForward(60_000);
  await expect(notices).toHaveCount(1);
  await expect(notices.first()).toHaveClass(/error/);
});

test('item 11: a notice belongs to its folder', async ({ app }) => {
  const { page } = app;
  app.cli('demo', app.secondRoot, '--apps', '1', '--sessions', '5', '--seed', '9');
  const folder = page.getByRole('combobox', { name: 'MobileApps folder' });
  // The second folder once, so that the toolbar offers both: switching is then one choice.
  await folder.selectOption('__close');
  await page.getByLabel('MobileApps folder on the server').fill(app.secondRoot);
  await page.getByRole('button', { name: 'Open MobileApps Folder' }).click();
  await expect(rows(page).first()).toBeVisible();
  await folder.selectOption(app.root);
  await expect(folder).toHaveValue(app.root);
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const refreshed = page.locator('.notice', { hasText: /^Refreshed/ });
  await expect(refreshed).toBeVisible();
  await folder.selectOption(app.secondRoot);
  await expect(folder).toHaveValue(app.secondRoot);
  // Read once, not polled: a polled check would pass when the notice closes by itself.
  expect(await refreshed.count()).toBe(0);
});

test('item 12: words that fit one session, a disabled Set Pending for a pending one, no text selected by clicks', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('pending');
  await rows(page).nth(0).click();
  await expect(page.getByRole('button', { name: /^Set Pending/ })).toBeDisabled();
  await rows(page)
    .nth(3)
    .click({ modifiers: ['Shift'] });
  await rows(page).nth(1).dblclick();
  expect(
    await rows(page)
      .nth(1)
      .evaluate((row) => row.ownerDocument.getSelection()?.toString() ?? ''),
  ).toBe('');

  await rows(page).nth(0).click();
  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.dismiss();
  });
  await page.keyboard.press('Delete');
  await expect.poll(() => question).not.toBe('');
  expect(question).toMatch(/The device will/);
  expect(question).not.toMatch(/devices|files/);

  await page.getByRole('button', { name: /^Accept 1$/ }).click();
  await expect(page.getByText('1 session accepted.')).toBeVisible();
  await page
    .locator('.notice', { hasText: '1 session accepted.' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect(page.getByText(/^Undone: 1 session set back to pending/)).toBeVisible();
});

test('item 13: the welcome screen refuses a relative path, forgets a folder that fails, keeps no stale error', async ({
  app,
}) => {
  const { page } = app;
  app.cli('demo', app.secondRoot, '--apps', '1', '--sessions', '5', '--seed', '9');
  const folder = page.getByRole('combobox', { name: 'MobileApps folder' });
  const field = page.getByLabel('MobileApps folder on the server');
  const open = page.getByRole('button', { name: 'Open MobileApps Folder' });
  await expect(folder.getByRole('option', { name: /Close folder/ })).toHaveText(/every browser tab/);
  await folder.selectOption('__close');
  await field.fill('MobileApps');
  await open.click();
  await expect(page.getByText(/full path/)).toBeVisible();

  // A recent folder that no longer opens leaves the list.
  await field.fill(app.secondRoot);
  await open.click();
  await expect(rows(page).first()).toBeVisible();
  await folder.selectOption('__close');
  const recent = page
    .getByRole('region', { name: 'Recent folders' })
    .getByRole('button', { name: app.secondRoot });
  await expect(recent).toBeVisible();
  rmSync(path.dirname(app.secondRoot), { recursive: true, force: true });
  await recent.click();
  await expect(page.locator('.notice.error')).toBeVisible();
  await expect(recent).toHaveCount(0);

  // Once a folder opens, the error about the one that did not is gone.
  await field.fill(app.root);
  await open.click();
  await expect(rows(page).first()).toBeVisible();
  expect(await page.locator('.notice.error').count()).toBe(0); // read once: errors never close by themselves
});
