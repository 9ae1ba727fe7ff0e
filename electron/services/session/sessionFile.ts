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
    ref: `${folder}/${fileName}`,
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
    application: {
      id: sharedString(application.id),
      name: sharedString(application.name),
      version: sharedString(application.version),
    },
    team: { id: sharedString(team.id), name: sharedString(team.name) },
    language: {
      id: sharedString(language.id),
      code: sharedString(language.code),
      region: sharedString(language.region),
    },
    // The file name is the session id in a sound file: one string for both (100,000 fewer copies).
    session: { id: session.id === fileName ? fileName : field(session.id), ip: field(session.ip) },
    firstSeen: firstSeenOf(times),
    modified: new Date(times.mtimeMs).toISOString(),
    problems,
  };
}
