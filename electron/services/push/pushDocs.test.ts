/**
 * docs/push.md's 4D code is what admins paste into their servers: the points a real 4D Server
 * depends on are checked here, against 4D's documentation as the 4D Server double plays it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUSH_MD_PERMISSIONS } from '../demo/fourDWeb.js';

const page = readFileSync(path.resolve('docs/push.md'), 'utf8');

/** The fenced code blocks of a language, in page order. */
const blocks = (language: string): string[] =>
  [...page.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (match) => match[1] ?? '',
  );

const handlerClass =
  blocks('4d').find((code) => code.includes('Function refresh($request : 4D.IncomingMessage)')) ?? '';
const refreshMethod = blocks('4d').find((code) => code.startsWith('//MobileSessions_refresh')) ?? '';
const dataStore = blocks('4d').find((code) => code.includes('Class extends DataStoreImplementation')) ?? '';
/** The code lines of a 4D block, comments left out. */
const codeLines = (code: string) =>
  code
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, '').trim())
    .filter(Boolean);

describe('docs/push.md, route A: the HTTP request handler', () => {
  it('answers JSON: the Object goes to setBody, and no Content-Type is set before it', () => {
    const lines = codeLines(handlerClass);
    const setBody = lines.findIndex((line) => line.startsWith('$response.setBody('));
    expect(lines[setBody]).toBe('$response.setBody($answer)');
    expect(handlerClass).not.toMatch(/setBody\(JSON Stringify/);
    const contentType = lines.findIndex((line) => /setHeader\("Content-Type"/i.test(line));
    expect(contentType === -1 || contentType > setBody).toBe(true);
  });

  it('states its version (20 R8) with the 4D pages behind it', () => {
    expect(page).toMatch(/## 3\. Route A: HTTP request handler \(4D 20 R8 and later\)/);
    for (const link of [
      'https://developer.4d.com/docs/20-R8/Notes/updates',
      'https://developer.4d.com/docs/WebServer/http-request-handler',
      'https://developer.4d.com/docs/API/IncomingMessageClass',
      'https://developer.4d.com/docs/API/OutgoingMessageClass',
    ]) {
      expect(page).toContain(link);
    }
  });
});

describe('docs/push.md, route B: the REST function', () => {
  it('puts back the error handler it replaces, instead of removing every handler', () => {
    const lines = codeLines(refreshMethod);
    expect(lines).toContain('$previous:=Method called on error');
    expect(lines).toContain('ON ERR CALL($previous)');
    expect(lines).not.toContain('ON ERR CALL("")');
    expect(lines.indexOf('$previous:=Method called on error')).toBeLessThan(
      lines.indexOf('ON ERR CALL("MobileSessions_onError")'),
    );
  });

  it('logs in through authentify, answering {success: True} only once setPrivileges succeeded', () => {
    expect(dataStore).toMatch(/exposed Function authentify\(\$credentials : Object\)->\$result : Object/);
    expect(dataStore).toMatch(
      /If \(Session\.setPrivileges\("mobileSessionsPush"\)\)[^\n]*\n\s*\$result:=New object\("success"; True\)/,
    );
  });

  it('states its versions as 4D documents them: forced login from 20 R5, the 4D class store from v19', () => {
    expect(page).toMatch(/## 4\. Route B: REST function with forced login \(4D 20 R5 and later\)/);
    expect(page).not.toMatch(/18 R5/);
    expect(page).toContain('https://developer.4d.com/docs/20-R5/REST/authUsers');
    expect(page).toContain('https://developer.4d.com/docs/commands/4d');
  });
});

describe('docs/push.md, roles.json', () => {
  it('shows the permissions the 4D Server double applies', () => {
    const entries = blocks('json')
      .flatMap((code) => {
        try {
          const json = JSON.parse(code) as unknown;
          return [json];
        } catch {
          return [];
        }
      })
      .flatMap((json) => {
        const record = json as { applyTo?: unknown; permissions?: { allowed?: unknown[] } };
        return record.applyTo ? [record] : (record.permissions?.allowed ?? []);
      });
    for (const permission of PUSH_MD_PERMISSIONS) expect(entries).toContainEqual(permission);
  });

  it('links only to https pages', () => {
    const links = [...page.matchAll(/\]\((http[^)]+)\)|^\[[^\]]+\]: (http\S+)/gm)].map((m) => m[1] ?? m[2]);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(link).toMatch(/^https:\/\//);
  });
});
