/**
 * What `cleanup` does (its options are in cleanupCommand.ts): a preview of what the rules
 * propose, and with `--yes` the clean-up of exactly that preview. Loaded only when it runs.
 */
import { type ChangeReport, reportFailed } from '../../shared/changes.js';
import {
  CLEANUP_RULES,
  type CleanupCandidate,
  type CleanupPreview,
  type CleanupRules,
  RULE_LABELS,
  reasonText,
  STALE_AGE_BASIS,
} from '../../shared/cleanup.js';
import { AppError } from '../../shared/errors.js';
import { plural } from '../../shared/text.js';
import { withFolder } from './engine.js';
import { EXIT, UsageError } from './exitCodes.js';
import { formatReport, json, shellArgument } from './format.js';
import type { CommandContext } from './lazyAction.js';

export interface CleanupOptions {
  app?: string;
  superseded?: boolean;
  sameEmail?: boolean;
  staleDays?: number;
  simulators?: boolean;
  guests?: boolean;
  includePending?: boolean;
  permanent?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** The contract's rules for the options; a usage error when they choose none or contradict. */
export function rulesOfOptions(options: CleanupOptions): CleanupRules {
  if (options.sameEmail && !options.superseded)
    throw new UsageError('--same-email narrows --superseded: give both.');
  if (options.dryRun && options.yes)
    throw new UsageError('--dry-run previews and --yes acts: give one of them.');
  const rules: CleanupRules = {
    superseded: options.superseded === true,
    sameEmail: options.sameEmail === true,
    staleDays: options.staleDays ?? null,
    simulators: options.simulators === true,
    guests: options.guests === true,
    includePending: options.includePending === true,
  };
  if (!rules.superseded && rules.staleDays === null && !rules.simulators && !rules.guests) {
    throw new UsageError(
      'Choose at least one rule: --superseded, --stale-days <n>, --simulators, --guests (a dry run says what they propose).',
    );
  }
  return rules;
}

function candidateLine(c: CleanupCandidate): string {
  return (
    `  ${(c.status ?? '?').padEnd(8)}  ${(c.device ?? '-').padEnd(26)}  ${(c.email || '(guest)').padEnd(28)}  ` +
    `${plural(c.ageDays, 'day').padStart(9)}  ${c.ref}  ${c.reasons.map(reasonText).join('; ')}\n`
  );
}

/** What a preview proposes, for people: counts per rule and app, then each candidate. */
export function formatPreview(preview: CleanupPreview, rules: CleanupRules): string {
  const lines: string[] = [];
  const chosen = CLEANUP_RULES.filter((rule) =>
    rule === 'superseded'
      ? rules.superseded
      : rule === 'stale'
        ? rules.staleDays != null
        : rule === 'simulator'
          ? rules.simulators
          : rules.guests,
  );
  lines.push(`${plural(preview.counts.total, 'session')} proposed for removal.`);
  for (const rule of chosen) {
    const detail =
      rule === 'stale'
        ? ` (unchanged for ${rules.staleDays} days or more)`
        : rule === 'superseded' && rules.sameEmail
          ? ' (same device and e-mail)'
          : '';
    lines.push(
      `  ${RULE_LABELS[rule].padEnd(11)} ${String(preview.counts.byRule[rule]).padStart(6)}${detail}`,
    );
  }
  for (const [folder, count] of Object.entries(preview.counts.byApp))
    lines.push(`  app ${folder}: ${plural(count, 'session')}`);
  if (preview.counts.pendingLeftOut > 0) {
    lines.push(
      `  ${plural(preview.counts.pendingLeftOut, 'pending session')} left out (--include-pending proposes ${preview.counts.pendingLeftOut === 1 ? 'it' : 'them'}).`,
    );
  }
  lines.push(`Suggested stale threshold for this folder: ${preview.suggestedStaleDays} days (--stale-days).`);
  if (rules.staleDays != null) lines.push(STALE_AGE_BASIS);
  return `${lines.join('\n')}\n${preview.candidates.map(candidateLine).join('')}`;
}

export async function cleanup(
  { io, setExit }: CommandContext,
  root: string,
  options: CleanupOptions,
): Promise<void> {
  const rules = rulesOfOptions(options);
  await withFolder(io, root, async (engine, state) => {
    const folder = options.app ?? null;
    if (folder !== null && !(await engine.request('listApps', {})).some((app) => app.folder === folder))
      throw new AppError('unknown-ref', `No app folder "${folder}" in ${state.root}.`);
    const preview = await engine.request('previewCleanup', { folder, rules });
    let report: ChangeReport | null = null;
    if (options.yes && preview.candidates.length > 0) {
      report = await engine.request('cleanup', {
        folder,
        rules,
        token: preview.token,
        permanent: options.permanent === true,
      });
    }
    if (options.json) io.stdout(json({ preview, report }));
    else {
      io.stdout(formatPreview(preview, rules));
      if (!options.yes) {
        io.stdout(
          preview.candidates.length > 0
            ? `Dry run: nothing was removed. Add --yes to move ${plural(preview.candidates.length, 'session')} to the trash.\n`
            : 'Nothing to remove.\n',
        );
      } else if (report) {
        const { results, errors } = formatReport(report, { permanent: options.permanent === true });
        io.stdout(results);
        if (errors) io.stderr(errors);
        const removed = report.results.filter((r) => r.outcome === 'deleted').length;
        io.stdout(
          `${plural(removed, 'session')} ${options.permanent ? 'deleted' : 'moved to the trash'} in one change; ` +
            `"mobile-sessions undo ${shellArgument(state.root ?? root)}" puts ${removed === 1 ? 'it' : 'them'} back. ` +
            'Push tells the 4D Server.\n',
        );
      } else io.stdout('Nothing to remove.\n');
    }
    if (report && reportFailed(report)) setExit(EXIT.failure);
  });
}
