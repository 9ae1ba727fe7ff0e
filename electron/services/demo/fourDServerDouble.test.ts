/**
 * The 4D Server double's reload rules, checked against the format page's checks (section 3) and
 * the documented behaviour of MOBILE APP REFRESH SESSIONS, over real HTTP on 127.0.0.1.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  sessionJson,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import { scanRoot } from '../live/scanRoot.js';
import { FourDServerDouble } from './fourDServerDouble.js';

let root: string;
let double: FourDServerDouble | null = null;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await double?.close();
  double = null;
  await removeDir(root);
});

async function start(options: Partial<Parameters<typeof FourDServerDouble.start>[0]> = {}) {
  double = await FourDServerDouble.start({ root, secret: 's3cret', ...options });
  return double;
}

async function post(url: string, init: { auth?: string; cookie?: string; body?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.auth) headers.Authorization = init.auth;
  if (init.cookie) headers.Cookie = init.cookie;
  const response = await fetch(url, { method: 'POST', headers, body: init.body ?? '[]' });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text), headers: response.headers };
}

/** A change the engine did not make: the file's status rewritten in place. */
async function rewriteStatus(file: string, status: string) {
  const json = JSON.parse(await fs.readFile(file, 'utf8'));
  json.status = status;
  await fs.writeFile(file, JSON.stringify(json, null, 2));
}

