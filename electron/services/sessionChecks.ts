/**
 * The checks MOBILE APP REFRESH SESSIONS makes when it reloads a session file (format page,
 * section 3), reproduced so the admin sees a broken file before the server drops it.
 * 4D's schema and the location rule are not public: these are tolerant readings of them.
 */
import { z } from 'zod';
import { MOBI_CODE, type Problem, type ProblemCode } from '../../shared/session.js';

const optionalString = z.string().optional();
const optionalObject = z.record(z.string(), z.unknown()).optional();

/** Required fields, and the types of the optional ones when they are present. Unknown keys are normal. */
const sessionSchema = z.looseObject({
  application: z.looseObject({ id: z.string(), name: optionalString, version: optionalString }),
  team: z.looseObject({ id: optionalString, name: optionalString }).optional(),
  language: z.looseObject({ id: optionalString, code: optionalString, region: optionalString }).optional(),
  email: z.string(),
  device: z.looseObject({
    id: optionalString,
    description: optionalString,
    version: optionalString,
    os: optionalString,
    simulator: z.boolean().optional(),
    token: optionalString,
    jb: z.boolean().optional(),
  }),
  send: optionalString,
  session: z.looseObject({ id: z.string(), ip: optionalString }),
  status: z.enum(['accepted', 'pending']),
  token: z.string(),
  parameters: optionalObject,
  userInfo: optionalObject,
});

export function problem(code: ProblemCode, message: string): Problem {
  return { code, mobi: MOBI_CODE[code], message };
}

function describeIssue(issue: z.core.$ZodIssue, json: Record<string, unknown>): string {
  const field = issue.path.join('.');
  const present = issue.path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    json,
  );
  if (present === undefined) return `"${field}" is missing`;
  if (field === 'status') return `"status" is ${JSON.stringify(present)}, not "accepted" or "pending"`;
  const expected = 'expected' in issue ? String(issue.expected) : 'another type';
  return `"${field}" should be ${expected === 'record' ? 'an object' : `a ${expected}`}, not ${typeName(present)}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function checkSchema(json: Record<string, unknown>): Problem[] {
  const result = sessionSchema.safeParse(json);
  if (result.success) return [];
  const details = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, json));
  return [problem('schema', `The server will reject this session: ${details.join('; ')}.`)];
}

function stringAt(json: Record<string, unknown>, ...path: string[]): string | null {
  let value: unknown = json;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' ? value : null;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * mobi 1: the folder must be `<team id>.<application id>` (the application id alone without a
 * team) and the file name must be the session id. Compared case-insensitively, as on the
 * case-insensitive file systems 4D Servers usually run on.
 */
export function checkLocation(json: Record<string, unknown>, folder: string, fileName: string): Problem[] {
  const appId = stringAt(json, 'application', 'id');
  const sessionId = stringAt(json, 'session', 'id');
  const teamId = stringAt(json, 'team', 'id') || null;
  const problems: Problem[] = [];
  if (appId !== null) {
    const expectedFolder = teamId ? `${teamId}.${appId}` : appId;
    if (!sameName(expectedFolder, folder)) {
      problems.push(problem('location', `The file belongs in folder "${expectedFolder}", not "${folder}".`));
    }
  }
  if (sessionId !== null && !sameName(sessionId, fileName)) {
    problems.push(problem('location', `The file is named "${fileName}" but holds session "${sessionId}".`));
  }
  return problems;
}

/** Decodes standard or URL-safe base64, with or without padding; null when it is not base64. */
function decodeBase64(text: string): string | null {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard)) return null;
  return Buffer.from(standard, 'base64').toString('utf8');
}

/** mobi 4: the connection token must name this app, this session and this team. */
/**
 * The token exactly as 4D writes it (base64 of the compact JSON claims, padding dropped): when a
 * file's token is that string, there is nothing to decode. A fifth of the scan's time went to
 * decoding tokens that matched.
 */
function canonicalToken(json: Record<string, unknown>): string | null {
  const appNameID = stringAt(json, 'application', 'id');
  const id = stringAt(json, 'session', 'id');
  if (appNameID === null || id === null) return null;
  const teamID = stringAt(json, 'team', 'id') ?? '';
  return Buffer.from(JSON.stringify({ appNameID, id, teamID })).toString('base64').replace(/=+$/, '');
}

export function checkToken(json: Record<string, unknown>): Problem[] {
  const token = json.token;
  if (typeof token !== 'string') return []; // already a schema problem
  if (token.replace(/=+$/, '') === canonicalToken(json)) return [];
  const decoded = decodeBase64(token);
  let claims: unknown;
  try {
    claims = decoded === null ? null : JSON.parse(decoded);
  } catch {
    claims = null;
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    return [problem('token', 'The connection token cannot be decoded: the server will refuse this session.')];
  }
  const claimed = claims as Record<string, unknown>;
  const expected: [string, string | null][] = [
    ['appNameID', stringAt(json, 'application', 'id')],
    ['id', stringAt(json, 'session', 'id')],
    ['teamID', stringAt(json, 'team', 'id') ?? ''],
  ];
  const mismatches = expected
    .filter(([key, value]) => value !== null && (claimed[key] ?? '') !== value)
    .map(
      ([key, value]) => `${key} is ${JSON.stringify(claimed[key] ?? '')}, expected ${JSON.stringify(value)}`,
    );
  if (mismatches.length === 0) return [];
  return [problem('token', `The connection token does not match the session: ${mismatches.join('; ')}.`)];
}
