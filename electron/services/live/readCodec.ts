/**
 * A batch of file reads as a scan worker sends it to the main thread: one table of distinct
 * strings and one Float64Array (transferred, not copied) of fixed-width records. Cloning the
 * plain summary objects instead cost about 1 s of the main thread per 100,000 sessions
 * (measured); this costs a tenth of that, and a device model or an app id crosses once per batch.
 *
 * The file names are not sent: the receiver knows which names it asked for, in order.
 */
import type { FileProblem, Problem, SessionStatus, SessionSummary } from '../../../shared/session.js';
import {
  NO_PROBLEMS,
  refOf,
  sharedApplication,
  sharedLanguage,
  sharedString,
  sharedTeam,
} from '../session/sessionFile.js';
import type { FileStamp, SessionFileRead } from '../session/sessionReader.js';

export interface EncodedReads {
  /**
   * The distinct strings of the batch as one JSON array: one string crosses faster than
   * thousands, and `JSON.parse` gives each value a string of its own. Cutting them out of one
   * long string with `slice` instead made V8 sliced strings, each keeping the whole batch's text
   * alive for as long as the index holds any of them (session ids and problems included), about
   * 6 MB more at 100,000 sessions (measured in a heap snapshot).
   */
  strings: string;
  numbers: Float64Array;
}

const ABSENT = 0;
const SESSION = 1;
const BROKEN = 2;
const NONE = -1;

/** kind, ino, size, mtimeMs, ctimeMs, then string indexes (or NONE) and the device flags. */
const WIDTH = 25;

/** Where each field sits in a record. */
const F = {
  Kind: 0,
  Ino: 1,
  Size: 2,
  Mtime: 3,
  Ctime: 4,
  Status: 5,
  Email: 6,
  DeviceId: 7,
  Description: 8,
  Os: 9,
  OsVersion: 10,
  Flags: 11,
  AppId: 12,
  AppName: 13,
  AppVersion: 14,
  TeamId: 15,
  TeamName: 16,
  LanguageId: 17,
  LanguageCode: 18,
  LanguageRegion: 19,
  SessionId: 20,
  Ip: 21,
  FirstSeen: 22,
  Modified: 23,
  /** The problems (session) or the problem (broken file), as JSON: rare. */
  Problems: 24,
} as const;
type Field = (typeof F)[keyof typeof F];

export function encodeReads(reads: readonly SessionFileRead[]): EncodedReads {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const s = (value: string | null): number => {
    if (value === null) return NONE;
    let id = ids.get(value);
    if (id === undefined) {
      id = strings.push(value) - 1;
      ids.set(value, id);
    }
    return id;
  };
  const numbers = new Float64Array(reads.length * WIDTH).fill(NONE);
  reads.forEach((read, i) => {
    const o = i * WIDTH;
    const stamp = (st: FileStamp | null) => {
      if (!st) return;
      numbers[o + F.Ino] = st.ino;
      numbers[o + F.Size] = st.size;
      numbers[o + F.Mtime] = st.mtimeMs;
      numbers[o + F.Ctime] = st.ctimeMs;
    };
    if (read.kind === 'absent') {
      numbers[o + F.Kind] = ABSENT;
    } else if (read.kind === 'broken') {
      numbers[o + F.Kind] = BROKEN;
      stamp(read.stamp);
      numbers[o + F.Problems] = s(JSON.stringify(read.problem));
    } else {
      const x = read.summary;
      const d = x.device;
      numbers[o + F.Kind] = SESSION;
      stamp(read.stamp);
      numbers[o + F.Status] = s(x.status);
      numbers[o + F.Email] = s(x.email);
      numbers[o + F.DeviceId] = s(d.id);
      numbers[o + F.Description] = s(d.description);
      numbers[o + F.Os] = s(d.os);
      numbers[o + F.OsVersion] = s(d.version);
      numbers[o + F.Flags] = (d.simulator ? 1 : 0) | (d.jailbroken ? 2 : 0) | (d.pushRegistered ? 4 : 0);
      numbers[o + F.AppId] = s(x.application.id);
      numbers[o + F.AppName] = s(x.application.name);
      numbers[o + F.AppVersion] = s(x.application.version);
      numbers[o + F.TeamId] = s(x.team.id);
      numbers[o + F.TeamName] = s(x.team.name);
      numbers[o + F.LanguageId] = s(x.language.id);
      numbers[o + F.LanguageCode] = s(x.language.code);
      numbers[o + F.LanguageRegion] = s(x.language.region);
      numbers[o + F.SessionId] = s(x.session.id);
      numbers[o + F.Ip] = s(x.session.ip);
      numbers[o + F.FirstSeen] = s(x.firstSeen);
      numbers[o + F.Modified] = s(x.modified);
      numbers[o + F.Problems] = x.problems.length > 0 ? s(JSON.stringify(x.problems)) : NONE;
    }
  });
  return { strings: JSON.stringify(strings), numbers };
}

