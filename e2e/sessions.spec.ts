/**
 * The admin's whole job, in the real UI, against real files: every check on disk compares whole
 * files, so "only the status changed" means exactly that.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type AppFixture, expect, test } from './fixtures.js';
import { fileOf, type ListedApp, type ListedSession, listApps, statusOnDisk } from './listing.js';

const grid = (app: AppFixture) => app.page.getByRole('grid', { name: 'Sessions' });
const rowOf = (app: AppFixture, ref: string) => app.page.locator(`[role="row"][data-ref="${ref}"]`);

/** Pending sessions whose e-mails are unique, to find them by search. */
function uniquePendings(apps: ListedApp[]): ListedSession[] {
  const emails = apps.flatMap((a) => a.sessions.map((s) => s.email));
  return apps
    .flatMap((a) => a.sessions)
    .filter((s) => s.status === 'pending' && s.email && emails.filter((e) => e === s.email).length === 1);
}

/** A pending session whose e-mail is unique, to find it by search. */
function uniquePending(apps: ListedApp[]): { app: ListedApp; session: ListedSession } {
  const emails = apps.flatMap((a) => a.sessions.map((s) => s.email));
  for (const app of apps) {
    for (const session of app.sessions) {
      if (
        session.status === 'pending' &&
        session.email &&
        emails.filter((e) => e === session.email).length === 1
      ) {
        return { app, session };
      }
    }
  }
  throw new Error('the demo has no pending session with a unique e-mail');
}

test('opens the folder, lists apps with counts, picks an app, sorts and searches', async ({ app }) => {
  const { page } = app;
  const apps = listApps(app);
  await expect(
    page.getByRole('navigation', { name: 'Apps' }).getByRole('button', { name: /All apps/ }),
  ).toBeVisible();
  const first = apps[0] as ListedApp;
  await page
    .getByRole('navigation', { name: 'Apps' })
    .getByRole('button', { name: new RegExp(`^${first.name}`) })
    .first()
    .click();
  await expect(
    page.getByText(`${first.counts.sessions} shown · ${first.counts.pending} pending`),
  ).toBeVisible();

  // Sort by e-mail: the header says so and the rows follow.
  await page
    .getByRole('columnheader', { name: /E-mail/ })
    .getByRole('button')
    .click();
  await expect(page.getByRole('columnheader', { name: /E-mail/ })).toHaveAttribute('aria-sort', 'ascending');
  const emails = await grid(app).locator('.col-email').allInnerTexts();
  const shown = emails.slice(0, 8).map((e) => (e === 'guest' ? '' : e.toLowerCase()));
  expect(shown).toEqual([...shown].sort());

  // Search: the count follows as you type.
  const { session } = uniquePending(apps.filter((a) => a.folder === first.folder).length ? [first] : apps);
  await page.getByRole('searchbox', { name: 'Search' }).fill(session.email);
  await expect(page.getByText(/^1 shown/)).toBeVisible();
  await expect(grid(app).getByRole('row')).toHaveCount(2); // header + one session

  // The device's tooltip, written when the pointer comes to it: the device and the session id.
  const device = rowOf(app, session.ref).locator('.device');
  await device.hover();
  await expect(device).toHaveAttribute('title', new RegExp(`^Device: .*\\nSession: ${session.id}$`, 's'));
});

test("a search's answer fills the rows on screen in place, each with its own session's tooltip", async ({
  app,
}) => {
  const { page } = app;
  const firstRow = grid(app).locator('[role="row"][aria-rowindex="2"]');
  const before = (await firstRow.getAttribute('data-ref')) as string;
  // A session not on the first row yet, found by its unique e-mail.
  const other = uniquePendings(listApps(app)).find((s) => s.ref !== before) as ListedSession;
  const device = firstRow.locator('.device');
  await device.hover();
  await expect(device).toHaveAttribute('title', /\nSession: /);
  const tooltipBefore = await device.getAttribute('title');
  await firstRow.evaluate((row) => row.setAttribute('data-was', 'first'));

  // The pointer stays where it is; the search puts another session on the first row.
  await page.getByRole('searchbox', { name: 'Search' }).fill(other.email);
  await expect(page.getByText(/^1 shown/)).toBeVisible();
  await expect(firstRow).toHaveAttribute('data-ref', other.ref);
  // The same element, not one made again (what keeps a keystroke's frame short)...
  await expect(firstRow).toHaveAttribute('data-was', 'first');
  // ...yet the device under the pointer does not keep the tooltip written for the session before,
  expect(await device.getAttribute('title')).not.toBe(tooltipBefore);
  // and the pointer's next visit writes the new session's.
  await page.mouse.move(0, 0);
  await device.hover();
  await expect(device).toHaveAttribute('title', new RegExp(`\\nSession: ${other.id}$`));
});

