/**
 * What `list`, `check`, `accept`, `pend`, `delete`, `undo` and `log` do (their options are in
 * folderCommands.ts): each opens the folder, sends contract requests, and words the answers.
 * Loaded only when one of them runs.
 */
import { type ChangeReport, reportFailed } from '../../shared/changes.js';
import {
  MAX_REFS_PER_REQUEST,
  MAX_ROWS_PER_QUERY,
  type SessionFilter,
  type SessionSummary,
} from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import { type HistoryCursor, type HistoryPage, MAX_HISTORY_PAGE } from '../../shared/history.js';
import type { SessionStatus } from '../../shared/session.js';
import { plural } from '../../shared/text.js';
import { type CliEngine, withFolder } from './engine.js';
import { EXIT, UsageError } from './exitCodes.js';
import {
  formatAppLine,
  formatLogEntry,
  formatProblems,
  formatReport,
  formatSessionLine,
  json,
  NO_APP_FOLDERS,
} from './format.js';
import type { CommandContext } from './lazyAction.js';

/** The history, and changes to named sessions, read the disk: the index is not waited for. */
const INDEX_UNUSED = { indexUnused: true } as const;
/** Named sessions are read from the disk; a --matching selection reads the index. */
const openFor = (selection: Selection) => ('refs' in selection ? INDEX_UNUSED : {});

/**
 * Every session matching `filter`, a page of the contract's size at a time, in reference order.
 * The folder stays watched meanwhile: a session added or removed between two pages may shift
 * the pages around it, as it would in the window's table.
 */
async function* sessionPages(engine: CliEngine, filter: SessionFilter): AsyncGenerator<SessionSummary[]> {
  const sorted = { ...filter, sort: { key: 'app', direction: 'asc' } } as const;
  for (let offset = 0; ; offset += MAX_ROWS_PER_QUERY) {
    const page = await engine.request('querySessions', { filter: sorted, offset, limit: MAX_ROWS_PER_QUERY });
    if (page.rows.length > 0) yield page.rows;
    if (page.rows.length < MAX_ROWS_PER_QUERY || offset + page.rows.length >= page.matching) return;
  }
}

export interface SelectionOptions {
  matching?: boolean;
  app?: string;
  status?: SessionStatus;
  search?: string;
}

type Selection = { refs: string[] } | { filter: SessionFilter };

/**
 * The sessions a change is about: named (at most the contract's limit), or selected by a filter
 * with --matching. Over the limit the command is refused rather than split: one command is one
 * change with one batch id, which one undo reverses; split, `undo` would reverse only its last part.
 */
function selectionOf(refs: string[], options: SelectionOptions): Selection {
  const filtered = options.app !== undefined || options.status !== undefined || options.search !== undefined;
  if (options.matching) {
    if (refs.length > 0) throw new UsageError('Name sessions or select them with --matching, not both.');
    return {
      filter: { folder: options.app ?? null, status: options.status ?? null, search: options.search ?? '' },
    };
  }
  if (filtered)
    throw new UsageError('--app, --status and --search select sessions together with --matching.');
  if (refs.length === 0) {
    throw new UsageError(
      'Name at least one session (<app folder>/<session id>), or select them with --matching.',
    );
  }
  if (refs.length > MAX_REFS_PER_REQUEST) {
    throw new UsageError(
      `${refs.length.toLocaleString('en-US')} sessions named: at most ${MAX_REFS_PER_REQUEST.toLocaleString('en-US')} per command, ` +
        'so that one command stays one change that one undo reverses. Select them with --matching ' +
        '(--app, --status, --search; any number, one change), or name them over several commands.',
    );
  }
  return { refs };
}

function printReport(
  { io, setExit }: CommandContext,
  report: ChangeReport,
  asJson: boolean,
  permanent = false,
) {
  if (asJson) io.stdout(json(report));
  else if (report.results.length === 0) io.stdout('No session matches: nothing changed.\n');
  else {
    // Results on stdout, what could not be done on stderr: a script reading stdout gets results only.
    const { results, errors } = formatReport(report, { permanent });
    if (results) io.stdout(results);
    if (errors) io.stderr(errors);
  }
  if (reportFailed(report)) setExit(EXIT.failure);
}

export interface ListOptions {
  app?: string;
  status?: SessionStatus;
  json?: boolean;
}

