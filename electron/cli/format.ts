/** Human-readable output of the CLI: short lines an admin reads in a terminal. */

import type { ChangeReport } from '../../shared/changes.js';
import type { WorkspaceDelta } from '../../shared/deltas.js';
import type { AuditEntry } from '../../shared/history.js';
import type { AppSummary, FileProblem, SessionSummary } from '../../shared/session.js';
import { osLabel as osLabelOf, plural } from '../../shared/text.js';
import { terminalField as field } from './terminalText.js';

const osLabel = (session: SessionSummary) => osLabelOf(session, '-');

/** A path as a shell argument: as is when safe, else single-quoted (for commands the CLI suggests). */
export const shellArgument = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

/** What `--json` prints: one pretty JSON document and a newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** An app's line in `list`: name, folder, platform, team and counts. */
export function formatAppLine(app: AppSummary): string {
  const team = app.teamId ? `, team ${app.teamId}` : '';
  return (
    `${field(app.name)} (${field(app.folder)}) — ${app.platform ?? 'unknown platform'}${team}: ${plural(app.counts.sessions, 'session')}, ` +
    `${app.counts.pending} pending, ${plural(app.counts.problems, 'problem')}\n`
  );
}

/** A session's line in `list`, under its app's. */
export function formatSessionLine(s: SessionSummary): string {
  const flags = [
    s.device.simulator ? 'simulator' : '',
    s.problems.length ? `problems: ${s.problems.map((p) => p.code).join(',')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return (
    `  ${field(s.status ?? '?').padEnd(8)}  ${field(s.device.description ?? '-').padEnd(26)}  ${field(osLabel(s)).padEnd(22)}  ` +
    `${field(s.email || '(guest)').padEnd(28)}  ${s.ref}${flags ? `  [${flags}]` : ''}\n`
  );
}

export const NO_APP_FOLDERS = 'No app folders.\n';

export function formatProblems(problems: FileProblem[]): string {
  if (problems.length === 0) return 'No problems: the server will load every session.\n';
  const lines = problems.map((p) => `${p.path}: ${p.code}${p.mobi ? ` (mobi ${p.mobi})` : ''}: ${p.message}`);
  return `${lines.join('\n')}\n${plural(problems.length, 'problem')}.\n`;
}

/**
 * A change's report in words, split by where it goes: what happened on stdout, what could not be
 * done (unknown, `../`, empty references; failed writes) on stderr.
 */
export function formatReport(
  report: ChangeReport,
  options: { permanent?: boolean } = {},
): { results: string; errors: string } {
  const results: string[] = [];
  const errors: string[] = [];
  for (const r of report.results) {
    switch (r.outcome) {
      case 'changed':
        results.push(`${r.ref}: ${r.statusBefore} → ${r.statusAfter}`);
        break;
      case 'unchanged':
        if (r.error) errors.push(`${field(r.ref)}: ${r.error.message}`);
        else results.push(`${r.ref}: already ${r.statusAfter}, nothing written`);
        break;
      case 'deleted':
        results.push(
          options.permanent
            ? `${r.ref}: deleted permanently (undo restores it from the app's copy)`
            : `${r.ref}: moved to the trash (undo restores it)`,
        );
        break;
      case 'restored':
        results.push(`${r.ref}: restored${r.statusAfter ? ` (${r.statusAfter})` : ''}`);
        break;
      case 'failed':
        errors.push(`${field(r.ref)}: not changed: ${r.error?.message ?? 'unknown error'}`);
        break;
    }
  }
  const text = (lines: string[]) => (lines.length ? `${lines.join('\n')}\n` : '');
  return { results: text(results), errors: text(errors) };
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
      return `${mark} ${delta.ref}  ${field(s.status ?? '?')}  ${field(s.device.description ?? '-')}  ${field(s.email || '(guest)')}${problems}`;
    }
    case 'session-removed':
      return `- ${delta.ref}`;
    case 'problems-changed':
      return delta.problems.length
        ? delta.problems.map((p) => `! ${delta.path}: ${p.code}: ${p.message}`).join('\n')
        : `✓ ${delta.path}: no longer a problem`;
    case 'app-added':
      return `+ app ${field(delta.folder)} (${field(delta.app.name)})`;
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
