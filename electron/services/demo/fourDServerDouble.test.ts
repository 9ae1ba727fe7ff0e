/**
 * The 4D Server double plays 4D as its documentation describes it, over real HTTP on 127.0.0.1:
 * MOBILE APP REFRESH SESSIONS (with its own reading of the checks, in 4D's wording), the handler
 * of docs/push.md (the digest file, 4D.OutgoingMessage's content types, set-up faults, roles.json),
 * and the REST route (forced login, the login function's answers, licences, session expiry).
 */
import { createHash } from 'node:crypto';
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
import { FourDServerDouble, type FourDServerDoubleOptions } from './fourDServerDouble.js';
import { MOBI_TEXT } from './fourDSessionRules.js';
import { OutgoingMessageDouble, permits, pushRolesJson, type RolesJson } from './fourDWeb.js';

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

async function start(options: Partial<FourDServerDoubleOptions> = {}) {
  double = await FourDServerDouble.start({ root, secret: 's3cret', ...options });
  return double;
}

async function post(url: string, init: { auth?: string; cookie?: string; body?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.auth) headers.Authorization = init.auth;
  if (init.cookie) headers.Cookie = init.cookie;
  const response = await fetch(url, { method: 'POST', headers, body: init.body ?? '[]' });
  const text = await response.text();
  const setCookie = response.headers.getSetCookie();
  return {
    status: response.status,
    text,
    json: () => JSON.parse(text),
    headers: response.headers,
    cookie: setCookie.map((line) => line.split(';')[0]).join('; '),
  };
}

/** A change the engine did not make: the file's status rewritten in place. */
async function rewriteStatus(file: string, status: string) {
  const json = JSON.parse(await fs.readFile(file, 'utf8'));
  json.status = status;
  await fs.writeFile(file, JSON.stringify(json, null, 2));
}

const login = (d: FourDServerDouble, password = 's3cret', cookie?: string) =>
  post(d.loginUrl, {
    body: JSON.stringify([{ user: 'mobile-sessions', password }]),
    ...(cookie ? { cookie } : {}),
  });