describe('FourDServerDouble', () => {
  it('listens on 127.0.0.1 only and loads the valid sessions at start', async () => {
    const valid = await writeSession(root, { status: 'accepted' });
    await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');
    const d = await start();
    expect(d.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(d.refs()).toEqual([valid.ref]);
    expect(d.statusOf(valid.ref)).toBe('accepted');
  });

  it('reloads a changed status, removes a deleted session, and keeps the others', async () => {
    const changed = await writeSession(root, { status: 'pending' });
    const deleted = await writeSession(root, { status: 'accepted' });
    const kept = await writeSession(root, { status: 'accepted' });
    const d = await start();
    await rewriteStatus(changed.file, 'accepted');
    await fs.rm(deleted.file);

    const answer = await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ success: true, errors: [] });
    expect(d.statusOf(changed.ref)).toBe('accepted');
    expect(d.statusOf(deleted.ref)).toBeUndefined();
    expect(d.statusOf(kept.ref)).toBe('accepted');
    expect(d.lastRefresh).toMatchObject({ reloaded: [changed.ref], removed: [deleted.ref], dropped: [] });
  });

  it('drops a file broken on disk with the mobi code of the check it fails, naming the file', async () => {
    const malformed = await writeSession(root);
    const schema = await writeSession(root);
    const token = await writeSession(root);
    const location = await writeSession(root);
    const d = await start();
    expect(d.refs()).toHaveLength(4);

    await fs.writeFile(malformed.file, '{"application": '); // mobi 2: not well formed
    await rewriteStatus(schema.file, 'maybe'); // mobi 3: status not accepted/pending
    const tokenJson = { ...token.json, token: 'eyJub3QiOiJ0aGlzIn0' }; // mobi 4: token of another session
    await fs.writeFile(token.file, JSON.stringify(tokenJson, null, 2));
    const other = sessionJson({ appId: BUNDLE }); // mobi 1: the file holds another session
    await fs.writeFile(location.file, JSON.stringify(other, null, 2));

    const answer = (await post(d.handlerUrl, { auth: 'Bearer s3cret' })).json();
    expect(answer.success).toBe(false);
    const codeOf = (ref: string) =>
      answer.errors.find((e: { message: string }) => e.message.includes(ref))?.code;
    expect(codeOf(malformed.ref)).toBe(2);
    expect(codeOf(schema.ref)).toBe(3);
    expect(codeOf(token.ref)).toBe(4);
    expect(codeOf(location.ref)).toBe(1);
    expect(answer.errors).toHaveLength(4);
    for (const error of answer.errors) expect(error.component).toBe('mobi');
    expect(d.refs()).toEqual([]);
    expect([...(d.lastRefresh?.dropped ?? [])].sort()).toEqual(
      [malformed.ref, schema.ref, token.ref, location.ref].sort(),
    );
  });

  it('its errors agree with the engine: one per failing file, with the first problem of each', async () => {
    await writeFile(root, IOS_FOLDER, 'abcdef01', '[1, 2]');
    const d = await start();
    const scan = await scanRoot(root);
    const answer = (await post(d.handlerUrl, { auth: 'Bearer s3cret' })).json();
    expect(answer.errors.map((e: { code: number }) => e.code)).toEqual(scan.problems.map((p) => p.mobi));
  });

  it('takes back a session whose file is valid again (an undone delete)', async () => {
    const session = await writeSession(root);
    const bytes = await fs.readFile(session.file);
    const d = await start();
    await fs.rm(session.file);
    await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(d.statusOf(session.ref)).toBeUndefined();
    await fs.writeFile(session.file, bytes);
    await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(d.statusOf(session.ref)).toBe('accepted');
  });

  it('plays a device logging in: a new valid session file, named as 4D names it, known at once', async () => {
    const d = await start();
    const ios = await d.login({ folder: IOS_FOLDER, email: 'ann@example.com', status: 'pending' });
    const android = await d.login({ folder: 'com.acme.fieldservice', status: 'accepted' });
    expect(ios.ref).toBe(`${IOS_FOLDER}/${ios.id}`);
    expect(ios.id).toMatch(/^[0-9a-f]{40}$/);
    expect(path.dirname(ios.file)).toBe(path.join(root, IOS_FOLDER));
    expect(d.statusOf(ios.ref)).toBe('pending');
    expect(d.statusOf(android.ref)).toBe('accepted');
    const scan = await scanRoot(root);
    expect(scan.problems).toEqual([]);
    const sessions = scan.apps.flatMap((app) => app.sessions);
    expect(sessions.find((s) => s.ref === ios.ref)).toMatchObject({
      status: 'pending',
      email: 'ann@example.com',
    });
    expect(sessions.find((s) => s.ref === android.ref)?.team.id).toBeNull();
    // A refresh right after changes nothing: the server already knows its own new sessions.
    await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(d.lastRefresh?.reloaded).toEqual([]);
  });

  it('answers 401 without the right bearer secret, and refreshes nothing', async () => {
    const d = await start();
    expect((await post(d.handlerUrl)).status).toBe(401);
    const wrong = await post(d.handlerUrl, { auth: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toMatchObject({ success: false, errors: [{ code: 401 }] });
    expect(d.refreshCount).toBe(0);
  });

  it('answers 404 elsewhere and 405 to another verb', async () => {
    const d = await start();
    expect((await post(`${d.origin}/4DACTION/refresh`)).status).toBe(404);
    expect((await fetch(d.handlerUrl)).status).toBe(405);
  });

  it('plays the REST login flow: the function needs the cookie of a logged-in session', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const d = await start({ restLogin: { user: 'push', password: 'pw' } });
    await rewriteStatus(session.file, 'accepted');
    expect((await post(d.restUrl)).status).toBe(401);

    const refused = await post(d.loginUrl, { body: JSON.stringify([{ user: 'push', password: 'bad' }]) });
    expect(refused.json()).toEqual({ result: { success: false } });
    const login = await post(d.loginUrl, { body: JSON.stringify([{ user: 'push', password: 'pw' }]) });
    expect(login.json()).toEqual({ result: { success: true } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/=/);

    const answer = await post(d.restUrl, { cookie });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ result: { success: true, errors: [] } });
    expect(d.statusOf(session.ref)).toBe('accepted');
  });

  it('can answer garbage, a wrong shape, or fail, on request', async () => {
    const d = await start({ answer: 'garbage' });
    expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).text).toMatch(/<html>/);
    d.answer = 'wrong-shape';
    expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).json()).toEqual({
      status: 'ok',
      reloaded: true,
    });
    d.answer = 'server-error';
    expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).status).toBe(500);
  });

  it('waits before answering when told to be slow', async () => {
    const d = await start({ delayMs: 150 });
    const started = Date.now();
    await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
