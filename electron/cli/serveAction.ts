/**
 * What `serve` does (its options are in serve.ts): starts the engine and the HTTP front door
 * (electron/web/server.ts: the one door another door starts) and prints the URL with its token.
 * Loaded only when `serve` runs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { LOOPBACK_HOSTS } from '../../shared/text.js';
import { AppService } from '../services/appService.js';
import { defaultDataDir } from '../services/dataDir.js';
import { startDemoServer } from '../services/demo/demoServer.js';
import { CliSecretStore, MemorySecretStore } from '../services/push/secretStore.js';
import { startWebServer } from '../web/server.js';
import { requestTo } from './engine.js';
import type { CommandContext } from './lazyAction.js';

export interface ServeOptions {
  port: number;
  host: string;
  token?: string;
  allowedHost: string[];
  allowRoot: string[];
  demo?: boolean;
  polling?: boolean;
  double?: boolean;
}

/** Serves `root` (or the demo) from the built UI in `rendererDir` until interrupted. */
export async function serve(
  { io }: CommandContext,
  rendererDir: string,
  root: string | undefined,
  options: ServeOptions,
): Promise<void> {
  const dataDir = () => defaultDataDir(io.env);
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
    if (doubleUrl) io.stderr(`A 4D Server double (not a real 4D Server) answers Push at ${doubleUrl}.\n`);
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
}
