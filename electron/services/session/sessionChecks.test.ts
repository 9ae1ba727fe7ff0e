import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  sessionJson,
  TEAM,
} from '../../../test/support/fixtures.js';
import {
  findFourDSessionSchema,
  schemaFileOf,
  sessionSchemaInUse,
  useSessionSchema,
} from './sessionChecks.js';
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

describe("4D's own schema, when a 4D installation is found or given", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('ms-4d-install-');
  });
  afterEach(async () => {
    useSessionSchema(null);
    await removeDir(dir);
  });

  /** A 4D installation as each platform lays it out, with `schema` as its mobileSessionSchema.json. */
  async function install(layout: 'mac' | 'windows', name: string, schema: unknown): Promise<string> {
    const app = path.join(dir, name);
    const folder =
      layout === 'mac'
        ? path.join(app, 'Contents', 'Resources', 'JSONSchemas')
        : path.join(app, 'Resources', 'JSONSchemas');
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'mobileSessionSchema.json'), JSON.stringify(schema));
    return app;
  }

  const requiresDeviceId = {
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    required: ['device'],
    properties: { device: { type: 'object', required: ['id'] } },
  };

  it('finds the schema of a macOS or Windows installation, the first found winning', async () => {
    const mac = await install('mac', '4D Server.app', requiresDeviceId);
    const windows = await install('windows', '4D Server v20 R8', requiresDeviceId);
    expect(schemaFileOf(mac)).toBe(path.join(mac, 'Contents/Resources/JSONSchemas/mobileSessionSchema.json'));
    expect(schemaFileOf(windows)).toBe(path.join(windows, 'Resources/JSONSchemas/mobileSessionSchema.json'));
    expect(findFourDSessionSchema([path.join(dir, 'nothing here'), windows, mac])).toBe(
      schemaFileOf(windows),
    );
    expect(findFourDSessionSchema([path.join(dir, 'nothing here')])).toBeNull();
  });

  it('judges with it once given, says which schema is in use, and the built-in one stays the fallback', async () => {
    const app = await install('mac', '4D.app', requiresDeviceId);
    const noDeviceId: Record<string, unknown> = { ...sessionJson(), device: { description: 'iPhone' } };
    const notAnEmail = { ...sessionJson(), email: 42 };
    expect(sessionSchemaInUse()).toEqual({ source: 'built-in', file: null });
    expect(codes(noDeviceId)).toEqual([]);
    expect(codes(notAnEmail)).toEqual(['schema:3']);

    expect(useSessionSchema(app)).toEqual({ source: '4d', file: schemaFileOf(app) });
    expect(codes(noDeviceId)).toEqual(['schema:3']);
    expect(codes(notAnEmail)).toEqual([]); // 4D's schema decides, not the built-in reading
    const [problem] = judgeSession(noDeviceId, IOS_FOLDER, (noDeviceId.session as { id: string }).id);
    expect(problem?.message).toContain(`4D's own schema, ${schemaFileOf(app)}`);
    expect(problem?.message).toContain('"device.id" is missing');

    useSessionSchema(null);
    expect(sessionSchemaInUse().source).toBe('built-in');
    expect(codes(noDeviceId)).toEqual([]);
  });

  it('reads a 2020-12 schema too, and refuses a file that is not a usable schema, keeping the one in use', async () => {
    const app = await install('windows', '4D', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { status: { const: 'accepted' } },
    });
    useSessionSchema(app);
    expect(codes(sessionJson({ status: 'pending' }))).toEqual(['schema:3']);
    const broken = path.join(dir, 'broken.json');
    await fs.writeFile(broken, '{"type": ');
    expect(() => useSessionSchema(broken)).toThrow(/is not JSON/);
    expect(() => useSessionSchema(path.join(dir, 'none'))).toThrow(/No mobileSessionSchema\.json/);
    expect(sessionSchemaInUse()).toEqual({ source: '4d', file: schemaFileOf(app) });
  });
});
