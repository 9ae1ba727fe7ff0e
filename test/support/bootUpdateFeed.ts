/**
 * A real update feed for the updater's tests: a Node HTTP server on 127.0.0.1 serving, from a
 * temporary folder, what electron-builder publishes to a generic feed: the channel file
 * (`latest-linux.yml` on Linux x64, `latest.yml` on Windows, `latest-mac.yml` on macOS) and the
 * installer it names, with its sha512. It records the paths asked for. `writeUpdateResources` writes
 * what electron-builder puts beside a packaged app: `app-update.yml` (this feed) and, for the deb,
 * `package-type` (electron-updater then picks its DebUpdater).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface UpdateFeed {
  /** The feed's address, ending in `/` (app-update.yml's `url`). */
  url: string;
  /** The paths asked for, in order, without their query (electron-updater adds `?noCache=…`). */
  requests: string[];
  /**
   * Publishes `version` with an installer of these bytes (the channel file names it, with its sha512).
   * `served`: other bytes served instead (a damaged upload: the checksum does not match).
   */
  publish(version: string, bytes?: Buffer, served?: Buffer): { file: string; sha512: string };
  /** Serves nothing any more: every path answers 404. */
  unpublish(): void;
  close(): Promise<void>;
}

/** The channel file electron-updater asks for on this platform and architecture (its Provider's rule). */
export function channelFile(platform: NodeJS.Platform = process.platform, arch = process.arch): string {
  if (platform === 'linux') return `latest-linux${arch === 'x64' ? '' : `-${arch}`}.yml`;
  return platform === 'darwin' ? 'latest-mac.yml' : 'latest.yml';
}

export async function startUpdateFeed(dir: string): Promise<UpdateFeed> {
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://feed').pathname;
    requests.push(pathname);
    const body = files.get(pathname.slice(1));
    if (!body) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  mkdirSync(dir, { recursive: true });
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    publish(version, bytes = Buffer.from(`the installer of version ${version}\n`), served = bytes) {
      files.clear();
      const file = `mobile-sessions_${version}_amd64.deb`;
      const sha512 = createHash('sha512').update(bytes).digest('base64');
      writeFileSync(path.join(dir, file), served);
      const channel = [
        `version: ${version}`,
        'files:',
        `  - url: ${file}`,
        `    sha512: ${sha512}`,
        `    size: ${bytes.length}`,
        `path: ${file}`,
        `sha512: ${sha512}`,
        "releaseDate: '2026-11-30T00:00:00.000Z'",
        '',
      ].join('\n');
      writeFileSync(path.join(dir, channelFile()), channel);
      files.set(file, readFileSync(path.join(dir, file)));
      files.set(channelFile(), Buffer.from(channel));
      return { file, sha512 };
    },
    unpublish: () => files.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What electron-builder writes into a packaged deb's resources for a generic feed at `feedUrl`. */
export function writeUpdateResources(resourcesDir: string, feedUrl: string): void {
  mkdirSync(resourcesDir, { recursive: true });
  writeFileSync(
    path.join(resourcesDir, 'app-update.yml'),
    ['provider: generic', `url: ${feedUrl}`, 'updaterCacheDirName: mobile-sessions-updater', ''].join('\n'),
  );
  writeFileSync(path.join(resourcesDir, 'package-type'), 'deb');
}
