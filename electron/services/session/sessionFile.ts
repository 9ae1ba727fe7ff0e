/**
 * One session file, from its bytes to what the app shows: parse (tolerating a BOM, refusing
 * anything that is not UTF-8 JSON), judge as the 4D Server would, summarize.
 */
import type { Problem, SessionStatus, SessionSummary } from '../../../shared/session.js';
import { checkLocation, checkSchema, checkToken, problem } from './sessionChecks.js';

/** A real session is a few KB; anything over this is reported, never read whole. */
export const MAX_SESSION_FILE_BYTES = 1024 * 1024;

const BOM = '\uFEFF';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type ParsedSessionFile =
  | { ok: true; json: Record<string, unknown>; text: string; bom: boolean }
  | { ok: false; problem: Problem };

/** Bytes → JSON object, or the `malformed` problem (mobi 2) saying why not. */
export function parseSessionBytes(bytes: Uint8Array): ParsedSessionFile {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return {
      ok: false,
      problem: problem('malformed', 'The file is not UTF-8 text: the server cannot read it.'),
    };
  }
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: problem('malformed', `The file is not valid JSON (${reason}).`) };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, problem: problem('malformed', 'The file holds JSON, but not a JSON object.') };
  }
  return { ok: true, json: json as Record<string, unknown>, text, bom };
}

/** Every problem the server would find in a parsed session, in the order it checks them. */
export function judgeSession(json: Record<string, unknown>, folder: string, fileName: string): Problem[] {
  return [...checkLocation(json, folder, fileName), ...checkSchema(json), ...checkToken(json)];
}

const field = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * A session's ref, `<folder>/<file>`: one join of the folder's shared `<folder>/` and the file
 * name. A template literal made two joined strings per session (the folder and "/", then the
 * name), 3 MB more at 100,000 sessions (V8 keeps a join as a pair of pointers).
 */
const folderPrefixes = new Map<string, string>();
export function refOf(folder: string, fileName: string): string {
  let prefix = folderPrefixes.get(folder);
  if (prefix === undefined) {
    prefix = `${folder}/`;
    if (folderPrefixes.size < MAX_INTERNED) folderPrefixes.set(folder, prefix);
  }
  return prefix + fileName;
}

/**
 * A session's application, team and language, shared by every session with the same values: the
 * sessions of one app have the same ones, and an object of each per session was 13 MB at 100,000
 * sessions. Found through nested maps by value (null included), so no key is built and no two
 * different values can meet; frozen, so code that would change one session's fails loudly instead
 * of changing them all.
 */
type PartTree = Map<string | null, PartTree | object>;
const MAX_SHARED_PARTS = 20_000;
let sharedParts = 0;
function sharedPart<T extends object>(tree: PartTree, values: readonly (string | null)[], make: () => T): T {
  let node = tree;
  for (let i = 0; i < values.length - 1; i++) {
    let next = node.get(values[i] as string | null) as PartTree | undefined;
    if (!next) {
      next = new Map();
      node.set(values[i] as string | null, next);
    }
    node = next;
  }
  const last = values[values.length - 1] as string | null;
  const known = node.get(last) as T | undefined;
  if (known) return known;
  const part = Object.freeze(make());
  if (sharedParts < MAX_SHARED_PARTS) {
    node.set(last, part);
    sharedParts++;
  }
  return part;
}
const applications: PartTree = new Map();
const teams: PartTree = new Map();
const languages: PartTree = new Map();
export const sharedApplication = (
  id: string | null,
  name: string | null,
  version: string | null,
): SessionSummary['application'] =>
  sharedPart(applications, [id, name, version], () => ({ id, name, version }));
export const sharedTeam = (id: string | null, name: string | null): SessionSummary['team'] =>
  sharedPart(teams, [id, name], () => ({ id, name }));
export const sharedLanguage = (
  id: string | null,
  code: string | null,
  region: string | null,
): SessionSummary['language'] => sharedPart(languages, [id, code, region], () => ({ id, code, region }));

/**
 * The problems of a sound session, shared by all of them: an empty array per session was 3 MB at
 * 100,000 sessions (measured in a heap snapshot). Frozen, so code that would add to it fails
 * loudly instead of giving every session the problem.
 */
export const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];
export const problemsOrNone = (problems: Problem[]): Problem[] =>
  problems.length > 0 ? problems : NO_PROBLEMS;

/**
 * Device models, OS versions, app ids and languages repeat across thousands of sessions: one
 * shared copy of each keeps the index small (JSON.parse makes a new string every time).
 */
const interned = new Map<string, string>();
const MAX_INTERNED = 20_000;
export function sharedString(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < MAX_INTERNED && value.length <= 200) interned.set(value, value);
  return value;
}
const objectAt = (json: Record<string, unknown>, key: string): Record<string, unknown> => {
  const value = json[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
};

export interface FileTimes {
  birthtimeMs: number;
  ctimeMs: number;
  mtimeMs: number;
}

/** The first-seen time: birth time where the file system records it, else change time. */
export function firstSeenOf(times: FileTimes): string {
  return new Date(times.birthtimeMs > 0 ? times.birthtimeMs : times.ctimeMs).toISOString();
}

/**
 * The fields the app lists, read tolerantly (a wrong type shows as null, the schema check says
 * why). Only named fields are copied, so a `password` or a push token never leaves this module.
 */
export function summarizeSession(
  json: Record<string, unknown>,
  folder: string,
  fileName: string,
  times: FileTimes,
  problems: Problem[],
): SessionSummary {
  const application = objectAt(json, 'application');
  const team = objectAt(json, 'team');
  const language = objectAt(json, 'language');
  const device = objectAt(json, 'device');
  const session = objectAt(json, 'session');
  const status =
    json.status === 'accepted' || json.status === 'pending' ? (json.status as SessionStatus) : null;
  return {
    ref: refOf(folder, fileName),
    id: fileName,
    status,
    email: field(json.email),
    device: {
      id: field(device.id),
      description: sharedString(device.description),
      os: sharedString(device.os),
      version: sharedString(device.version),
      simulator: device.simulator === true,
      jailbroken: device.jb === true,
      pushRegistered: typeof device.token === 'string' && device.token.length > 0,
    },
    application: sharedApplication(
      sharedString(application.id),
      sharedString(application.name),
      sharedString(application.version),
    ),
    team: sharedTeam(sharedString(team.id), sharedString(team.name)),
    language: sharedLanguage(
      sharedString(language.id),
      sharedString(language.code),
      sharedString(language.region),
    ),
    // The file name is the session id in a sound file: one string for both (100,000 fewer copies).
    session: { id: session.id === fileName ? fileName : field(session.id), ip: field(session.ip) },
    firstSeen: firstSeenOf(times),
    modified: new Date(times.mtimeMs).toISOString(),
    problems: problemsOrNone(problems),
  };
}
