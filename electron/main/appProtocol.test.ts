/**
 * The app:// protocol that serves the built renderer in Electron: index.html and its assets with
 * the Content-Security-Policy header, nothing for other hosts, nothing outside the renderer folder.
 */
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.js';
import { makeRendererFixture, RENDERER_FIXTURE } from '../../test/support/contractFixture.js';
import { asProtocol, protocol, resetElectronDouble } from '../../test/support/electronDouble.js';
import { removeDir } from '../../test/support/fixtures.js';
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  APP_URL,
  appProtocolResponse,
  handleAppProtocol,
  registerAppScheme,
} from './appProtocol.js';

let fixture: { base: string; rendererDir: string };
beforeAll(async () => {
  fixture = await makeRendererFixture();
});
afterAll(() => removeDir(fixture.base));
beforeEach(() => resetElectronDouble());

describe('the app:// protocol', () => {
  it('is app://renderer/index.html', () => {
    expect([APP_SCHEME, APP_HOST, APP_ORIGIN, APP_URL]).toEqual([
      'app',
      'renderer',
      'app://renderer',
      'app://renderer/index.html',
    ]);
  });

  it('registers app as a standard, secure scheme before the app is ready, without bypassing the CSP', () => {
    resetElectronDouble({ ready: false });
    registerAppScheme(asProtocol());
    expect(protocol.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const [registered] = protocol.privilegedSchemes as { privileges: Record<string, unknown> }[];
    expect(registered?.privileges.bypassCSP).not.toBe(true);
    expect(registered?.privileges.corsEnabled).not.toBe(true);
  });

  it('serves index.html with the CSP header and nosniff', async () => {
    for (const url of [APP_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}`, `${APP_URL}?view=problems#top`]) {
      const response = await appProtocolResponse(fixture.rendererDir, url);
      expect(response.status, url).toBe(200);
      expect(await response.text()).toBe(RENDERER_FIXTURE.indexHtml);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves the assets with their content type and the CSP header', async () => {
    const response = await appProtocolResponse(fixture.rendererDir, `${APP_ORIGIN}/assets/app.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(RENDERER_FIXTURE.appJs);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 404 for any other host', async () => {
    for (const url of [
      'app://evil/index.html',
      'app://renderer.evil.example/index.html',
      'app://renderer:1234/index.html',
      'app:///index.html',
    ]) {
      const response = await appProtocolResponse(fixture.rendererDir, url);
      expect(response.status, url).toBe(404);
    }
  });

  it('answers 404 for anything outside the renderer folder or missing', async () => {
    for (const url of [
      `${APP_ORIGIN}/../secret.txt`,
      `${APP_ORIGIN}/../package.json`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      `${APP_ORIGIN}/..%2fsecret.txt`,
      `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`,
      `${APP_ORIGIN}/..%5csecret.txt`,
      `${APP_ORIGIN}/%2fetc%2fpasswd`,
      `${APP_ORIGIN}/${encodeURIComponent(path.join(fixture.base, 'secret.txt'))}`,
      `${APP_ORIGIN}/index.html%00.js`,
      `${APP_ORIGIN}/%E0%A4%A`,
      `${APP_ORIGIN}/assets`,
      `${APP_ORIGIN}/missing.js`,
    ]) {
      const response = await appProtocolResponse(fixture.rendererDir, url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toMatch(/SECRET|outside-the-renderer/);
    }
  });

  it('handles app:// requests through protocol.handle', async () => {
    handleAppProtocol(asProtocol(), fixture.rendererDir);
    const handler = protocol.handlers.get('app');
    expect(handler).toBeTypeOf('function');
    const response = await (handler as (request: { url: string }) => Promise<Response>)({ url: APP_URL });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
