/**
 * The README's picture of the app, from the real UI on demo data. `npm run screenshot` writes it to
 * docs/screenshot.png; an ordinary test run only checks the view and keeps its picture in the test
 * output, so a test run never rewrites a tracked file.
 */
import { expect, test } from './fixtures.js';

test('takes the README screenshot', async ({ app }, testInfo) => {
  test.skip(app.door === 'electron', 'the README picture is taken once, from the web project');
  const { page } = app;
  // The whole table: every app (the App column tells the iOS and the Android build apart), every
  // column in view, one pending session selected so the bulk actions show; no panel over the table.
  await page
    .getByRole('navigation', { name: 'Apps' })
    .getByRole('button', { name: /^All apps/ })
    .click();
  const rows = page.locator('[role="row"][data-ref]');
  await expect(rows.first()).toBeVisible();
  await rows.nth(0).click();
  await expect(page.getByRole('button', { name: 'Accept 1' })).toBeEnabled();
  await expect(page.getByRole('complementary', { name: 'Session details' })).toHaveCount(0);
  const grid = await page.getByRole('grid', { name: 'Sessions' }).boundingBox();
  const ip = await page.getByRole('columnheader', { name: 'IP', exact: true }).boundingBox();
  expect((ip?.x ?? 0) + (ip?.width ?? 0)).toBeLessThanOrEqual((grid?.x ?? 0) + (grid?.width ?? 0) + 1);
  await page.mouse.move(0, 0); // no hover effect in the picture
  const target =
    process.env.MOBILE_SESSIONS_SCREENSHOT === '1'
      ? 'docs/screenshot.png'
      : testInfo.outputPath('screenshot.png');
  await page.screenshot({ path: target });
});
