/**
 * The browser mode's requests: over the request socket when the browser can open it, over HTTP
 * when it cannot; the admin sees the same app either way. (The desktop app talks over IPC.)
 */
import type { Page } from '@playwright/test';
import { type AppFixture, expect, test } from './fixtures.js';
import { type ListedSession, listApps } from './listing.js';

/** Every POST /api/<method> the page sends from now on. */
function postedMethods(page: Page): string[] {
  const methods: string[] = [];
  page.on('request', (request) => {
    const method = /\/api\/(\w+)$/.exec(request.url())?.[1];
    if (request.method() === 'POST' && method) methods.push(method);
  });
  return methods;
}

/** A session whose e-mail no other session has. */
function uniqueSession(app: AppFixture): ListedSession {
  const sessions = listApps(app).flatMap((a) => a.sessions);
  const once = sessions.find((s) => s.email && sessions.filter((o) => o.email === s.email).length === 1);
  if (!once) throw new Error('the demo has no session with a unique e-mail');
  return once;
}

async function searchFinds(app: AppFixture, session: ListedSession): Promise<void> {
  await app.page.getByRole('searchbox', { name: 'Search' }).fill(session.email);
  await expect(app.page.getByText(/^1 shown/)).toBeVisible();
  await expect(app.page.locator(`[role="row"][data-ref="${session.ref}"]`)).toBeVisible();
}

test.describe('the browser mode', () => {
  test.beforeEach(({ app }) => {
    const reason = 'the desktop app sends its requests over IPC: there is no socket to test';
    if (app.door !== 'web') console.log(`Skipping in the ${app.door} project: ${reason}.`);
    test.skip(app.door !== 'web', reason);
  });

  test('searches over its request socket: no HTTP request per keystroke', async ({ app }) => {
    await expect(app.page.getByText(/\d+ shown/)).toBeVisible();
    const posted = postedMethods(app.page);
    await searchFinds(app, uniqueSession(app));
    expect(posted).toEqual([]);
  });

  test.describe('when the browser cannot open the socket', () => {
    test.use({ refuseRequestSocket: true });

    test('searches over HTTP, and the admin sees the same', async ({ app }) => {
      await expect(app.page.getByText(/\d+ shown/)).toBeVisible();
      const posted = postedMethods(app.page);
      await searchFinds(app, uniqueSession(app));
      expect(posted).toContain('querySessions');
    });
  });
});
