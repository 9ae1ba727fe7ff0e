/**
 * The clean-up rules, as a pure function of the index's summaries: which sessions each rule
 * proposes to remove, and why. docs/cleanup.md says what each rule is based on and what it is not.
 */
import { createHash } from 'node:crypto';
import {
  type CleanupCandidate,
  type CleanupPreview,
  type CleanupReason,
  type CleanupRule,
  type CleanupRules,
  isGuest,
} from '../../../shared/cleanup.js';
import type { SessionSummary } from '../../../shared/session.js';
import { folderOf } from '../../../shared/text.js';

const DAY_MS = 86_400_000;

/** Round thresholds the suggestion picks from, in days. */
const STALE_STEPS = [30, 60, 90, 180, 365] as const;
/** The suggestion proposes at most this share of the sessions as stale. */
const STALE_SHARE = 0.1;

export function ageInDays(modified: string, now: number): number {
  const time = Date.parse(modified);
  return Number.isFinite(time) ? Math.max(0, Math.floor((now - time) / DAY_MS)) : 0;
}

/**
 * The stale threshold the data suggests: the smallest of 30, 60, 90, 180 and 365 days past which at
 * most a tenth of the sessions lie (365 when even that is more), so the default never proposes
 * most of a folder, and follows how old the folder's files are.
 */
export function suggestStaleDays(sessions: readonly SessionSummary[], now: number): number {
  if (sessions.length === 0) return STALE_STEPS[2];
  const ages = sessions.map((s) => ageInDays(s.modified, now));
  for (const step of STALE_STEPS) {
    const older = ages.filter((age) => age >= step).length;
    if (older <= sessions.length * STALE_SHARE) return step;
  }
  return STALE_STEPS[STALE_STEPS.length - 1] as number;
}

/** Newer first: first seen, then last change, then ref (so the order is total). */
function newerFirst(a: SessionSummary, b: SessionSummary): number {
  return (
    b.firstSeen.localeCompare(a.firstSeen) ||
    b.modified.localeCompare(a.modified) ||
    a.ref.localeCompare(b.ref)
  );
}

function deviceKey(session: SessionSummary, sameEmail: boolean): string | null {
  const device = session.device.id?.trim();
  if (!device) return null; // a session that names no device supersedes nothing and is never superseded
  const email = sameEmail ? `\u0000${(session.email ?? '').trim().toLowerCase()}` : '';
  return `${folderOf(session.ref)}\u0000${device}${email}`;
}

/** For each superseded session, the ref of the newest session of its device. */
export function supersededBy(sessions: readonly SessionSummary[], sameEmail = false): Map<string, string> {
  const groups = new Map<string, SessionSummary[]>();
  for (const session of sessions) {
    const key = deviceKey(session, sameEmail);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(session);
    else groups.set(key, [session]);
  }
  const result = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort(newerFirst);
    const newest = group[0] as SessionSummary;
    for (const older of group.slice(1)) result.set(older.ref, newest.ref);
  }
  return result;
}

/** How many older sessions of the same device (same app) this session supersedes. */
export function olderSessionsOf(sessions: readonly SessionSummary[], session: SessionSummary): number {
  const key = deviceKey(session, false);
  if (key === null) return 0;
  return sessions
    .filter((other) => other.ref !== session.ref && deviceKey(other, false) === key)
    .filter((other) => newerFirst(session, other) < 0).length;
}

export function previewCleanup(
  sessions: readonly SessionSummary[],
  rules: CleanupRules,
  now: number = Date.now(),
): CleanupPreview {
  const superseded = rules.superseded ? supersededBy(sessions, rules.sameEmail === true) : new Map();
  const staleDays = rules.staleDays ?? null;
  const candidates: CleanupCandidate[] = [];
  const byRule: Record<CleanupRule, number> = { superseded: 0, stale: 0, simulator: 0, guest: 0 };
  const byApp: Record<string, number> = {};
  let pendingLeftOut = 0;
  for (const session of sessions) {
    const ageDays = ageInDays(session.modified, now);
    const reasons: CleanupReason[] = [];
    const newer = superseded.get(session.ref);
    if (newer) reasons.push({ rule: 'superseded', newer });
    if (staleDays !== null && ageDays >= staleDays) reasons.push({ rule: 'stale', ageDays });
    if (rules.simulators && session.device.simulator) reasons.push({ rule: 'simulator' });
    if (rules.guests && isGuest(session)) reasons.push({ rule: 'guest' });
    if (reasons.length === 0) continue;
    if (session.status === 'pending' && !rules.includePending) {
      pendingLeftOut += 1;
      continue;
    }
    const folder = folderOf(session.ref);
    for (const reason of reasons) byRule[reason.rule] += 1;
    byApp[folder] = (byApp[folder] ?? 0) + 1;
    candidates.push({
      ref: session.ref,
      folder,
      status: session.status,
      device: session.device.description,
      email: session.email,
      modified: session.modified,
      ageDays,
      reasons,
    });
  }
  candidates.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)); // code-unit order: no locale
  return {
    now: new Date(now).toISOString(),
    suggestedStaleDays: suggestStaleDays(sessions, now),
    candidates,
    counts: { total: candidates.length, byRule, byApp, pendingLeftOut },
    token: candidateToken(candidates),
  };
}

/** A short name for a set of candidates (their refs and file times): it changes when either does. */
export function candidateToken(candidates: readonly CleanupCandidate[]): string {
  const hash = createHash('sha256');
  for (const c of candidates) hash.update(`${c.ref}\u0000${c.modified}\n`);
  return hash.digest('hex').slice(0, 32);
}