/** The reads of `names` in `folder`, as `encodeReads` sent them. */
export function decodeReads(
  folder: string,
  names: readonly string[],
  encoded: EncodedReads,
): SessionFileRead[] {
  const { numbers } = encoded;
  const strings = JSON.parse(encoded.strings) as string[];
  if (numbers.length !== names.length * WIDTH) {
    throw new Error(`a batch of ${numbers.length / WIDTH} reads for ${names.length} names`);
  }
  const str = (index: number): string | null => (index === NONE ? null : (strings[index] as string));
  // The values that repeat across sessions (models, versions, app ids) share one copy in the
  // index, as a fresh read's do.
  const shr = (index: number): string | null => (index === NONE ? null : sharedString(strings[index]));
  const reads: SessionFileRead[] = [];
  for (let i = 0; i < names.length; i++) {
    const o = i * WIDTH;
    const n = (field: Field) => numbers[o + field] as number;
    const stamp: FileStamp | null =
      n(F.Ino) === NONE ? null : { ino: n(F.Ino), size: n(F.Size), mtimeMs: n(F.Mtime), ctimeMs: n(F.Ctime) };
    const kind = n(F.Kind);
    if (kind === ABSENT) {
      reads.push({ kind: 'absent' });
      continue;
    }
    if (kind === BROKEN) {
      reads.push({ kind: 'broken', problem: JSON.parse(str(n(F.Problems)) as string) as FileProblem, stamp });
      continue;
    }
    const id = names[i] as string;
    const flags = n(F.Flags);
    const problems =
      n(F.Problems) === NONE ? NO_PROBLEMS : (JSON.parse(str(n(F.Problems)) as string) as Problem[]);
    const sessionId = str(n(F.SessionId));
    const summary: SessionSummary = {
      ref: refOf(folder, id),
      id,
      status: str(n(F.Status)) as SessionStatus | null,
      email: str(n(F.Email)),
      device: {
        id: str(n(F.DeviceId)),
        description: shr(n(F.Description)),
        os: shr(n(F.Os)),
        version: shr(n(F.OsVersion)),
        simulator: (flags & 1) !== 0,
        jailbroken: (flags & 2) !== 0,
        pushRegistered: (flags & 4) !== 0,
      },
      application: sharedApplication(shr(n(F.AppId)), shr(n(F.AppName)), shr(n(F.AppVersion))),
      team: sharedTeam(shr(n(F.TeamId)), shr(n(F.TeamName))),
      language: sharedLanguage(shr(n(F.LanguageId)), shr(n(F.LanguageCode)), shr(n(F.LanguageRegion))),
      // The file name is the session id in a sound file: one string for both.
      session: { id: sessionId === id ? id : sessionId, ip: str(n(F.Ip)) },
      firstSeen: str(n(F.FirstSeen)) as string,
      modified: str(n(F.Modified)) as string,
      problems,
    };
    reads.push({ kind: 'session', summary, stamp: stamp as FileStamp });
  }
  return reads;
}
