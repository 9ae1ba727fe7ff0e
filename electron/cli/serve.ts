/**
 * `mobile-sessions serve`: the browser mode, for admins on a headless 4D Server host and for the
 * end-to-end tests. Starts the engine and the HTTP front door (electron/web/server.ts: the one
 * door another door starts) and prints the URL with its token.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.js';
import { LOOPBACK_HOSTS } from '../../shared/text.js';
import { AppService } from '../services/appService.js';
import { startDemoServer } from '../services/demo/demoServer.js';
import { CliSecretStore, MemorySecretStore } from '../services/push/secretStore.js';
import { startWebServer } from '../web/server.js';
import { requestTo } from './engine.js';
import type { CliIo } from './io.js';

/** Shorter tokens can be guessed; the default one has 32 characters. */
const MIN_TOKEN_LENGTH = 16;

/** The built renderer, next to the built CLI (out/node/cli.js → out/renderer). */
export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

export function registerServeCommand(program: Command, io: CliIo, dataDir: () => string): void {
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
    .action(
      async (
        root: string | undefined,
        options: {
          port: number;
          host: string;
          token?: string;
          allowedHost: string[];
          allowRoot: string[];
          demo?: boolean;
          polling?: boolean;
          double?: boolean;
        },
      ) => {
        if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
          throw new AppError('bad-request', '--port must be a number from 0 to 65535.');
        }
        if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
          throw new AppError(
            'bad-request',
            `--token must be at least ${MIN_TOKEN_LENGTH} characters (anyone who guesses it can change sessions); leave it out for a random one.`,
          );
        }
        const rendererDir = defaultRendererDir();
        if (!existsSync(path.join(rendererDir, 'index.html'))) {
          throw new AppError('io', `The built UI is missing (${rendererDir}): run "npm run build" first.`);
        }
        const service = new AppService({
          dataDir: dataDir(),
          // Whoever holds the token opens only the folders the admin gave on the command line.
          openableRoots: [...(root ? [root] : []), ...options.allowRoot],
          hooks: {
            platform: 'browser',
            // Secrets typed in the browser stay in this server's memory; else the environment's.
            secrets: new MemorySecretStore(new CliSecretStore({ env: process.env })),
            // The demo generator loads only when a demo is asked for.
            createDemo: async () => (await import('../services/demo/demoFolder.js')).ensureDemo(dataDir()),
          },
        });
        let double: Awaited<ReturnType<typeof startDemoServer>> | null = null;
        let server: Awaited<ReturnType<typeof startWebServer>>;
        try {
          // Through dispatch, as every request of every door.
          if (root) await requestTo(service, io, 'openRoot', { root, polling: options.polling === true });
          else if (options.demo) await requestTo(service, io, 'openDemo', {});
          const opened = service.state().root;
          // --demo pushes to the demo's double (AppService starts it); --double gives a folder one.
          double = root && opened && options.double ? await startDemoServer(opened, service.push) : null;
          const doubleUrl =
            opened && (double || service.state().demo)
              ? (await requestTo(service, io, 'getPushState', {})).settings?.url
              : null;
          if (doubleUrl)
            io.stderr(`A 4D Server double (not a real 4D Server) answers Push at ${doubleUrl}.\n`);
          const token = options.token ?? randomBytes(24).toString('base64url');
          server = await startWebServer({
            service,
            rendererDir,
            host: options.host,
            allowedHosts: options.allowedHost,
            port: options.port,
            token,
            log: (message, error) =>
              io.stderr(`${message}: ${error instanceof Error ? error.message : String(error)}\n`),
          });
          if (!LOOPBACK_HOSTS.has(options.host)) {
            io.stderr(
              `Warning: listening on ${options.host}, reachable from other machines; anyone with the token can change sessions. Prefer HTTPS through a reverse proxy.\n`,
            );
          }
        } catch (error) {
          // Nothing may keep the process alive after a failed start (a watcher, the double).
          await double?.close();
          await service.close();
          throw error;
        }
        io.stdout(`Mobile Sessions is running at ${server.url}\n`);
        await io.untilInterrupted();
        await server.close();
        await double?.close();
        await service.close();
      },
    );
}
