/** The README's picture of the app: taken by the suite from the real UI on demo data, so it never goes stale. */
import { expect, test } from './fixtures.js';

test('saves the README screenshot', async ({ app }) => {
  test.skip(app.door === 'electron', 'the README picture is taken once, from the web project');
  const { page } = app;
  await page
    .getByRole('navigation', { name: 'Apps' })
    .getByRole('button', { name: /^Contacts/ })
    .click();
  const rows = page.locator('[role="row"][data-ref]');
  await expect(rows.first()).toBeVisible();
  await rows.nth(0).click();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary', { name: 'Session details' })).toBeVisible();
  await page.screenshot({ path: 'docs/screenshot.png' });
});