test('accepts a pending session: only its status changes on disk', async ({ app }) => {
  const { page } = app;
  const { session } = uniquePending(listApps(app));
  const file = fileOf(app, session.ref);
  const before = readFileSync(file, 'utf8');
  await page.getByRole('searchbox', { name: 'Search' }).fill(session.email);
  await rowOf(app, session.ref).getByRole('combobox', { name: 'Status' }).selectOption('accepted');
  await expect(page.getByText(/1 session accepted/)).toBeVisible();
  await expect.poll(() => readFileSync(file, 'utf8')).not.toBe(before);
  const after = readFileSync(file, 'utf8');
  expect(after).toBe(before.replace(/("status"\s*:\s*)"pending"/, '$1"accepted"'));
  expect(JSON.parse(after.replace(/^\uFEFF/, '')).userInfo?.status ?? null).toBe(
    JSON.parse(before.replace(/^\uFEFF/, '')).userInfo?.status ?? null,
  );
});

test('sets several sessions pending at once, then undoes it', async ({ app }) => {
  const { page } = app;
  const apps = listApps(app);
  const accepted = apps.flatMap((a) => a.sessions).filter((s) => s.status === 'accepted');
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('accepted');
  const rows = grid(app).locator('[role="row"][data-ref]');
  await rows.nth(0).click();
  await rows.nth(1).click({ modifiers: ['ControlOrMeta'] });
  const refs = [
    await rows.nth(0).getAttribute('data-ref'),
    await rows.nth(1).getAttribute('data-ref'),
  ] as string[];
  expect(refs.every((ref) => accepted.some((s) => s.ref === ref))).toBe(true);
  const before = refs.map((ref) => readFileSync(fileOf(app, ref), 'utf8'));
  await page.getByRole('button', { name: 'Set Pending 2' }).click();
  await expect(page.getByText(/2 sessions set to pending/)).toBeVisible();
  for (const ref of refs)
    expect(JSON.parse(readFileSync(fileOf(app, ref), 'utf8').replace(/^\uFEFF/, '')).status).toBe('pending');

  await page.getByRole('button', { name: 'Undo' }).first().click();
  await expect(page.getByText(/Undone: 2 sessions accepted again/)).toBeVisible();
  expect(refs.map((ref) => readFileSync(fileOf(app, ref), 'utf8'))).toEqual(before);
});

test("a notice's Undo undoes that notice's change, not a later one", async ({ app }) => {
  const { page } = app;
  const [first, second] = uniquePendings(listApps(app)) as [ListedSession, ListedSession];
  const firstBefore = readFileSync(fileOf(app, first.ref), 'utf8');
  const search = page.getByRole('searchbox', { name: 'Search' });
  for (const session of [first, second]) {
    await search.fill(session.email);
    await rowOf(app, session.ref).getByRole('combobox', { name: 'Status' }).selectOption('accepted');
    await expect
      .poll(() => JSON.parse(readFileSync(fileOf(app, session.ref), 'utf8').replace(/^\uFEFF/, '')).status)
      .toBe('accepted');
  }
  const notices = page.locator('.notice', { hasText: /1 session accepted/ });
  await expect(notices).toHaveCount(2);
  // The older notice's Undo: the first session goes back, the second one stays accepted.
  await notices.first().getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText(/Undone: 1 session set back to pending/)).toBeVisible();
  expect(readFileSync(fileOf(app, first.ref), 'utf8')).toBe(firstBefore);
  expect(JSON.parse(readFileSync(fileOf(app, second.ref), 'utf8').replace(/^\uFEFF/, '')).status).toBe(
    'accepted',
  );
});

test('moves a session to the trash from the context menu, and undo brings back the same bytes', async ({
  app,
}) => {
  test.skip(
    app.door === 'electron',
    'native context menus cannot be clicked by Playwright; the keyboard path is covered below',
  );
  const { page } = app;
  const { session } = uniquePending(listApps(app));
  const file = fileOf(app, session.ref);
  const bytes = readFileSync(file);
  await page.getByRole('searchbox', { name: 'Search' }).fill(session.email);
  await rowOf(app, session.ref).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions' });
  await expect(menu.getByRole('menuitem', { name: 'Show in Folder' })).toBeVisible();
  page.once('dialog', (dialog) => void dialog.accept());
  await menu.getByRole('menuitem', { name: 'Move to Trash' }).click();
  await expect(page.getByText(/1 session moved to the Trash/)).toBeVisible();
  expect(readdirSync(path.dirname(file))).not.toContain(session.id);

  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByText(/Undone: 1 session restored/)).toBeVisible();
  expect(readFileSync(file)).toEqual(bytes);
});

