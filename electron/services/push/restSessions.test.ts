/** The kept 4D session: cookies as the server sets and expires them, in memory or owner-only on disk. */
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import {
  applySetCookies,
  cookieHeader,
  FileRestSessions,
  MemoryRestSessions,
  restSessionKey,
} from './restSessions.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('cookies of a 4D session', () => {
  it('keeps name=value from Set-Cookie, replaces a value, and sends them back', () => {
    let session = applySetCookies(null, ['4DSID_App=ABC; Path=/; HttpOnly; SameSite=Strict'], NOW);
    expect(cookieHeader(session, NOW)).toBe('4DSID_App=ABC');
    session = applySetCookies(session, ['4DSID_App=DEF; Path=/', 'other=1'], NOW);
    expect(cookieHeader(session, NOW)).toBe('4DSID_App=DEF; other=1');
    expect(applySetCookies(session, undefined, NOW)).toBe(session);
    expect(applySetCookies(null, ['no-equals-sign; Path=/'], NOW)).toBeNull();
  });

  it('stops sending a cookie once it expires (Expires, or Max-Age, which wins), and drops one the server expires', () => {
    const inAnHour = new Date(NOW + 3600_000).toUTCString();
    const session = applySetCookies(
      null,
      [`a=1; Expires=${inAnHour}`, `b=2; Expires=${inAnHour}; Max-Age=60`],
      NOW,
    );
    expect(cookieHeader(session, NOW + 59_000)).toBe('a=1; b=2');
    expect(cookieHeader(session, NOW + 61_000)).toBe('a=1');
    expect(cookieHeader(session, NOW + 3601_000)).toBeNull();
    const expired = applySetCookies(
      session,
      ['a=; Max-Age=0', `b=2; Expires=${new Date(NOW - 1000).toUTCString()}`],
      NOW,
    );
    expect(expired).toBeNull();
  });

  it('one session per server origin and user', () => {
    expect(restSessionKey('https://h:443/rest/$catalog/x', 'push')).toBe('https://h push');
    expect(restSessionKey('http://h:8080/a', null)).toBe('http://h:8080 ');
  });
});

describe('session stores', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('ms-sessions-');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('the command line keeps them in the data directory, readable by its owner only', async () => {
    const store = new FileRestSessions(dir);
    await store.set('https://a user', { '4DSID_App': { value: 'X', expiresAt: null } });
    await store.set('https://b ', { '4DSID_App': { value: 'Y', expiresAt: NOW } });
    expect((await fs.stat(store.file)).mode & 0o777).toBe(0o600);
    const again = new FileRestSessions(dir);
    expect(await again.get('https://a user')).toEqual({ '4DSID_App': { value: 'X', expiresAt: null } });
    await again.deleteOrigin('https://a');
    expect(await again.get('https://a user')).toBeNull();
    expect(await again.get('https://b ')).not.toBeNull();
    await fs.writeFile(store.file, '{"version":1,"sessions":{"k":{"c":{"value":7}}}}');
    expect(await new FileRestSessions(dir).get('k')).toBeNull(); // a damaged entry is no session
  });

  it('the desktop app keeps them in memory', async () => {
    const store = new MemoryRestSessions();
    await store.set('https://a u', { c: { value: '1', expiresAt: null } });
    await store.set('https://a:8443 u', { c: { value: '2', expiresAt: null } });
    await store.deleteOrigin('https://a');
    expect(await store.get('https://a u')).toBeNull();
    expect(await store.get('https://a:8443 u')).not.toBeNull();
    await store.delete('https://a:8443 u');
    expect(await store.get('https://a:8443 u')).toBeNull();
  });
});