export async function list({ io }: CommandContext, root: string, options: ListOptions): Promise<void> {
  await withFolder(io, root, async (engine, state) => {
    const all = await engine.request('listApps', {});
    const apps = options.app === undefined ? all : all.filter((app) => app.folder === options.app);
    if (apps.length === 0 && options.app !== undefined)
      throw new AppError('unknown-ref', `No app folder "${options.app}" in ${state.root}.`);
    const sessionsOf = (folder: string) => sessionPages(engine, { folder, status: options.status ?? null });
    if (!options.json) {
      // Printed as it comes: a folder of any size lists without being held in memory.
      if (apps.length === 0) io.stdout(NO_APP_FOLDERS);
      for (const app of apps) {
        io.stdout(formatAppLine(app));
        for await (const rows of sessionsOf(app.folder)) io.stdout(rows.map(formatSessionLine).join(''));
      }
      return;
    }
    const listed = [];
    for (const app of apps) {
      const sessions: SessionSummary[] = [];
      for await (const rows of sessionsOf(app.folder)) sessions.push(...rows);
      listed.push({ ...app, sessions });
    }
    const problems = await engine.request('listProblems', { folder: options.app ?? null });
    io.stdout(`${JSON.stringify({ root: state.root, apps: listed, problems })}\n`);
  });
}

export async function check(
  { io, setExit }: CommandContext,
  root: string,
  options: { json?: boolean },
): Promise<void> {
  // Opening puts back what a crashed run left; what it cannot remove is reported (`leftover`).
  await withFolder(io, root, async (engine) => {
    const problems = await engine.request('listProblems', {});
    io.stdout(options.json ? json(problems) : formatProblems(problems));
    if (!options.json) {
      const { sessionSchema } = await engine.request('getState', {});
      io.stdout(
        sessionSchema?.source === '4d'
          ? `Checked with 4D's schema ${sessionSchema.file}.\n`
          : "Checked with the built-in schema (no 4D installation found; --schema names 4D's).\n",
      );
    }
    if (problems.length > 0) setExit(EXIT.problems);
  });
}

/** `accept` and `pend`: the named or matching sessions set to `status`. */
export const setStatus =
  (status: SessionStatus) =>
  async (
    context: CommandContext,
    root: string,
    refs: string[],
    options: SelectionOptions & { json?: boolean },
  ): Promise<void> => {
    const selection = selectionOf(refs, options);
    await withFolder(
      context.io,
      root,
      async (engine) => {
        const report =
          'refs' in selection
            ? await engine.request('setStatus', { refs: selection.refs, status })
            : await engine.request('setStatusMatching', { filter: selection.filter, status });
        printReport(context, report, options.json === true);
      },
      openFor(selection),
    );
  };

export async function deleteSessions(
  context: CommandContext,
  root: string,
  refs: string[],
  options: SelectionOptions & { permanent?: boolean; json?: boolean },
): Promise<void> {
  const selection = selectionOf(refs, options);
  const permanent = options.permanent === true;
  await withFolder(
    context.io,
    root,
    async (engine) => {
      const report =
        'refs' in selection
          ? await engine.request('deleteSessions', { refs: selection.refs, permanent })
          : await engine.request('deleteMatching', { filter: selection.filter, permanent });
      printReport(context, report, options.json === true, permanent);
    },
    openFor(selection),
  );
}

export async function undo(
  context: CommandContext,
  root: string,
  options: { batch?: string; json?: boolean },
): Promise<void> {
  await withFolder(
    context.io,
    root,
    async (engine) => {
      const report = await engine.request(
        'undo',
        options.batch === undefined ? {} : { batch: options.batch },
      );
      printReport(context, report, options.json === true);
    },
    INDEX_UNUSED,
  );
}

export async function log({ io }: CommandContext, root: string, options: { json?: boolean }): Promise<void> {
  await withFolder(
    io,
    root,
    async (engine) => {
      // A page at a time: a history of any size prints without being held in memory.
      let count = 0;
      let damaged = 0;
      let from: HistoryCursor | null = null;
      if (options.json) io.stdout('[');
      for (;;) {
        const page: HistoryPage = await engine.request('readHistory', { from, limit: MAX_HISTORY_PAGE });
        damaged += page.damaged;
        for (const entry of page.entries) {
          io.stdout(
            options.json ? `${count === 0 ? '' : ','}\n${JSON.stringify(entry)}` : formatLogEntry(entry),
          );
          count += 1;
        }
        if (!page.more) break;
        from = page.next;
      }
      if (options.json) io.stdout(count === 0 ? ']\n' : '\n]\n');
      else if (count === 0) io.stdout('No changes recorded for this folder.\n');
      if (damaged > 0) {
        io.stderr(`${plural(damaged, 'damaged line')} of the history skipped (a crash or disk damage).\n`);
      }
    },
    INDEX_UNUSED,
  );
}