describe('FourDServerDouble: MOBILE APP REFRESH SESSIONS', () => {
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

  it("drops each broken file with its mobi code, in 4D's documented words, which do not name the file", async () => {
    const malformed = await writeSession(root);
    const schema = await writeSession(root);
    const token = await writeSession(root);
    const location = await writeSession(root);
    const d = await start();
    expect(d.refs()).toHaveLength(4);

    await fs.writeFile(malformed.file, '{"application": '); // mobi 2: not well formed
    await rewriteStatus(schema.file, 'maybe'); // mobi 3: status not accepted/pending
    await fs.writeFile(token.file, JSON.stringify({ ...token.json, token: 'eyJub3QiOiJ0aGlzIn0' })); // mobi 4
    await fs.writeFile(location.file, JSON.stringify(sessionJson({ appId: BUNDLE }), null, 2)); // mobi 1

    const answer = (await post(d.handlerUrl, { auth: 'Bearer s3cret' })).json();
    expect(answer.success).toBe(false);
    expect([...answer.errors].sort((a, b) => a.code - b.code)).toEqual(
      [1, 2, 3, 4].map((code) => ({ component: 'mobi', code, message: MOBI_TEXT[code] })),
    );
    expect(d.refs()).toEqual([]);
    expect([...(d.lastRefresh?.dropped ?? [])].sort()).toEqual(
      [malformed.ref, schema.ref, token.ref, location.ref].sort(),
    );
  });

  it("names the file in its messages only when told to (this app's wording, not 4D's)", async () => {
    await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');
    const d = await start({ errorsNameFiles: true });
    const answer = (await post(d.handlerUrl, { auth: 'Bearer s3cret' })).json();
    expect(answer.errors).toEqual([
      { component: 'mobi', code: 2, message: `${MOBI_TEXT[2]}: ${IOS_FOLDER}/abcdef01` },
    ]);
  });

  it("judges files with its own reading of 4D's checks, and agrees with the engine's", async () => {
    await writeFile(root, IOS_FOLDER, 'abcdef01', '[1, 2]');
    const noEmail = sessionJson();
    delete noEmail.email;
    await writeFile(root, IOS_FOLDER, (noEmail.session as { id: string }).id, noEmail);
    const wrongTeam = sessionJson({ teamId: 'OTHERTEAM1' });
    await writeFile(root, IOS_FOLDER, (wrongTeam.session as { id: string }).id, wrongTeam);
    const badToken = sessionJson();
    badToken.token = Buffer.from(JSON.stringify({ appNameID: BUNDLE, id: 'x', teamID: '' })).toString(
      'base64',
    );
    await writeFile(root, IOS_FOLDER, (badToken.session as { id: string }).id, badToken);
    await writeFile(root, IOS_FOLDER, 'fedcba98', `\uFEFF${JSON.stringify(sessionJson({ id: 'fedcba98' }))}`);
    const d = await start();
    const scan = await scanRoot(root);
    const answer = (await post(d.handlerUrl, { auth: 'Bearer s3cret' })).json();
    const engine = scan.problems.map((p) => p.mobi).sort();
    expect(answer.errors.map((e: { code: number }) => e.code).sort()).toEqual(engine);
    expect(engine).toEqual([1, 2, 3, 4]);
    expect(d.statusOf(`${IOS_FOLDER}/fedcba98`)).toBe('accepted'); // a BOM is 4D's own default
  });

  it("validates with 4D's own schema when given one", async () => {
    const session = await writeSession(root, { extra: { parameters: 'not an object' } });
    const lenient = { type: 'object', required: ['session'] };
    const d = await start({ sessionSchema: lenient });
    expect(d.statusOf(session.ref)).toBe('accepted');
    const strict = await FourDServerDouble.start({ root, secret: 's3cret' });
    try {
      expect(strict.statusOf(session.ref)).toBeUndefined();
    } finally {
      await strict.close();
    }
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
});

describe('FourDServerDouble: the HTTP request handler (route A)', () => {
  it('checks the bearer secret against the digest file of the data folder, never a plain secret', async () => {
    const dataFolder = await makeTempDir('ms-4d-data-');
    try {
      const d = await start({ dataFolder });
      const file = path.join(dataFolder, 'MobileSessions', 'push-secret.sha256');
      const stored = (await fs.readFile(file, 'utf8')).trim();
      expect(stored).toBe(createHash('sha256').update('s3cret').digest('hex'));
      expect(stored).not.toContain('s3cret');
      expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).status).toBe(200);

      // The admin changes the secret on the server: only the file changes, nothing restarts.
      await fs.writeFile(file, createHash('sha256').update('n3w').digest('hex').toUpperCase());
      expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).status).toBe(401);
      expect((await post(d.handlerUrl, { auth: 'Bearer n3w' })).status).toBe(200);

      await fs.rm(file);
      const none = await post(d.handlerUrl, { auth: 'Bearer n3w' });
      expect(none.status).toBe(500);
      expect(none.json().errors[0].message).toMatch(/No push secret is set up/);
    } finally {
      await removeDir(dataFolder);
    }
  });

  it('answers 401 with WWW-Authenticate without the right secret, and refreshes nothing', async () => {
    const d = await start();
    expect((await post(d.handlerUrl)).status).toBe(401);
    const wrong = await post(d.handlerUrl, { auth: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect(wrong.json()).toMatchObject({ success: false, errors: [{ code: 401 }] });
    expect(d.refreshCount).toBe(0);
  });

  it('answers application/json: the Object goes to setBody, and Cache-Control is set after it', async () => {
    const d = await start();
    const answer = await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('set-cookie')).toMatch(/^4DSID_MobileSessionsDouble=\w+; Path=\//);
  });

  it("plays 4D.OutgoingMessage: setBody sets the Content-Type from the body's type, over a header set before", () => {
    const stringified = new OutgoingMessageDouble();
    stringified.setHeader('Content-Type', 'application/json');
    stringified.setBody(JSON.stringify({ success: true }));
    expect(stringified.headers['Content-Type']).toBe('text/plain');
    const object = new OutgoingMessageDouble();
    object.setBody({ success: true });
    expect(object.headers['Content-Type']).toBe('application/json');
    expect(object.bytes().toString()).toBe('{"success":true}');
    const after = new OutgoingMessageDouble();
    after.setBody('{}');
    after.setHeader('Content-Type', 'application/json');
    expect(after.headers['Content-Type']).toBe('application/json');
    const blob = new OutgoingMessageDouble();
    blob.setBody(Buffer.from([1]));
    expect(blob.headers['Content-Type']).toBe('application/octet-stream');
  });

  it('plays a handler that is not loaded: a 404, or what On Web Connection answers', async () => {
    const d = await start({ handler: 'not-loaded' });
    expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).status).toBe(404);
    await d.close();
    const page = await start({ handler: 'not-loaded', onWebConnection: '<html>Welcome</html>' });
    const answer = await post(page.handlerUrl, { auth: 'Bearer s3cret' });
    expect(answer).toMatchObject({ status: 200, text: '<html>Welcome</html>' });
    expect(page.refreshCount).toBe(0);
  });

  it('says "Cannot find singleton" or "Cannot find singleton function" when HTTPHandlers.json names what is not there', async () => {
    const d = await start({ handler: 'no-singleton' });
    expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).text).toBe('Cannot find singleton');
    d.handler = 'no-function';
    expect((await post(d.handlerUrl, { auth: 'Bearer s3cret' })).text).toBe('Cannot find singleton function');
    expect(d.refreshCount).toBe(0);
  });

  it('refuses the guest session when roles.json does not grant it "execute" on the handler (403)', async () => {
    const roles = pushRolesJson();
    roles.permissions.allowed = roles.permissions.allowed.filter((p) => p.type !== 'singletonMethod');
    const d = await start({ roles });
    const answer = await post(d.handlerUrl, { auth: 'Bearer s3cret' });
    expect(answer.status).toBe(403);
    expect(answer.json().__ERROR[0]).toMatchObject({ componentSignature: 'dbmg', errCode: 1561 });
    expect(d.refreshCount).toBe(0);
  });

  it('answers 404 elsewhere and 405 to another verb', async () => {
    const d = await start();
    expect((await post(`${d.origin}/4DACTION/refresh`)).status).toBe(404);
    expect((await fetch(d.handlerUrl)).status).toBe(405);
  });
});

