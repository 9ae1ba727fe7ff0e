/**
 * Which Host headers the browser mode answers: on loopback, the loopback names; on every address
 * (`--host 0.0.0.0`), also this machine's own addresses and name and the names given with
 * `--allowed-host`; never any other name (DNS rebinding). And a port in use is one clear error.
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { testHooks } from '../../test/support/contractFixture.js';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { AppService } from '../services/appService.js';
import { startWebServer, type WebServer } from './server.js';

const TOKEN = 'a-token-long-enough-for-tests';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(host: string, allowedHosts: string[] = []): Promise<WebServer> {
  const dataDir = await makeTempDir('ms-hosts-');
  const service = new AppService({ dataDir, hooks: testHooks('browser', async () => dataDir) });
  const server = await startWebServer({
    service,
    rendererDir: dataDir,
    host,
    port: 0,
    token: TOKEN,
    allowedHosts,
  });
  cleanup.push(
    () => removeDir(dataDir),
    () => service.close(),
    () => server.close(),
  );
  return server;
}

/** GET /api-less path with a given Host header, over loopback; the status code. */
function statusFor(port: number, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/nope',
        agent: false,
        headers: { host: hostHeader, authorization: `Bearer ${TOKEN}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** 404: past the host and token checks (the file does not exist); 403: refused by the host check. */
const PASSED = 404;
const REFUSED = 403;

const ownAddress = (): string | null => {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const entry of list ?? []) if (!entry.internal && entry.family === 'IPv4') return entry.address;
  }
  return null;
};

describe('the Host header', () => {
  it('on loopback: the loopback names only', async () => {
    const { port } = await serve('127.0.0.1');
    expect(await statusFor(port, `127.0.0.1:${port}`)).toBe(PASSED);
    expect(await statusFor(port, `localhost:${port}`)).toBe(PASSED);
    expect(await statusFor(port, `LocalHost:${port}`)).toBe(PASSED);
    expect(await statusFor(port, `${os.hostname()}:${port}`)).toBe(REFUSED);
    expect(await statusFor(port, `evil.example:${port}`)).toBe(REFUSED);
  });

  it("on 0.0.0.0: this machine's addresses and name, and no other", async () => {
    const { port } = await serve('0.0.0.0');
    expect(await statusFor(port, `0.0.0.0:${port}`)).toBe(PASSED);
    expect(await statusFor(port, `127.0.0.1:${port}`)).toBe(PASSED);
    expect(await statusFor(port, `${os.hostname()}:${port}`)).toBe(PASSED);
    const address = ownAddress();
    if (address) expect(await statusFor(port, `${address}:${port}`)).toBe(PASSED);
    else console.log('no non-loopback IPv4 address on this machine: that case is not exercised');
    expect(await statusFor(port, `evil.example:${port}`)).toBe(REFUSED);
    expect(await statusFor(port, `${os.hostname()}:${port + 1}`)).toBe(REFUSED);
  });

  it('--allowed-host adds a name, and only that name', async () => {
    const { port } = await serve('0.0.0.0', ['Sessions.Example.org']);
    expect(await statusFor(port, `sessions.example.org:${port}`)).toBe(PASSED);
    expect(await statusFor(port, `other.example.org:${port}`)).toBe(REFUSED);
  });
});

describe('listening', () => {
  it('a port in use is one sentence naming the port and what to do', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = await makeTempDir('ms-hosts-');
    cleanup.push(() => removeDir(dataDir));
    const service = new AppService({ dataDir, hooks: testHooks('browser', async () => dataDir) });
    cleanup.push(() => service.close());
    await expect(
      startWebServer({ service, rendererDir: dataDir, host: '127.0.0.1', port, token: TOKEN }),
    ).rejects.toMatchObject({
      code: 'io',
      message: `Port ${port} is already in use on 127.0.0.1: choose another with --port (0 picks a free one).`,
    });
  });
});
