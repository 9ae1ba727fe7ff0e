/**
 * The checks MOBILE APP REFRESH SESSIONS makes when it reloads a session file (format page,
 * section 3), reproduced so the admin sees a broken file before the server drops it.
 * The location rule is not public: a tolerant reading of it. The schema is 4D's own
 * `mobileSessionSchema.json` when a 4D installation is found or given (`useSessionSchema`),
 * else the built-in reading of the format page (sessionSchema.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { MOBI_CODE, type Problem, type ProblemCode } from '../../../shared/session.js';
import { validateBuiltIn } from './builtInValidator.js';

/**
 * The built-in schema (sessionSchema.ts) is a JSON Schema compiled by Ajv: the check runs for
 * every file of every scan, and Ajv's generated code is about ten times faster than Zod here
 * (12 ms against 144 ms for 100,000 sessions, measured), which is a tenth of a cold scan. The
 * builds precompile it (builtInValidator.ts); Ajv itself loads only for 4D's own schema.
 */
const builtInValidator = validateBuiltIn;

/** Ajv, loaded when 4D's schema is to be compiled, not when this module loads. */
const requireAtRunTime = createRequire(import.meta.url);

function compileFourDSchema(body: Record<string, unknown>, dialect: unknown): ValidateFunction {
  const options: Options = { allErrors: true, strict: false, validateSchema: false };
  if (/2020-12/.test(String(dialect ?? ''))) {
    const { Ajv2020 } = requireAtRunTime('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    return new Ajv2020(options).compile(body);
  }
  const { Ajv } = requireAtRunTime('ajv') as typeof import('ajv');
  return new Ajv(options).compile(body);
}

/** Which schema judges sessions: the built-in reading, or 4D's own file. */
export interface SessionSchemaInUse {
  source: 'built-in' | '4d';
  /** The schema file, when it is 4D's. */
  file: string | null;
}

let validateSession: ValidateFunction = builtInValidator;
let schemaInUse: SessionSchemaInUse = { source: 'built-in', file: null };

export const sessionSchemaInUse = (): SessionSchemaInUse => ({ ...schemaInUse });

/** Where a 4D installation keeps the schema, under its application folder. */
const SCHEMA_IN_APP = {
  darwin: path.join('Contents', 'Resources', 'JSONSchemas', 'mobileSessionSchema.json'),
  win32: path.join('Resources', 'JSONSchemas', 'mobileSessionSchema.json'),
};

/**
 * The schema file of a 4D installation given as the file itself, as a macOS application bundle
 * (`4D Server.app`) or as a Windows installation folder; null when there is none there.
 */
export function schemaFileOf(given: string): string | null {
  const candidates = [given, path.join(given, SCHEMA_IN_APP.darwin), path.join(given, SCHEMA_IN_APP.win32)];
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: the next form
    }
  }
  return null;
}

/** Where 4D is installed by default: `/Applications` (macOS), `Program Files\4D` (Windows). */
export function standardFourDFolders(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const children = (dir: string, keep: (name: string) => boolean): string[] => {
    try {
      return readdirSync(dir)
        .filter(keep)
        .sort()
        .reverse() // the newest version first: "4D v21" before "4D v20 R8"
        .map((name) => path.join(dir, name));
    } catch {
      return [];
    }
  };
  if (platform === 'darwin') {
    const apps = children('/Applications', (name) => /^4D.*\.app$/i.test(name));
    const versioned = children(
      '/Applications',
      (name) => /^4D\b/i.test(name) && !name.endsWith('.app'),
    ).flatMap((dir) => children(dir, (name) => /^4D.*\.app$/i.test(name)));
    return [...apps, ...versioned];
  }
  if (platform === 'win32') {
    const programFiles = [env.ProgramFiles, env['ProgramFiles(x86)']].filter((dir): dir is string =>
      Boolean(dir),
    );
    return programFiles.flatMap((dir) => children(path.join(dir, '4D'), (name) => /^4D/i.test(name)));
  }
  return [];
}

/** The schema of the first 4D installation found among `folders` (default: the standard places), or null. */
export function findFourDSessionSchema(folders: string[] = standardFourDFolders()): string | null {
  for (const folder of folders) {
    const file = schemaFileOf(folder);
    if (file) return file;
  }
  return null;
}

/**
 * Judges sessions with 4D's schema file from now on (null: the built-in reading again), and says
 * which is in use. A file that cannot be read or compiled is refused with the reason, and the
 * schema in use does not change. 4D's JSON Validate speaks draft 4 and, since 21 R2, 2020-12.
 */
export function useSessionSchema(given: string | null): SessionSchemaInUse {
  if (given === null) {
    validateSession = builtInValidator;
    schemaInUse = { source: 'built-in', file: null };
    return sessionSchemaInUse();
  }
  const file = schemaFileOf(given);
  if (!file || !existsSync(file)) {
    throw new Error(`No mobileSessionSchema.json at ${given} (give the file, or a 4D application folder).`);
  }
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const { $schema: dialect, ...body } = schema;
  try {
    validateSession = compileFourDSchema(body, dialect);
  } catch (error) {
    throw new Error(
      `${file} is not a JSON Schema this app can use: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  schemaInUse = { source: '4d', file };
  return sessionSchemaInUse();
}

export function problem(code: ProblemCode, message: string): Problem {
  return { code, mobi: MOBI_CODE[code], message };
}

function valueAt(json: Record<string, unknown>, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      json,
    );
}

function describeError(error: ErrorObject, json: Record<string, unknown>): string {
  const path = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') {
    return `"${[...path, String(error.params.missingProperty)].join('.')}" is missing`;
  }
  const field = path.join('.');
  const present = valueAt(json, error.instancePath);
  if (field === 'status' && error.keyword === 'enum')
    return `"status" is ${JSON.stringify(present)}, not "accepted" or "pending"`;
  if (error.keyword !== 'type')
    return `"${field || '(the session)'}" ${error.message ?? 'does not validate'}`;
  const expected = String(error.params.type ?? 'another type');
  return `"${field}" should be ${expected === 'object' ? 'an object' : `a ${expected}`}, not ${typeName(present)}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function checkSchema(json: Record<string, unknown>): Problem[] {
  if (validateSession(json)) return [];
  const details = (validateSession.errors ?? []).slice(0, 5).map((error) => describeError(error, json));
  const judge = schemaInUse.source === '4d' ? ` (4D's own schema, ${schemaInUse.file})` : '';
  return [problem('schema', `The server will reject this session${judge}: ${details.join('; ')}.`)];
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