describe('FourDServerDouble: the REST function (route B)', () => {
  it("with forced login, refuses the function to a guest session with 4D's __ERROR (dbmg 1561)", async () => {
    const d = await start();
    const answer = await post(d.restUrl);
    expect(answer.status).toBe(403);
    expect(answer.json()).toEqual({
      __ERROR: [
        {
          message: expect.stringMatching(/No permission to execute method refreshMobileSessions/),
          componentSignature: 'dbmg',
          errCode: 1561,
        },
      ],
    });
    expect(d.refreshCount).toBe(0);
  });

  it('logs in with the login function of docs/push.md, sets the session cookie, then runs the function', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const d = await start();
    await rewriteStatus(session.file, 'accepted');

    const refused = await login(d, 'bad');
    expect(refused.json()).toEqual({ result: { success: false, message: 'Wrong user or secret.' } });
    const ok = await login(d);
    expect(ok.json()).toEqual({ result: { success: true } });
    expect(ok.cookie).toMatch(/^4DSID_MobileSessionsDouble=\w+$/);

    const answer = await post(d.restUrl, { cookie: ok.cookie });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ result: { success: true, errors: [] } });
    expect(d.statusOf(session.ref)).toBe('accepted');
  });

  it("plays 4D's own example login, which answers a Text", async () => {
    const d = await start({ loginFunction: '4d-example' });
    expect((await login(d, 'bad')).json()).toEqual({ result: 'Wrong password' });
    expect((await post(d.loginUrl, { body: '[{"user":"someone","password":"x"}]' })).json()).toEqual({
      result: 'Wrong user',
    });
  });

  it('counts 4D Client licences: one per logged-in session, none free past the limit, released by a restart', async () => {
    const d = await start({ licences: 2 });
    const first = await login(d);
    expect(d.licencesInUse).toBe(1);
    // The same session logging in again holds no second licence.
    await login(d, 's3cret', first.cookie);
    expect(d.licencesInUse).toBe(1);
    await login(d);
    expect(d.licencesInUse).toBe(2);
    const third = await login(d);
    expect(third.json()).toEqual({
      result: { success: false, message: expect.stringMatching(/no 4D Client licence is free/) },
    });
    expect(d.licencesInUse).toBe(2);
    expect(d.web.logins).toBe(2);
    d.restartWebServer();
    expect(d.licencesInUse).toBe(0);
    expect((await post(d.restUrl, { cookie: first.cookie })).status).toBe(403);
  });

  it('closes a session idle for 60 minutes: its licence is free again and its cookie no longer works', async () => {
    let now = Date.parse('2025-01-01T10:00:00Z');
    const d = await start({ licences: 1, now: () => now });
    const first = await login(d);
    expect((await post(d.restUrl, { cookie: first.cookie })).status).toBe(200);
    now += 59 * 60 * 1000;
    expect((await post(d.restUrl, { cookie: first.cookie })).status).toBe(200); // in use: still open
    now += 61 * 60 * 1000;
    const expired = await post(d.restUrl, { cookie: first.cookie });
    expect(expired.status).toBe(403);
    expect(expired.cookie).not.toBe(first.cookie); // a new guest session
    expect(d.licencesInUse).toBe(0);
    expect((await login(d)).json()).toEqual({ result: { success: true } });
  });

  it('answers like any web page when the REST server is off', async () => {
    const d = await start({ restServer: false });
    expect((await post(d.restUrl)).status).toBe(404);
    expect((await login(d)).status).toBe(404);
  });

  it('in the legacy login mode, every REST session holds a licence from its first request', async () => {
    const roles: RolesJson = { privileges: [], permissions: { allowed: [] }, forceLogin: false };
    const d = await start({ roles, licences: 1 });
    const first = await post(d.restUrl);
    expect(first.status).toBe(200);
    expect((await post(d.restUrl, { cookie: first.cookie })).status).toBe(200);
    expect(d.licencesInUse).toBe(1);
    const other = await post(d.restUrl);
    expect(other.status).toBe(403);
    expect(other.json().__ERROR[0].message).toMatch(/license/i);
  });

  it('reads roles.json as 4D documents it: the function entry, then its singleton, then the datastore', () => {
    const locked = pushRolesJson();
    expect(permits(locked, 'ds.refreshMobileSessions', ['guest'])).toBe(false);
    expect(permits(locked, 'ds.refreshMobileSessions', ['mobileSessionsPush'])).toBe(true);
    expect(permits(locked, 'ds.somethingElse', ['mobileSessionsPush'])).toBe(false);
    expect(permits(locked, 'MobileSessionsHandler.refresh', ['guest'])).toBe(true);
    expect(permits(locked, 'OtherSingleton.run', ['guest'])).toBe(false);
    const open: RolesJson = { privileges: [], permissions: { allowed: [] } };
    expect(permits(open, 'ds.anything', ['guest'])).toBe(true);
    const nested: RolesJson = {
      privileges: [
        { privilege: 'admin', includes: ['push'] },
        { privilege: 'push', includes: [] },
      ],
      permissions: {
        allowed: [
          { applyTo: 'Tools', type: 'singleton', execute: ['PUSH'] },
          { applyTo: 'ds', type: 'datastore', execute: ['none'] },
        ],
      },
    };
    expect(permits(nested, 'Tools.run', ['admin'])).toBe(true);
    expect(permits(nested, 'Tools.run', ['guest'])).toBe(false);
  });
});

describe('FourDServerDouble: on request', () => {
  it('can answer garbage, a wrong shape, or fail', async () => {
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