/**
 * Writes new pending sessions into the first app's folder, as another process would (the 4D
 * Server): each a copy of that app's first session with its own id and e-mail. Returns its row.
 */
function newSessionWriter(app: AppFixture) {
  const host = listApps(app)[0] as ListedApp;
  const template = host.sessions[0] as ListedSession;
  const source = JSON.parse(readFileSync(fileOf(app, template.ref), 'utf8').replace(/^\uFEFF/, ''));
  const team = source.team?.id ?? '';
  return (id: string, email: string) => {
    source.session.id = id;
    source.status = 'pending';
    source.email = email;
    source.device.description = 'Brand New Phone';
    source.token = Buffer.from(JSON.stringify({ appNameID: source.application.id, id, teamID: team }))
      .toString('base64')
      .replace(/=+$/, '');
    writeFileSync(path.join(app.root, host.folder, id), JSON.stringify(source, null, 2));
    return rowOf(app, `${host.folder}/${id}`);
  };
}

test('shows a session created by another process without Refresh, highlighted', async ({ app }) => {
  const createSession = newSessionWriter(app);
  const row = createSession('feedc0de'.repeat(5), 'new.device@example.com');
  await expect(row).toBeVisible();
  await expect(row).toHaveClass(/new/);
  await expect(row.getByRole('combobox', { name: 'Status' })).toHaveValue('pending');

  // A second one comes first (pending, newest): the first flashing row moves down a row, and its
  // flash goes on in the same element rather than starting again in another.
  await row.evaluate((element) => element.setAttribute('data-was', 'flashing'));
  const next = createSession('c0ffee00'.repeat(5), 'newer.device@example.com');
  await expect(next).toHaveClass(/new/);
  await expect(next).toHaveAttribute('aria-rowindex', '2');
  await expect(row).toHaveAttribute('aria-rowindex', '3');
  await expect(row).toHaveAttribute('data-was', 'flashing');
  await expect(row).toHaveClass(/new/);
});

test('a status menu in use keeps its session when a new device arrives above it', async ({ app }) => {
  const { page } = app;
  const createSession = newSessionWriter(app);
  const firstRow = grid(app).locator('[role="row"][aria-rowindex="2"]');
  const ref = (await firstRow.getAttribute('data-ref')) as string;
  expect(statusOnDisk(app, ref)).toBe('pending'); // pending first, by default
  await firstRow.getByRole('combobox', { name: 'Status' }).focus();

  // Another process writes a new pending device: it comes first, and the rows move down one.
  const arrived = createSession('facade00'.repeat(5), 'arrived@example.com');
  await expect(arrived).toHaveAttribute('aria-rowindex', '2');

  // The menu in use still belongs to the session it was taken up for, and changes that one only.
  const menu = page.locator(':focus');
  await expect(page.locator('[role="row"]:has(:focus)')).toHaveAttribute('data-ref', ref);
  await menu.selectOption('accepted');
  await expect.poll(() => statusOnDisk(app, ref)).toBe('accepted');
  expect(statusOnDisk(app, (await arrived.getAttribute('data-ref')) as string)).toBe('pending');
});

test('lists every broken file in Problems with what the server will do', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: /^Problems/ }).click();
  const problems = page.getByRole('region', { name: 'Problems' });
  for (const code of ['location', 'malformed', 'schema', 'token', 'too-large', 'symlink']) {
    await expect(problems.getByText(code, { exact: false }).first()).toBeVisible();
  }
  await expect(problems.getByText('The server cannot read this file and drops the session.')).toBeVisible();
});

test('keyboard: arrows move, Space toggles status, Enter opens the details', async ({ app }) => {
  const { page } = app;
  // One row on screen, so the change of status cannot move it away (pending rows sort first).
  const { session } = uniquePending(listApps(app));
  await page.getByRole('searchbox', { name: 'Search' }).fill(session.email);
  await expect(grid(app).locator('[role="row"][data-ref]')).toHaveCount(1);
  await grid(app).focus();
  await page.keyboard.press('ArrowDown');
  const focused = grid(app).locator('[role="row"].focused');
  await expect(focused).toHaveAttribute('data-ref', session.ref);
  await page.keyboard.press('Space');
  await expect(rowOf(app, session.ref).getByRole('combobox', { name: 'Status' })).toHaveValue('accepted');
  await expect
    .poll(() => JSON.parse(readFileSync(fileOf(app, session.ref), 'utf8').replace(/^\uFEFF/, '')).status)
    .toBe('accepted');
  await page.keyboard.press('Enter');
  const details = page.getByRole('complementary', { name: 'Session details' });
  await expect(details.getByText(session.id).first()).toBeVisible();
  await expect(details.getByText('Raw JSON')).toBeVisible();
});

