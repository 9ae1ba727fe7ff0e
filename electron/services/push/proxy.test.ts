/** Which proxy a push takes: the environment's (curl's conventions), or the system's PAC answer. */
import { afterEach, describe, expect, it } from 'vitest';
import { environmentProxy, pacProxyResolver, parsePacAnswer, proxyAuthorization } from './proxy.js';

const NAMES = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
];
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
const clear = () => {
  for (const name of NAMES) delete process.env[name];
};

describe('environmentProxy', () => {
  it('reads HTTPS_PROXY for https:// and HTTP_PROXY for http://, and NO_PROXY', async () => {
    clear();
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    process.env.HTTP_PROXY = 'http://plain.corp:8080';
    process.env.NO_PROXY = '.internal.corp,4d.lan:8443';
    expect((await environmentProxy(new URL('https://4d.example.com/x')))?.href).toBe(
      'http://proxy.corp:3128/',
    );
    expect((await environmentProxy(new URL('http://4d.example.com/x')))?.href).toBe(
      'http://plain.corp:8080/',
    );
    expect(await environmentProxy(new URL('https://server.internal.corp/x'))).toBeNull();
    expect(await environmentProxy(new URL('https://4d.lan:8443/x'))).toBeNull();
    expect((await environmentProxy(new URL('https://4d.lan:9443/x')))?.host).toBe('proxy.corp:3128');
  });

  it('never sends a loopback server through a proxy, and none is used when none is set', async () => {
    clear();
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    expect(await environmentProxy(new URL('https://127.0.0.1:8443/x'))).toBeNull();
    expect(await environmentProxy(new URL('https://localhost/x'))).toBeNull();
    expect(await environmentProxy(new URL('https://[::1]/x'))).toBeNull();
    clear();
    expect(await environmentProxy(new URL('https://4d.example.com/x'))).toBeNull();
  });
});

describe("the system's proxy, as Electron's session.resolveProxy answers", () => {
  it('reads PAC answers: the first usable entry, DIRECT as none, SOCKS skipped', () => {
    expect(parsePacAnswer('DIRECT')).toBeNull();
    expect(parsePacAnswer('DIRECT; PROXY fallback.corp:3128')).toBeNull(); // the first entry wins
    expect(parsePacAnswer('PROXY proxy.corp:3128; DIRECT')?.href).toBe('http://proxy.corp:3128/');
    expect(parsePacAnswer('SOCKS5 s:1080; HTTPS secure.corp:443')?.href).toBe('https://secure.corp/');
    expect(parsePacAnswer('SOCKS s:1080')).toBeNull();
  });

  it('asks the resolver for each URL, except loopback', async () => {
    const asked: string[] = [];
    const resolver = pacProxyResolver(async (url) => {
      asked.push(url);
      return 'PROXY p:8080';
    });
    expect((await resolver(new URL('https://4d.example.com/a')))?.host).toBe('p:8080');
    expect(await resolver(new URL('https://127.0.0.1/a'))).toBeNull();
    expect(asked).toEqual(['https://4d.example.com/a']);
  });

  it('passes the credentials of a proxy URL as Basic', () => {
    expect(proxyAuthorization(new URL('http://ann:pa%20ss@p:1'))).toBe(
      `Basic ${Buffer.from('ann:pa ss').toString('base64')}`,
    );
    expect(proxyAuthorization(new URL('http://p:1'))).toBeNull();
  });
});
