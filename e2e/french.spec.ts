/**
 * The main walk in French: a system set to French gets the window in French, with French plurals and
 * dates, the accepted session's notice and its Undo in French, and the file on disk changed exactly as
 * in English. Then the admin switches to English from the window's language setting, and back.
 * The picture stays in the test's output; `npm run screenshot` also writes it to docs/screenshot.fr.png.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.js';
import { fileOf, statusOnDisk } from './listing.js';

test.use({ systemLanguage: 'fr-FR' });

test('the main walk in French: list, accept, undo, switch language', async ({ app }, testInfo) => {
  const { page } = app;
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const apps = page.getByRole('navigation', { name: 'Apps' });
  await apps.getByRole('button', { name: /^Toutes les apps/ }).click();
  const grid = page.getByRole('grid', { name: 'Sessions' });
  for (const header of ['Appareil', 'Statut', 'E-mail', 'Apparue le', 'Modifiée le']) {
    await expect(grid.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  }
  // Dates as French writes them: day first, 24-hour clock.
  await expect(grid.getByText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/).first()).toBeVisible();

  // A pending session, chosen through the French status filter.
  await page.getByRole('combobox', { name: 'Filtre de statut' }).selectOption('pending');
  const row = grid.locator('[role="row"][data-ref]').first();
  const ref = (await row.getAttribute('data-ref')) as string;
  const file = fileOf(app, ref);
  const before = readFileSync(file, 'utf8');
  await expect(row.getByRole('combobox', { name: 'Statut' })).toHaveValue('pending');
  await expect(row.getByRole('combobox', { name: 'Statut' }).locator('option:checked')).toHaveText(
    'en attente',
  );
  await row.click();
  await expect(page.getByText('1 sélectionnée')).toBeVisible();
  await page.getByRole('button', { name: 'Accepter 1' }).click();
  await expect(page.getByText('1 session acceptée.')).toBeVisible();
  await expect.poll(() => statusOnDisk(app, ref)).toBe('accepted');
  expect(readFileSync(file, 'utf8')).toBe(before.replace(/("status"\s*:\s*)"pending"/, '$1"accepted"'));

  await page.getByRole('button', { name: 'Annuler', exact: true }).first().click();
  await expect(page.getByText('Annulé : 1 session remise en attente.')).toBeVisible();
  await expect.poll(() => readFileSync(file, 'utf8')).toBe(before);

  await page.getByRole('combobox', { name: 'Filtre de statut' }).selectOption('');
  await page.mouse.move(0, 0);
  const picture =
    process.env.MOBILE_SESSIONS_SCREENSHOT === '1' && app.door === 'web'
      ? 'docs/screenshot.fr.png'
      : testInfo.outputPath('screenshot.fr.png');
  await page.screenshot({ path: picture });

  // The window's language setting: English now, whatever the system says; then back to the system's.
  const language = page.getByRole('combobox', { name: 'Langue' });
  await language.selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(apps.getByRole('button', { name: /^All apps/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('system');
  await expect(apps.getByRole('button', { name: /^Toutes les apps/ })).toBeVisible();
});