test('End and Home scroll the focused row into view; the rows follow the wheel, also once the table is made again', async ({
  app,
}) => {
  const { page } = app;
  const body = grid(app).locator('.tbody');
  const scrollTop = () => body.evaluate((element) => element.scrollTop);
  // Whole, but for a fraction of a pixel: the list is 668.66 px tall, and the browser's own scroll
  // range ends at a whole pixel, a third of a pixel short of the last row's bottom.
  const whole = { ratio: 0.95 };
  await expect(grid(app).locator('[role="row"][data-ref]').first()).toBeVisible();
  const rowCount = Number(await grid(app).getAttribute('aria-rowcount'));
  // More rows than the screen holds: End has to scroll.
  expect(rowCount * 36).toBeGreaterThan(await body.evaluate((element) => element.clientHeight * 2));

  /** Scrolled by the wheel to the middle: the rows there are in the DOM, filled, and on screen. */
  const wheelToTheMiddle = async () => {
    await body.hover();
    await page.mouse.wheel(0, (rowCount / 2) * 36);
    await expect.poll(scrollTop).toBeGreaterThan(36 * 10);
    const middle = Math.floor((await scrollTop()) / 36) + 3; // the first whole row on screen, as aria-rowindex
    await expect(grid(app).locator(`[role="row"][aria-rowindex="${middle}"][data-ref]`)).toBeInViewport(
      whole,
    );
  };

  await grid(app).focus();
  const focused = grid(app).locator('[role="row"].focused');
  await page.keyboard.press('End');
  await expect(focused).toHaveAttribute('aria-rowindex', String(rowCount));
  await expect(focused).toBeInViewport(whole);
  expect(await scrollTop()).toBe(
    await body.evaluate((element) => element.scrollHeight - element.clientHeight),
  );
  await page.keyboard.press('Home');
  await expect(focused).toHaveAttribute('aria-rowindex', '2');
  await expect(focused).toBeInViewport(whole);
  expect(await scrollTop()).toBe(0);
  await wheelToTheMiddle();

  // A search that matches nothing shows a message in the table's place; clearing it makes the table again.
  await page.getByRole('searchbox', { name: 'Search' }).fill('no session has this');
  await page.getByRole('button', { name: 'Clear Search and Filters' }).click();
  await expect(grid(app).locator('[role="row"][aria-rowindex="2"][data-ref]')).toBeVisible();
  await wheelToTheMiddle();
});

test('has no serious accessibility violations on the main views', async ({ app }) => {
  const { page } = app;
  await expect(grid(app).locator('[role="row"][data-ref]').first()).toBeVisible();
  const check = async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  };
  await check();
  await page.getByRole('button', { name: /^Problems/ }).click();
  await check();
});

test('pushes to the 4D Server double: says what will happen, then what the server did', async ({ app }) => {
  const { page } = app;
  const { session } = uniquePending(listApps(app));
  await page.getByRole('searchbox', { name: 'Search' }).fill(session.email);
  await rowOf(app, session.ref).getByRole('combobox', { name: 'Status' }).selectOption('accepted');
  const push = page.getByRole('button', { name: /^Push/ });
  await expect(push).toHaveText(/Push\s*1/);
  await push.click();
  const dialog = page.getByRole('dialog', { name: 'Push to the 4D Server' });
  await expect(dialog.getByText('1 changed session will be reloaded.')).toBeVisible();
  await expect(dialog.getByText(/6 files fail the server's checks/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Push', exact: true }).click();
  const result = page.getByRole('dialog', { name: 'Pushed' });
  await expect(result.getByRole('status')).toHaveText(/reloaded/i);
  await result.getByRole('button', { name: 'Close' }).click();
  await expect(push).toHaveText(/^Push$/);
  await expect(page.getByText(/Last push/)).toBeVisible();
});

test('stays usable at 200% zoom (half the viewport)', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 700, height: 430 });
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeInViewport();
  await expect(page.getByRole('button', { name: /^Push/ })).toBeInViewport();
  await expect(grid(app).locator('[role="row"][data-ref]').first()).toBeInViewport();
  await expect(
    page.getByRole('navigation', { name: 'Apps' }).getByRole('button', { name: /All apps/ }),
  ).toBeInViewport();
});
