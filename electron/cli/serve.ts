/**
 * `mobile-sessions serve`: the browser mode, for admins on a headless 4D Server host and for the
 * end-to-end tests. Starts the engine and the HTTP front door (electron/web/server.ts: the one
 * door another door starts) and prints the URL with its token. What it does is in serveAction.ts,
 * loaded when it runs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.js';
import type { CommandContext } from './lazyAction.js';
import type { ServeOptions } from './serveAction.js';

/** Shorter tokens can be guessed; the default one has 32 characters. */
const MIN_TOKEN_LENGTH = 16;

/** The built renderer, next to the built CLI (out/node/cli.js → out/renderer). */
export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

export function registerServeCommand(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description('Serve the app to a browser (browser mode); prints the URL with its access token.')
    .argument('[root]', 'the MobileApps folder to open')
    .option('--port <n>', 'port (0: any free port)', (v) => Number.parseInt(v, 10), 0)
    .option('--host <h>', 'address to bind (default loopback only)', '127.0.0.1')
    .option(
      '--token <t>',
      `access token, at least ${MIN_TOKEN_LENGTH} characters (default: a new random one)`,
    )
    .option(
      '--allowed-host <name>',
      'another name this server answers to (a DNS name, a reverse proxy); repeatable',
      (name: string, names: string[]) => [...names, name],
      [] as string[],
    )
    .option(
      '--allow-root <folder>',
      'another folder the browser may open (by default only the served one); repeatable',
      (folder: string, folders: string[]) => [...folders, folder],
      [] as string[],
    )
    .option('--demo', 'without a root: create a demo folder and open it')
    .option('--polling', 'poll the folder instead of native watching (network shares)')
    .option(
      '--double',
      'start a 4D Server double on loopback for the folder and push to it (implied by --demo)',
    )
    .action(async (root: string | undefined, options: ServeOptions) => {
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
        throw new AppError('bad-request', '--port must be a number from 0 to 65535.');
      }
      if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
        throw new AppError(
          'bad-request',
          `--token must be at least ${MIN_TOKEN_LENGTH} characters (anyone who guesses it can change sessions); leave it out for a random one.`,
        );
      }
      // Found here, beside the entry (out/node/cli.js), not beside the action's own chunk.
      const rendererDir = defaultRendererDir();
      await (await import('./serveAction.js')).serve(context, rendererDir, root, options);
    });
}
