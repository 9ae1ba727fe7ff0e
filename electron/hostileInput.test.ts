/**
 * The hostile-input suite (issue 13's proof): what an attacker or a careless user sends to the
 * browser mode's HTTP door and to the command line, each case printed with its answer, the count
 * of refusals printed at the end; and no secret of the session files appears in any output, and
 * no terminal control character in any text output. Real HTTP on 127.0.0.1, the real CLI
 * entrance (`runCli`), real folders.
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../test/support/cliRun.js';
import { testHooks } from '../test/support/contractFixture.js';
import { IOS_FOLDER, makeTempDir, removeDir, writeSession } from '../test/support/fixtures.js';
import { EXIT } from './cli/program.js';
import { isTerminalControl } from './cli/terminalText.js';
import { AppService } from './services/appService.js';
import { startWebServer, type WebServer } from './web/server.js';

const TOKEN = 'hostile-suite-token-0123456789';
const SECRETS = {
  userSecret: 'user-secret-value-hostile-1',
  apiKey: 'api-key-value-hostile-2',
  pwd: 'pwd-value-hostile-3',
  pass: 'pass-value-hostile-4',
  pin: '918273645',
  pushToken: 'pushtoken0a1b2c3d4e5f60718293a4b5c6d7e8f9f8e',
};
/** A description and e-mail that try to act on the terminal: OSC title, clear screen, fake "accepted", RTL override. */
const ESCAPING_DESCRIPTION = '\u001b]0;owned\u0007iPhone\u001b[2J';
const ESCAPING_EMAIL = 'eve@example.com\r\u001b[Kaccepted \u202emoc.elpmaxe';

let base: string;
let root: string;
let dataDir: string;
let hostile: { ref: string; token: string };
let service: AppService;
let server: WebServer;
/** Every byte any door answered, searched for secrets at the end. */
const outputs: string[] = [];

beforeAll(async () => {
  base = await makeTempDir('ms-hostile-');
  root = path.join(base, 'MobileApps');
  dataDir = path.join(base, 'data');
  const written = await writeSession(root, {
    status: 'pending',
    email: ESCAPING_EMAIL,
    extra: {
      device: { id: 'D1', description: ESCAPING_DESCRIPTION, token: SECRETS.pushToken, simulator: false },
      userInfo: { secret: SECRETS.userSecret, apiKey: SECRETS.apiKey, pwd: SECRETS.pwd },
      parameters: { credentials: { pass: SECRETS.pass, pin: SECRETS.pin } },
    },
  });
  hostile = { ref: written.ref, token: written.json.token as string };
  service = new AppService({ dataDir, hooks: testHooks('browser', async () => root), openableRoots: [root] });
  server = await startWebServer({ service, rendererDir: base, host: '127.0.0.1', port: 0, token: TOKEN });
});
afterAll(async () => {
  await server?.close();
  await service?.close();
  await removeDir(base);
});

interface HttpCase {
  what: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function send(c: HttpCase): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: c.method ?? 'POST',
        path: c.path,
        headers: {
          host: `127.0.0.1:${server.port}`,
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          ...c.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(c.body);
  });
}

