/**
 * The 4D Server double's own reading of what MOBILE APP REFRESH SESSIONS checks, written from the
 * format page (../shared/docs/session-format.md, sections 1 to 3) and 4D's documentation, and on
 * purpose not from this app's checks (electron/services/session/): if the app misread 4D's rules,
 * the double would not repeat the mistake, and the tests that compare them would show it.
 *
 * - mobi 2: the file is not a JSON object (a BOM is tolerated: `File.setText` writes one by default);
 * - mobi 3: the JSON does not validate the session schema: 4D's own `mobileSessionSchema.json`
 *   when the double is given it, else this reading of the format page's table;
 * - mobi 1: the file is not where its content says (folder `<team id>.<app id>`, name = session id);
 * - mobi 4: the connection token does not name this app, session and team.
 *
 * 4D's messages are the documented texts of the mobi errors: they do not name the file.
 */
import { Ajv, type ValidateFunction } from 'ajv';

/** The documented texts of the mobi errors (MOBILE APP REFRESH SESSIONS). */
export const MOBI_TEXT: Record<number, string> = {
  1: 'The json file location does not match its content',
  2: 'The json file is not correctly formed',
  3: 'The json file does not validate the json schema',
  4: 'Connection token is not compliant with the current information',
};

const text = { type: 'string' };

/** The format page's table as a JSON Schema: what a session must hold, and the types of what it may. */
export const FORMAT_PAGE_SCHEMA = {
  type: 'object',
  required: ['application', 'email', 'device', 'session', 'status', 'token'],
  properties: {
    application: { type: 'object', required: ['id'], properties: { id: text, name: text, version: text } },
    team: { type: 'object', properties: { id: text, name: text } },
    language: { type: 'object', properties: { id: text, code: text, region: text } },
    email: text,
    device: {
      type: 'object',
      properties: {
        id: text,
        description: text,
        version: text,
        os: text,
        token: text,
        simulator: { type: 'boolean' },
        jb: { type: 'boolean' },
      },
    },
    send: text,
    session: { type: 'object', required: ['id'], properties: { id: text, ip: text } },
    status: { enum: ['accepted', 'pending'] },
    token: text,
    parameters: { type: 'object' },
    userInfo: { type: 'object' },
  },
};

export function compileSessionSchema(schema: object): ValidateFunction {
  return new Ajv({ allErrors: false, strict: false }).compile(schema);
}

const record = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

const stringIn = (json: Record<string, unknown>, outer: string, inner: string): string | null => {
  const value = record(json[outer])?.[inner];
  return typeof value === 'string' ? value : null;
};

function decodeToken(token: string): Record<string, unknown> | null {
  const base64 = token.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  try {
    return record(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
  } catch {
    return null;
  }
}

/**
 * The mobi code a session file fails with, or null when 4D would load it. `bytes` null: the file
 * cannot be read at all (a link, unreadable, oversized): what 4D does then is not documented;
 * the double drops it with mobi 2, a guess.
 */
export function mobiCodeOf(
  folder: string,
  name: string,
  bytes: Buffer | null,
  validate: ValidateFunction,
): number | null {
  if (bytes === null) return 2;
  let json: Record<string, unknown> | null;
  try {
    json = record(JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')));
  } catch {
    json = null;
  }
  if (!json) return 2;

  const appId = stringIn(json, 'application', 'id');
  const sessionId = stringIn(json, 'session', 'id');
  const teamId = stringIn(json, 'team', 'id') ?? '';
  const home = teamId ? `${teamId}.${appId}` : appId;
  if (
    (appId !== null && home?.toLowerCase() !== folder.toLowerCase()) ||
    (sessionId !== null && sessionId.toLowerCase() !== name.toLowerCase())
  ) {
    return 1;
  }
  if (!validate(json)) return 3;
  const claims = typeof json.token === 'string' ? decodeToken(json.token) : null;
  if (
    !claims ||
    claims.appNameID !== appId ||
    claims.id !== sessionId ||
    (typeof claims.teamID === 'string' ? claims.teamID : '') !== teamId
  ) {
    return 4;
  }
  return null;
}
