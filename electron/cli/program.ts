/**
 * The command-line front door: maps arguments onto contract requests, sent through `dispatch`
 * over an AppService (engine.ts), and the answers onto text or JSON. It imports of the engine only
 * its entrance (a dependency-cruiser rule holds it). Exit codes: 0 success, 1 failure, 2 usage
 * error, 3 `check` found problems. This module and the commands' definitions load no engine
 * module: each command's code is imported when it runs (lazyAction.ts), so `--help` and
 * `--version` start as fast as commander does.
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import packageJson from '../../package.json';
import { AppError } from '../../shared/errors.js';
import { registerCallCommand } from './callCommand.js';
import { registerCleanupCommand } from './cleanupCommand.js';
import { EXIT, UsageError } from './exitCodes.js';
import { registerFolderCommands } from './folderCommands.js';
import type { CliIo } from './io.js';
import type { CommandContext } from './lazyAction.js';
import { registerLiveCommands } from './liveCommands.js';
import { registerPushCommands } from './pushCommands.js';
import { registerServeCommand } from './serve.js';
import { terminalText } from './terminalText.js';

export type { CliIo } from './io.js';
export { EXIT };

const wholeNumber = (label: string, min: number) => (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min)
    throw new InvalidArgumentError(`${label} must be a whole number ≥ ${min}.`);
  return number;
};

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const context: CommandContext = { io, setExit };

  const program = new Command('mobile-sessions')
    .description('Review and change the mobile sessions of a 4D Server MobileApps folder.')
    .version(packageJson.version, '-V, --version', "print this program's version")
    .option('--force', 'open a folder even when it does not look like a MobileApps folder')
    .option(
      '--schema <file>',
      "check sessions with 4D's mobileSessionSchema.json (or a 4D application folder)",
    )
    .hook('preAction', (command) => {
      io.force = command.opts().force === true;
      const schema: unknown = command.opts().schema;
      if (typeof schema === 'string') io.schema = schema;
    })
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  registerFolderCommands(program, context);
  registerCleanupCommand(program, context);
  registerLiveCommands(program, context);

  // A local command, not a contract request: it writes a folder wherever the admin names, which
  // no door reached over HTTP or IPC may be able to ask for.
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
        // The generator loads only when a demo is asked for.
        const { writeDemoFolder } = await import('../services/demo/demoFolder.js');
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

  registerServeCommand(program, context);
  registerPushCommands(program, context);
  registerCallCommand(program, context);

  return program;
}

/** Runs one command line; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(args: string[], rawIo: CliIo): Promise<number> {
  // Text reaches a terminal with no control character in it (a session's description could hold
  // escape sequences); JSON output (`--json`, `call`) is printed exactly as the engine answered.
  const jsonOut = args.includes('--json') || args[0] === 'call';
  const io: CliIo = {
    ...rawIo,
    stdout: jsonOut ? rawIo.stdout : (text) => rawIo.stdout(terminalText(text)),
    stderr: (text) => rawIo.stderr(terminalText(text)),
  };
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
    if (error instanceof UsageError) {
      io.stderr(`mobile-sessions: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof AppError) {
      io.stderr(`mobile-sessions: ${error.message}\n`);
      return EXIT.failure;
    }
    io.stderr(`mobile-sessions: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT.failure;
  }
}