/** Refused: an HTTP error, or an error envelope. */
const refused = (answer: { status: number; body: string }) =>
  answer.status >= 400 || /^\{"ok":false/.test(answer.body);

describe('the HTTP door', () => {
  it('refuses every hostile request and shows no secret', async () => {
    const api = '/api';
    const cases: HttpCase[] = [
      { what: 'no token', path: `${api}/getState`, headers: { authorization: '' }, body: '{}' },
      { what: 'wrong token', path: `${api}/getState`, headers: { authorization: 'Bearer nope' }, body: '{}' },
      {
        what: 'foreign Host (DNS rebinding)',
        path: `${api}/getState`,
        headers: { host: 'evil.example:80' },
        body: '{}',
      },
      {
        what: 'cross-site Origin',
        path: `${api}/getState`,
        headers: { origin: 'http://evil.example' },
        body: '{}',
      },
      { what: 'unknown request', path: `${api}/runShell`, body: '{}' },
      { what: 'prototype name', path: `${api}/__proto__`, body: '{}' },
      { what: 'GET on a request', method: 'GET', path: `${api}/getState` },
      { what: 'body not JSON', path: `${api}/getState`, body: '{"' },
      { what: 'extra parameter', path: `${api}/getState`, body: '{"x":1}' },
      { what: 'open /etc', path: `${api}/openRoot`, body: '{"root":"/etc"}' },
      { what: 'open /proc/self', path: `${api}/openRoot`, body: '{"root":"/proc/self"}' },
      {
        what: 'open the served root through ..',
        path: `${api}/openRoot`,
        body: JSON.stringify({ root: `${root}/..` }),
      },
      { what: 'open an empty root', path: `${api}/openRoot`, body: '{"root":""}' },
      { what: 'inspect /etc', path: `${api}/inspectFolder`, body: '{"root":"/etc"}' },
      { what: 'traversal ref', path: `${api}/getSession`, body: '{"ref":"../../etc/passwd"}' },
      { what: 'absolute ref', path: `${api}/getSession`, body: '{"ref":"/etc/passwd"}' },
      { what: 'empty ref', path: `${api}/setStatus`, body: '{"refs":[""],"status":"accepted"}' },
      {
        what: 'unknown status',
        path: `${api}/setStatus`,
        body: JSON.stringify({ refs: [hostile.ref], status: 'root' }),
      },
      { what: 'static file outside the renderer', method: 'GET', path: '/../../etc/passwd' },
      { what: 'encoded traversal', method: 'GET', path: '/%2e%2e/%2e%2e/etc/passwd' },
    ];
    // Opened first, so that the session requests reach the engine and are refused there.
    expect(
      refused(await send({ what: 'open', path: `${api}/openRoot`, body: JSON.stringify({ root }) })),
    ).toBe(false);
    let refusedCount = 0;
    for (const c of cases) {
      const answer = await send(c);
      outputs.push(answer.body);
      const wasRefused = refused(answer);
      if (wasRefused) refusedCount++;
      console.log(
        `HTTP ${wasRefused ? 'refused' : 'ACCEPTED'}  ${c.what}: ${answer.status} ${answer.body.slice(0, 100)}`,
      );
    }
    // What an admin legitimately reads of the hostile session: searched for secrets below.
    for (const request of ['getSession', 'exportCsv']) {
      const body = request === 'getSession' ? { ref: hostile.ref } : { filter: {} };
      outputs.push(
        (await send({ what: request, path: `${api}/${request}`, body: JSON.stringify(body) })).body,
      );
    }
    console.log(`HTTP: ${refusedCount} of ${cases.length} hostile requests refused.`);
    expect(refusedCount).toBe(cases.length);
  });
});

const cli = (...args: string[]) => runCliCaptured(args, { dataDir });

const controlsIn = (text: string) =>
  [...text].filter((char) => char !== '\n' && char !== '\t' && isTerminalControl(char.codePointAt(0) ?? 0));

describe('the command line', () => {
  it('refuses every hostile command line plainly', async () => {
    const etcLike = path.join(base, 'etc-like');
    await fs.mkdir(path.join(etcLike, 'apt'), { recursive: true });
    const cases: Array<{ what: string; args: string[]; code: number }> = [
      { what: 'empty root', args: ['list', ''], code: EXIT.usage },
      { what: 'a folder that is no MobileApps folder', args: ['list', etcLike], code: EXIT.usage },
      { what: 'an app folder as root', args: ['list', path.join(root, IOS_FOLDER)], code: EXIT.usage },
      { what: 'a missing root', args: ['list', path.join(base, 'nowhere')], code: EXIT.failure },
      { what: 'traversal ref', args: ['accept', root, '../../etc/passwd'], code: EXIT.failure },
      { what: 'absolute ref', args: ['accept', root, '/etc/passwd'], code: EXIT.failure },
      { what: 'empty ref', args: ['delete', root, ''], code: EXIT.failure },
      { what: 'unknown command', args: ['rm', '-rf', root], code: EXIT.usage },
      { what: 'unknown status', args: ['accept', root, '--matching', '--status', 'root'], code: EXIT.usage },
      { what: 'unknown request', args: ['call', 'runShell'], code: EXIT.failure },
      { what: 'parameters not JSON', args: ['call', 'getSession', '{'], code: EXIT.usage },
    ];
    let refusedCount = 0;
    for (const c of cases) {
      const result = await cli(...c.args);
      outputs.push(result.stdout, result.stderr);
      if (result.code !== EXIT.ok) refusedCount++;
      console.log(
        `CLI ${result.code !== EXIT.ok ? 'refused' : 'ACCEPTED'} (exit ${result.code})  ${c.what}: ${result.stderr.trim().split('\n')[0]}`,
      );
      expect([c.what, result.code]).toEqual([c.what, c.code]);
      expect([c.what, result.stdout]).toEqual([c.what, '']); // errors on stderr, results only on stdout
      expect(controlsIn(result.stderr)).toEqual([]);
    }
    console.log(`CLI: ${refusedCount} of ${cases.length} hostile command lines refused.`);
    expect(refusedCount).toBe(cases.length);
  });

  it('an app folder as root offers its parent; --force opens a folder that does not look right', async () => {
    const asApp = await cli('list', path.join(root, IOS_FOLDER));
    expect(asApp.stderr).toContain(`is an app folder itself: its MobileApps folder is probably ${root}.`);
    const etcLike = path.join(base, 'etc-like');
    const refused = await cli('list', etcLike);
    expect(refused.stderr).toContain('does not look like a MobileApps folder');
    expect(refused.stderr).toContain('--force');
    const forced = await cli('list', etcLike, '--force');
    expect(forced.code).toBe(EXIT.ok);
  });

  it('prints no terminal control in text, and JSON exactly', async () => {
    const text = await cli('list', root);
    outputs.push(text.stdout, text.stderr);
    expect(text.code).toBe(EXIT.ok);
    expect(controlsIn(text.stdout)).toEqual([]);
    // Shown, not acted on: each control as a visible escape.
    expect(text.stdout).toContain('\\u{1b}]0;owned\\u{07}iPhone\\u{1b}[2J');
    expect(text.stdout).toContain('eve@example.com\\u{0d}\\u{1b}[Kaccepted \\u{202e}moc.elpmaxe');
    const asJson = await cli('list', root, '--json');
    outputs.push(asJson.stdout);
    const session = JSON.parse(asJson.stdout).apps[0].sessions[0];
    expect(session.device.description).toBe(ESCAPING_DESCRIPTION);
    expect(session.email).toBe(ESCAPING_EMAIL);
    for (const args of [
      ['check', root],
      ['log', root],
      ['pend', root, hostile.ref],
    ]) {
      const result = await cli(...args);
      outputs.push(result.stdout, result.stderr);
      expect([args[0], controlsIn(result.stdout + result.stderr)]).toEqual([args[0], []]);
    }
  });

  it('delete --permanent says it deleted permanently; --version prints the version', async () => {
    const other = await writeSession(root, { status: 'pending' });
    const deleted = await cli('delete', root, other.ref, '--permanent');
    expect(deleted.stdout).toBe(`${other.ref}: deleted permanently (undo restores it from the app's copy)\n`);
    const version = await cli('--version');
    const { version: expected } = JSON.parse(
      await fs.readFile(path.join(__dirname, '..', 'package.json'), 'utf8'),
    );
    expect([version.code, version.stdout]).toEqual([EXIT.ok, `${expected}\n`]);
  });
});

describe('secrets', () => {
  it('appear in no output of either door', async () => {
    const secrets = [...Object.values(SECRETS), hostile.token];
    const all = outputs.join('\n');
    expect(outputs.length).toBeGreaterThan(40);
    const found = secrets.filter((secret) => all.includes(secret));
    console.log(
      `Secrets: searched ${outputs.length} outputs for ${secrets.length} secrets, found ${found.length}.`,
    );
    expect(found).toEqual([]);
  });
});
