/**
 * The command-line front door: maps arguments onto the engine's calls and its results onto
 * text or JSON. Exit codes: 0 success, 1 failure, 2 usage error, 3 `check` found problems.
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type ChangeReport, reportFailed } from '../../shared/changes.js';
import type { WorkspaceDelta } from '../../shared/deltas.js';
import { AppError } from '../../shared/errors.js';
import { SESSION_STATUSES, type SessionStatus } from '../../shared/session.js';
import { folderOf } from '../../shared/text.js';
import { defaultDataDir } from '../services/dataDir.js';
import { writeDemoFolder } from '../services/demo/demoFolder.js';
import { SessionActions } from '../services/history/sessionActions.js';
import { loadIndexCache, saveIndexCache } from '../services/live/indexCache.js';
import { scanRoot, syncIndex } from '../services/live/scanRoot.js';
import { SessionIndex } from '../services/live/sessionIndex.js';
import { Workspace } from '../services/live/workspace.js';
import { EXIT } from './exitCodes.js';
import {
  deltaToJson,
  formatApps,
  formatDelta,
  formatLogEntry,
  formatProblems,
  formatReport,
  json,
} from './format.js';
import type { CliIo } from './io.js';
import { registerPushCommands } from './pushCommands.js';
import { registerServeCommand } from './serve.js';

export type { CliIo } from './io.js';
export { EXIT };

const wholeNumber = (label: string, min: number) => (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min)
    throw new InvalidArgumentError(`${label} must be a whole number ≥ ${min}.`);
  return number;
};

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const dataDir = () => defaultDataDir(io.env);
  const actionsFor = (root: string) => new SessionActions({ root: path.resolve(root), dataDir: dataDir() });
  const printReport = (report: ChangeReport, asJson: boolean) => {
    io.stdout(asJson ? json(report) : formatReport(report));
    if (reportFailed(report)) setExit(EXIT.failure);
  };

  const program = new Command('mobile-sessions')
    .description('Review and change the mobile sessions of a 4D Server MobileApps folder.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  program
    .command('list')
    .description('List the apps and their sessions.')
    .argument('<root>', 'the MobileApps folder')
    .option('--app <folder>', 'only this app folder')
    .addOption(new Option('--status <status>', 'only sessions with this status').choices(SESSION_STATUSES))
    .option('--json', 'one JSON object for scripts')
    .action(async (root: string, options: { app?: string; status?: SessionStatus; json?: boolean }) => {
      const actions = actionsFor(root);
      await actions.start();
      const scan = await scanRoot(root, { firstSeen: actions.firstSeen() });
      let apps = scan.apps;
      if (options.app) {
        apps = apps.filter((app) => app.folder === options.app);
        if (apps.length === 0)
          throw new AppError('unknown-ref', `No app folder "${options.app}" in ${scan.root}.`);
      }
      if (options.status) {
        apps = apps.map((app) => ({
          ...app,
          sessions: app.sessions.filter((s) => s.status === options.status),
        }));
      }
      if (options.json) {
        const folders = new Set(apps.map((app) => app.folder));
        const problems = scan.problems.filter((p) => folders.has(folderOf(p.path)));
        io.stdout(`${JSON.stringify({ root: scan.root, apps, problems })}\n`);
      } else {
        io.stdout(formatApps(apps));
      }
    });

  program
    .command('check')
    .description('Report every file the 4D Server would refuse or drop (exit 3 when there is one).')
    .argument('<root>', 'the MobileApps folder')
    .option('--json', 'a JSON array for scripts')
    .action(async (root: string, options: { json?: boolean }) => {
      await actionsFor(root).start(); // puts back what a crashed run left; what it cannot remove is reported
      const { problems } = await scanRoot(root);
      io.stdout(options.json ? json(problems) : formatProblems(problems));
      if (problems.length > 0) setExit(EXIT.problems);
    });

  const statusCommand = (name: string, status: SessionStatus, description: string) =>
    program
      .command(name)
      .description(description)
      .argument('<root>', 'the MobileApps folder')
      .argument('<ref...>', '<app folder>/<session id>, or a session id found in one app only')
      .option('--json', 'JSON for scripts')
      .action(async (root: string, refs: string[], options: { json?: boolean }) => {
        printReport(await actionsFor(root).setStatus(refs, status), options.json === true);
      });
  statusCommand('accept', 'accepted', 'Set sessions to "accepted".');
  statusCommand('pend', 'pending', 'Set sessions to "pending".');

  program
    .command('delete')
    .description('Move session files to the trash (undo restores them).')
    .argument('<root>', 'the MobileApps folder')
    .argument('<ref...>', '<app folder>/<session id>, or a session id found in one app only')
    .option('--permanent', "delete without the trash (undo still restores them from the app's copy)")
    .option('--json', 'JSON for scripts')
    .action(async (root: string, refs: string[], options: { permanent?: boolean; json?: boolean }) => {
      printReport(
        await actionsFor(root).delete(refs, { permanent: options.permanent === true }),
        options.json === true,
      );
    });

  program
    .command('undo')
    .description('Undo the last change made by this app in the folder (again for the one before).')
    .argument('<root>', 'the MobileApps folder')
    .option('--batch <id>', 'undo this change (the batch id a change printed with --json)')
    .option('--json', 'JSON for scripts')
    .action(async (root: string, options: { batch?: string; json?: boolean }) => {
      printReport(await actionsFor(root).undo({ batch: options.batch ?? null }), options.json === true);
    });

  program
    .command('log')
    .description('Show the audit log of the changes made in the folder.')
    .argument('<root>', 'the MobileApps folder')
    .option('--json', 'JSON for scripts')
    .action(async (root: string, options: { json?: boolean }) => {
      // Streamed: a history of any size prints without being held in memory.
      const actions = actionsFor(root);
      let count = 0;
      if (options.json) io.stdout('[');
      for await (const entry of actions.history()) {
        io.stdout(
          options.json ? `${count === 0 ? '' : ','}\n${JSON.stringify(entry)}` : formatLogEntry(entry),
        );
        count += 1;
      }
      if (options.json) io.stdout(count === 0 ? ']\n' : '\n]\n');
      else if (count === 0) io.stdout('No changes recorded for this folder.\n');
      const damaged = actions.log.stats.damaged;
      if (damaged > 0) {
        io.stderr(
          `${damaged} damaged line${damaged === 1 ? '' : 's'} of the history skipped (a crash or disk damage).\n`,
        );
      }
    });

  program
    .command('watch')
    .description('Print each change in the folder as it happens, until interrupted.')
    .argument('<root>', 'the MobileApps folder')
    .option('--polling', 'poll instead of native watching (network shares)')
    .option('--json', 'one JSON object per line')
    .action(async (root: string, options: { polling?: boolean; json?: boolean }) => {
      const print = (deltas: WorkspaceDelta[]) => {
        for (const delta of deltas) {
          if (options.json) {
            if (delta.type !== 'scan-progress') io.stdout(`${JSON.stringify(deltaToJson(delta))}\n`);
          } else {
            const line = formatDelta(delta);
            if (line) io.stdout(`${line}\n`);
          }
        }
      };
      const workspace = await Workspace.open(path.resolve(root), {
        dataDir: dataDir(),
        polling: options.polling === true,
      });
      workspace.subscribe(print);
      await workspace.settled;
      await io.untilInterrupted();
      await workspace.close();
    });

  program
    .command('refresh')
    .description('Print what changed since the cached index (a stat per file, a read only for what changed).')
    .argument('<root>', 'the MobileApps folder')
    .option('--json', 'one JSON object per line')
    .action(async (root: string, options: { json?: boolean }) => {
      const absolute = path.resolve(root);
      const index = new SessionIndex(absolute);
      const cached = await loadIndexCache(dataDir(), index);
      if (cached) index.appChanges(index.apps.keys());
      const deltas = await syncIndex(index);
      await saveIndexCache(dataDir(), index);
      if (options.json) {
        for (const delta of deltas) io.stdout(`${JSON.stringify(deltaToJson(delta))}\n`);
        return;
      }
      if (!cached) {
        const sessions = index.snapshot().apps.reduce((n, app) => n + app.counts.sessions, 0);
        io.stdout(
          `No cached index for ${absolute} yet: scanned ${sessions} sessions; the next refresh reports changes.\n`,
        );
        return;
      }
      const lines = deltas.map(formatDelta).filter((line): line is string => line !== null);
      io.stdout(lines.length ? `${lines.join('\n')}\n` : 'Nothing changed.\n');
    });

  program
    .command('demo')
    .description('Write a realistic demo MobileApps folder (deterministic from its seed).')
    .argument('<root>', 'a new or empty folder')
    .option('--apps <n>', 'app folders', wholeNumber('--apps', 1), 5)
    .option('--sessions <n>', 'sessions in all', wholeNumber('--sessions', 0), 200)
    .option('--seed <s>', 'random seed', wholeNumber('--seed', 0), 1)
    .option('--with-problems', 'add one broken file of each kind')
    .action(
      async (
        root: string,
        options: { apps: number; sessions: number; seed: number; withProblems?: boolean },
      ) => {
        const summary = await writeDemoFolder(path.resolve(root), {
          ...options,
          withProblems: options.withProblems === true,
        });
        io.stdout(
          `Demo folder ${summary.root}: ${summary.apps} apps, ${summary.sessions} sessions` +
            `${summary.brokenFiles ? `, ${summary.brokenFiles} broken files` : ''}.\n`,
        );
      },
    );

  registerServeCommand(program, io, dataDir);
  registerPushCommands(program, io, setExit, dataDir);

  return program;
}

/** Runs one command line; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof AppError) {
      io.stderr(`mobile-sessions: ${error.message}\n`);
      return EXIT.failure;
    }
    io.stderr(`mobile-sessions: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT.failure;
  }
}
