/** Human-readable output of the CLI: short lines an admin reads in a terminal. */

import type { ChangeReport } from '../../shared/changes.js';
import type { WorkspaceDelta } from '../../shared/deltas.js';
import type { FileProblem, SessionSummary } from '../../shared/session.js';
import { osLabel as osLabelOf, plural } from '../../shared/text.js';
import type { AuditEntry } from '../services/history/auditLog.js';
import type { AppScan } from '../services/live/scanRoot.js';

const osLabel = (session: SessionSummary) => osLabelOf(session, '-');

/** What `--json` prints: one pretty JSON document and a newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function formatApps(apps: AppScan[]): string {
  const lines: string[] = [];
  for (const app of apps) {
    const team = app.teamId ? `, team ${app.teamId}` : '';
    lines.push(
      `${app.name} (${app.folder}) — ${app.platform ?? 'unknown platform'}${team}: ${plural(app.counts.sessions, 'session')}, ` +
        `${app.counts.pending} pending, ${plural(app.counts.problems, 'problem')}`,
    );
    for (const s of app.sessions) {
      const flags = [
        s.device.simulator ? 'simulator' : '',
        s.problems.length ? `problems: ${s.problems.map((p) => p.code).join(',')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(
        `  ${(s.status ?? '?').padEnd(8)}  ${(s.device.description ?? '-').padEnd(26)}  ${osLabel(s).padEnd(22)}  ` +
          `${(s.email || '(guest)').padEnd(28)}  ${s.ref}${flags ? `  [${flags}]` : ''}`,
      );
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : 'No app folders.\n';
}

export function formatProblems(problems: FileProblem[]): string {
  if (problems.length === 0) return 'No problems: the server will load every session.\n';
  const lines = problems.map((p) => `${p.path}: ${p.code}${p.mobi ? ` (mobi ${p.mobi})` : ''}: ${p.message}`);
  return `${lines.join('\n')}\n${plural(problems.length, 'problem')}.\n`;
}

export function formatReport(report: ChangeReport): string {
  const lines = report.results.map((r) => {
    switch (r.outcome) {
      case 'changed':
        return `${r.ref}: ${r.statusBefore} → ${r.statusAfter}`;
      case 'unchanged':
        return r.error
          ? `${r.ref}: ${r.error.message}`
          : `${r.ref}: already ${r.statusAfter}, nothing written`;
      case 'deleted':
        return `${r.ref}: deleted (undo restores it)`;
      case 'restored':
        return `${r.ref}: restored${r.statusAfter ? ` (${r.statusAfter})` : ''}`;
      case 'failed':
        return `${r.ref}: not changed: ${r.error?.message ?? 'unknown error'}`;
    }
    return '';
  });
  return `${lines.join('\n')}\n`;
}

/** One line of `log`. */
export function formatLogEntry(e: AuditEntry): string {
  const what =
    e.action === 'set-status'
      ? `${e.statusBefore} → ${e.statusAfter}`
      : e.action === 'delete'
        ? e.permanent
          ? 'deleted permanently'
          : 'moved to the trash'
        : e.ok
          ? 'undone'
          : `undo refused: ${e.reason}`;
  const recovered = e.recovered ? '  (recorded after an interruption)' : '';
  return `${e.time}  ${e.user.padEnd(12)}  ${e.action.padEnd(10)}  ${e.ref}  ${what}${recovered}\n`;
}

/** One delta as one JSON object: its own fields, plus the session's status and problems at top level. */
export function deltaToJson(delta: WorkspaceDelta): Record<string, unknown> {
  if (delta.type === 'session-added' || delta.type === 'session-changed') {
    return { ...delta, status: delta.session.status, problems: delta.session.problems };
  }
  return { ...delta };
}

export function formatDelta(delta: WorkspaceDelta): string | null {
  switch (delta.type) {
    case 'session-added':
    case 'session-changed': {
      const s = delta.session;
      const mark = delta.type === 'session-added' ? '+' : '~';
      const problems = s.problems.length ? `  [problems: ${s.problems.map((p) => p.code).join(',')}]` : '';
      return `${mark} ${delta.ref}  ${s.status ?? '?'}  ${s.device.description ?? '-'}  ${s.email || '(guest)'}${problems}`;
    }
    case 'session-removed':
      return `- ${delta.ref}`;
    case 'problems-changed':
      return delta.problems.length
        ? delta.problems.map((p) => `! ${delta.path}: ${p.code}: ${p.message}`).join('\n')
        : `✓ ${delta.path}: no longer a problem`;
    case 'app-added':
      return `+ app ${delta.folder} (${delta.app.name})`;
    case 'app-removed':
      return `- app ${delta.folder}`;
    case 'app-changed':
      return null; // counts: the session lines say it
    case 'watcher-state':
      return `[${delta.state}] ${delta.message}`;
    case 'scan-progress':
      return null;
  }
  return null;
}
