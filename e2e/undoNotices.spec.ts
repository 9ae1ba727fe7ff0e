import { expect, test } from './fixtures.js';
import { type ListedApp, type ListedSession, listApps, statusOnDisk } from './listing.js';

test("after Ctrl+Z, the undone change's notice no longer undoes anything else", async ({ app }) => {
  const { page } = app;
  const apps = listApps(app);
  const emails = apps.flatMap((a) => a.sessions.map((s) => s.email));
  const bulkApp = apps.find((a) => a.sessions.filter((s) => s.status === 'pending').length >= 5) as ListedApp;
  const other = apps
    .filter((a) => a.folder !== bulkApp.folder)
    .flatMap((a) => a.sessions)
    .find((s) => s.email && emails.filter((e) => e === s.email).length === 1) as ListedSession;

  // Bulk-accept 5 pending sessions of one app.
  await page
    .getByRole('navigation', { name: 'Apps' })
    .getByRole('button', { name: bulkApp.name })
    .first()
    .click();
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('pending');
  const rows = page.locator('[role="row"][data-ref]');
  await rows.nth(0).click();
  await rows.nth(4).click({ modifiers: ['Shift'] });
  const accepted: string[] = [];
  for (let i = 0; i < 5; i += 1) accepted.push((await rows.nth(i).getAttribute('data-ref')) as string);
  await page.getByRole('button', { name: 'Accept 5' }).click();
  await expect(page.getByText('5 sessions accepted.')).toBeVisible();
  for (const ref of accepted) expect(statusOnDisk(app, ref)).toBe('accepted');

  // Move a session of another app to the Trash; Ctrl+Z brings it back.
  await page
    .getByRole('navigation', { name: 'Apps' })
    .getByRole('button', { name: /All apps/ })
    .click();
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('');
  await page.getByRole('searchbox', { name: 'Search' }).fill(other.email);
  await page.locator(`[role="row"][data-ref="${other.ref}"]`).click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.keyboard.press('Delete');
  const trashNotice = page.locator('.notice', { hasText: '1 session moved to the Trash.' });
  await expect(trashNotice).toBeVisible();
  // Under the pointer, the notice stays open however slow the machine (notices close by themselves).
  await trashNotice.hover();
  await page.locator(`[role="row"][data-ref="${other.ref}"]`).waitFor({ state: 'detached' });
  // The search now matches nothing (the table says so); Ctrl/Cmd+Z works anywhere but in a text field.
  await page.getByRole('button', { name: 'Export CSV' }).focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByText(/^Undone: 1 session restored/)).toBeVisible();

  // That change is undone: its notice, still there, offers no Undo any more. Read once, not
  // polled: a polled check would pass as soon as the notice closed by itself.
  expect(await trashNotice.count()).toBe(1);
  expect(await trashNotice.getByRole('button', { name: 'Undo' }).count()).toBe(0);
  // The bulk accept's own notice still undoes the bulk accept, and only it.
  const bulkNotice = page.locator('.notice', { hasText: '5 sessions accepted.' });
  if ((await bulkNotice.count()) > 0) {
    await bulkNotice.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByText(/^Undone: 5 sessions/)).toBeVisible();
    for (const ref of accepted) expect(statusOnDisk(app, ref)).toBe('pending');
    return;
  }
  await expect(page.getByText(/Undone: 5 sessions/)).toHaveCount(0);
  for (const ref of accepted) expect(statusOnDisk(app, ref)).toBe('accepted');
});
