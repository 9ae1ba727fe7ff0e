/**
 * The browser mode opens only what it was given: the served folder and those named with
 * --allow-root (`AppService`'s `openableRoots`), compared after resolving links. Whoever holds the
 * token cannot open /etc, /proc/self or a link to them. The desktop app and the CLI set no list.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/contract.js';
import { testHooks } from '../../test/support/contractFixture.js';
import { makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';
import { AppService } from '../services/appService.js';
import { startWebServer, type WebServer } from './server.js';

const TOKEN = 'a-token-long-enough-for-tests';
let base: string;
let served: string;
let allowed: string;
let service: AppService;
let server: WebServer;

beforeAll(async () => {
  base = await makeTempDir('ms-roots-');
  served = path.join(base, 'served');
  allowed = path.join(base, 'allowed');
  await writeSession(served);
  await writeSession(allowed);
  await fs.symlink('/etc', path.join(base, 'etc-link'));
  await fs.symlink(served, path.join(base, 'served-link'));
  service = new AppService({
    dataDir: path.join(base, 'data'),
    hooks: testHooks('browser', async () => served),
    openableRoots: [served, allowed],
  });
  server = await startWebServer({ service, rendererDir: base, host: '127.0.0.1', port: 0, token: TOKEN });
});
afterAll(async () => {
  await server.close();
  await service.close();
  await removeDir(base);
});

async function openRoot(root: string): Promise<Envelope<{ root: string }>> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/openRoot`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ root }),
  });
  return (await response.json()) as Envelope<{ root: string }>;
}

describe('openRoot in the browser mode', () => {
  it('refuses every folder it was not given, links to them included', async () => {
    for (const root of ['/etc', '/proc/self', path.join(base, 'etc-link'), base, path.join(served, '..')]) {
      const answer = await openRoot(root);
      expect([root, answer.ok ? 'opened' : answer.error.code]).toEqual([root, 'not-allowed']);
    }
    expect(service.state().root).toBeNull();
  });

  it('opens the served folder, a link to it, and a folder given with --allow-root', async () => {
    for (const root of [served, path.join(base, 'served-link'), allowed]) {
      const answer = await openRoot(root);
      expect([root, answer.ok]).toEqual([root, true]);
    }
  });

  it('says which folders it opens and how to allow another', async () => {
    const answer = await openRoot('/etc');
    expect(answer.ok ? '' : answer.error.message).toBe(
      `This browser-mode server opens only ${served}, ${allowed}: start it with --allow-root "/etc" to allow that folder.`,
    );
  });
});
