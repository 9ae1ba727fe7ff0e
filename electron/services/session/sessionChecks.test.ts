import { describe, expect, it } from 'vitest';
import { BUNDLE, IOS_FOLDER, sessionJson, TEAM } from '../../../test/support/fixtures.js';
import { judgeSession, parseSessionBytes } from './sessionFile.js';

const codes = (json: Record<string, unknown>, folder = IOS_FOLDER, name?: string) =>
  judgeSession(json, folder, name ?? (json.session as { id: string }).id).map((p) => `${p.code}:${p.mobi}`);

describe('the checks MOBILE APP REFRESH SESSIONS makes', () => {
  it("passes the session of 4D's documentation example", () => {
    const json = sessionJson();
    expect(codes(json)).toEqual([]);
  });

  it('mobi 1: the folder must be team.app, or app alone without a team', () => {
    expect(codes(sessionJson(), `OTHERTEAM0.${BUNDLE}`)).toEqual(['location:1']);
    expect(codes(sessionJson({ teamId: null }), BUNDLE)).toEqual([]);
    expect(codes(sessionJson({ teamId: null }), IOS_FOLDER)).toEqual(['location:1']);
    // Case-insensitive, as on the file systems 4D Servers run on.
    expect(codes(sessionJson(), IOS_FOLDER.toLowerCase())).toEqual([]);
  });

  it('mobi 1: the file name must be the session id', () => {
    const json = sessionJson();
    const [problem] = judgeSession(json, IOS_FOLDER, 'abcdef');
    expect(problem).toMatchObject({ code: 'location', mobi: 1 });
    expect(problem?.message).toContain('abcdef');
  });

  it('mobi 3: required fields and their types', () => {
    const { email: _email, ...noEmail } = sessionJson();
    expect(codes(noEmail)).toEqual(['schema:3']);
    expect(codes(sessionJson({ status: 'maybe' }))).toEqual(['schema:3']);
    expect(codes({ ...sessionJson(), device: 'iPhone' })).toEqual(['schema:3']);
    expect(codes({ ...sessionJson(), device: { simulator: 'yes' } })).toEqual(['schema:3']);
    const [problem] = judgeSession(sessionJson({ status: 'maybe' }), IOS_FOLDER, 'x');
    expect(problem?.message).toBeDefined();
    const schema = judgeSession(noEmail, IOS_FOLDER, (noEmail.session as { id: string }).id)[0];
    expect(schema?.message).toContain('"email" is missing');
  });

  it('keeps unknown keys and a nested status key without complaint', () => {
    expect(codes(sessionJson({ extra: { userInfo: { status: 'vip' }, custom: [1, 2] } }))).toEqual([]);
  });

  it('mobi 4: the token must name this app, session and team, in any base64 flavour', () => {
    const json = sessionJson();
    const claims = { appNameID: BUNDLE, id: (json.session as { id: string }).id, teamID: TEAM };
    const standard = Buffer.from(JSON.stringify(claims)).toString('base64');
    const urlSafe = Buffer.from(JSON.stringify(claims)).toString('base64url');
    expect(codes({ ...json, token: standard })).toEqual([]);
    expect(codes({ ...json, token: urlSafe })).toEqual([]);
    const wrong = Buffer.from(JSON.stringify({ ...claims, id: 'ffff' })).toString('base64');
    const [problem] = judgeSession({ ...json, token: wrong }, IOS_FOLDER, claims.id);
    expect(problem).toMatchObject({ code: 'token', mobi: 4 });
    expect(problem?.message).toContain('"ffff"');
    expect(codes({ ...json, token: '%%% not base64' })).toEqual(['token:4']);
  });

  it('mobi 4: an Android session without team expects an empty teamID', () => {
    const json = sessionJson({ teamId: null, appId: 'com.acme.fieldservice' });
    expect(codes(json, 'com.acme.fieldservice')).toEqual([]);
  });
});

describe('parsing bytes', () => {
  it('accepts a BOM and CRLF, refuses what is not UTF-8 JSON object', () => {
    const text = JSON.stringify(sessionJson(), null, 2).replace(/\n/g, '\r\n');
    const parsed = parseSessionBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(parsed.ok && parsed.bom).toBe(true);
    for (const bad of [
      Buffer.from('{"a":'),
      Buffer.from('[1,2]'),
      Buffer.from('null'),
      Buffer.from([0xff, 0xfe, 0x7b]),
    ]) {
      const result = parseSessionBytes(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatchObject({ code: 'malformed', mobi: 2 });
    }
  });
});
