/**
 * The README's picture of the app, from the real UI on demo data. `npm run screenshot` writes it to
 * docs/screenshot.png; an ordinary test run only checks the view and keeps its picture in the test
 * output, so a test run never rewrites a tracked file.
 */
import { expect, test } from './fixtures.js';

test('takes the README screenshot', async ({ app }, testInfo) => {
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
  const target =
    process.env.MOBILE_SESSIONS_SCREENSHOT === '1'
      ? 'docs/screenshot.png'
      : testInfo.outputPath('screenshot.png');
  await page.screenshot({ path: target });
});
