/**
 * `push` and `server`, registered on a bare commander program (as program.ts will), against the
 * 4D Server double on 127.0.0.1.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCompanyCa } from '../../test/support/companyCa.js';
import { IOS_FOLDER, makeTempDir, removeDir, writeFile, writeSession } from '../../test/support/fixtures.js';
import { startTestProxy } from '../../test/support/httpProxy.js';
import {
  makeSelfSignedCert,
  opensslMissing,
  type SelfSignedCert,
} from '../../test/support/selfSignedCert.js';
import { FourDServerDouble } from '../services/demo/fourDServerDouble.js';
import { SessionActions } from '../services/history/sessionActions.js';
import { EXIT, runCli } from './program.js';

let root: string;
let dataDir: string;
let double: FourDServerDouble | null = null;
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await double?.close();
  double = null;
  await removeDir(root);
  await removeDir(dataDir);
});

/** The whole command line, as `mobile-sessions` runs it (runCli maps errors to exit codes). */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const exit = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { ...env, MOBILE_SESSIONS_DATA_DIR: dataDir },
    untilInterrupted: () => Promise.resolve(),
  });
  return { exit, stdout, stderr };
}

const SECRET = { MOBILE_SESSIONS_PUSH_SECRET: 's3cret' };

async function startDouble() {
  double = await FourDServerDouble.start({ root, secret: 's3cret' });
  return double;
}

describe('mobile-sessions server', () => {
  it('says when nothing is set, and how to set it', async () => {
    const { exit, stdout } = await cli(['server', root]);
    expect(exit).toBe(0);
    expect(stdout).toContain('No server is set');
    expect(stdout).toContain('--url');
    expect(stdout).toContain('docs/push.md');
  });

  it('saves per-root settings without any secret, and shows them', async () => {
    const d = await startDouble();
    const saved = await cli(['server', root, '--url', d.handlerUrl, '--auth', 'bearer', '--timeout', '2000']);
    expect(saved.exit).toBe(0);
    expect(saved.stdout).toContain('Saved.');
    expect(saved.stdout).toContain(d.handlerUrl);
    expect(saved.stdout).toMatch(/secret\s+missing/);

    const shown = await cli(['server', root, '--show', '--json'], SECRET);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      root,
      url: d.handlerUrl,
      auth: 'bearer',
      timeoutMs: 2000,
      hasSecret: true,
    });
    const file = await fs.readFile(path.join(dataDir, 'servers.json'), 'utf8');
    expect(file).not.toContain('s3cret');
    expect((await cli(['server', root], SECRET)).stdout).toMatch(
      /secret\s+available from the MOBILE_SESSIONS_PUSH_SECRET/,
    );
  });

  it('refuses inconsistent settings with the reason (exit 1)', async () => {
    const { exit, stderr } = await cli([
      'server',
      root,
      '--url',
      'https://s.example/x',
      '--auth',
      'rest-login',
    ]);
    expect(exit).toBe(1);
    expect(stderr).toMatch(/needs a user name/);
    expect((await cli(['server', root, '--timeout', 'soon'])).exit).toBe(EXIT.usage);
  });

  it('forgets the settings', async () => {
    await cli(['server', root, '--url', 'https://s.example/x']);
    expect((await cli(['server', root, '--forget'])).stdout).toMatch(/Forgot/);
    expect((await cli(['server', root])).stdout).toContain('No server is set');
  });
});

describe('mobile-sessions push', () => {
  it('without a server, exits 1 pointing to "mobile-sessions server" and docs/push.md', async () => {
    await writeSession(root);
    const { exit, stderr } = await cli(['push', root], SECRET);
    expect(exit).toBe(1);
    expect(stderr).toContain('mobile-sessions server');
    expect(stderr).toContain('docs/push.md');
  });

  it('pushes: prints the check and what the server did (exit 0); then nothing is unpushed', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    const d = await startDouble();
    await new SessionActions({ root, dataDir }).setStatus([ref], 'accepted');
    await cli(['server', root, '--url', d.handlerUrl]);

    const { exit, stdout } = await cli(['push', root], SECRET);
    expect(exit).toBe(0);
    expect(stdout).toContain('1 changed session will be reloaded');
    expect(stdout).toContain(`reload  ${ref}  pending → accepted`);
    expect(stdout).toMatch(/reloaded its sessions with your 1 change/);
    expect(d.statusOf(ref)).toBe('accepted');

    const again = await cli(['push', root], SECRET);
    expect(again.exit).toBe(0);
    expect(again.stdout).toMatch(/no unpushed changes; the server .* reloaded its sessions anyway/);
  });

  it('--dry-run only checks: JSON for scripts, and the server is not called', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    const d = await startDouble();
    await new SessionActions({ root, dataDir }).setStatus([ref], 'accepted');
    const { exit, stdout } = await cli(
      ['push', root, '--server', d.handlerUrl, '--dry-run', '--json'],
      SECRET,
    );
    expect(exit).toBe(0);
    const check = JSON.parse(stdout);
    expect(check.reload.map((c: { ref: string }) => c.ref)).toEqual([ref]);
    expect(check).toHaveProperty('summary');
    expect(d.requests).toHaveLength(0);
  });

  it('--token works for scripts, with a warning about shell history', async () => {
    await writeSession(root);
    const d = await startDouble();
    const { exit, stderr, stdout } = await cli([
      'push',
      root,
      '--server',
      d.handlerUrl,
      '--token',
      's3cret',
      '--json',
    ]);
    expect(exit).toBe(0);
    expect(stderr).toMatch(/warning: --token puts the secret in your shell history/);
    expect(JSON.parse(stdout).result).toMatchObject({ outcome: 'reloaded' });
  });

  it('exits 3 when the server reloaded but reported errors, naming the files', async () => {
    await writeSession(root);
    const d = await startDouble();
    await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');
    const { exit, stdout } = await cli(['push', root, '--server', d.handlerUrl], SECRET);
    expect(exit).toBe(3);
    expect(stdout).toContain(`drop    ${IOS_FOLDER}/abcdef01: malformed (mobi 2)`);
    expect(stdout).toMatch(new RegExp(`mobi 2: .*${IOS_FOLDER}/abcdef01`));
  });

  it('exits 1 with the reason on a refused secret, and on a secret file others can read', async () => {
    await writeSession(root);
    const d = await startDouble();
    const refused = await cli(['push', root, '--server', d.handlerUrl], {
      MOBILE_SESSIONS_PUSH_SECRET: 'nope',
    });
    expect(refused.exit).toBe(1);
    expect(refused.stderr).toMatch(/refused the secret \(HTTP 401\)/);

    const file = path.join(dataDir, 'secret.txt');
    await fs.writeFile(file, 's3cret\n');
    await fs.chmod(file, 0o644);
    await cli(['server', root, '--url', d.handlerUrl]);
    const leaky = await cli(['push', root, '--secret-file', file]);
    expect(leaky.exit).toBe(1);
    expect(leaky.stderr).toMatch(/chmod 600/);
    await fs.chmod(file, 0o600);
    expect((await cli(['push', root, '--secret-file', file])).exit).toBe(0);
  });

  it('warns, as `server` does, when --server sends the secret in clear to another machine', async () => {
    const saved = process.env.HTTP_PROXY;
    const proxy = await startTestProxy();
    try {
      await writeSession(root);
      const d = await startDouble();
      // Only the proxy can reach "fourd.test": the push goes through HTTP_PROXY, as curl's would.
      process.env.HTTP_PROXY = proxy.url;
      const url = `http://fourd.test:${new URL(d.origin).port}/mobile-sessions/refresh`;
      const { exit, stderr } = await cli(['push', root, '--server', url], SECRET);
      expect(exit).toBe(0);
      expect(stderr).toContain(
        `warning: The secret is sent unencrypted over http:// to fourd.test:${new URL(d.origin).port}`,
      );
      expect(proxy.records.map((r) => r.target)).toEqual([url]);
      const local = await cli(['push', root, '--server', d.handlerUrl], SECRET);
      expect(local.exit).toBe(0);
      expect(local.stderr).not.toMatch(/unencrypted/);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await proxy.close();
    }
  });

  it('logs in once for many runs with rest-login: the 4D session is kept, owner-only, in the data directory', async () => {
    await writeSession(root);
    double = await FourDServerDouble.start({ root, secret: 's3cret', licences: 1 });
    await cli(['server', root, '--url', double.restUrl, '--auth', 'rest-login', '--user', 'mobile-sessions']);
    for (let i = 0; i < 3; i += 1) expect((await cli(['push', root], SECRET)).exit).toBe(0);
    expect(double.web.logins).toBe(1);
    const file = path.join(dataDir, 'push-sessions.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(file, 'utf8')).not.toContain('s3cret');
  });

  it('exits 1 when the server is unreachable', async () => {
    await writeSession(root);
    const d = await startDouble();
    const url = d.handlerUrl;
    await d.close();
    double = null;
    const { exit, stderr } = await cli(['push', root, '--server', url], SECRET);
    expect(exit).toBe(1);
    expect(stderr).toMatch(/connection refused/);
  });
});

const noOpenssl = opensslMissing();

describe.skipIf(noOpenssl !== null)(
  `mobile-sessions server --trust-self-signed ${noOpenssl ? `(skipped: ${noOpenssl})` : ''}`,
  () => {
    let certDir: string;
    let cert: SelfSignedCert;
    beforeAll(async () => {
      certDir = await makeTempDir('ms-cert-');
      cert = makeSelfSignedCert(certDir);
    });
    afterAll(async () => {
      await removeDir(certDir);
    });

    it('--ca trusts the company authority that signed the server certificate', async () => {
      await writeSession(root);
      const company = makeCompanyCa(certDir);
      double = await FourDServerDouble.start({ root, secret: 's3cret', tls: company });
      const untrusted = await cli(['push', root, '--server', double.handlerUrl], SECRET);
      expect(untrusted.exit).toBe(1);
      expect(untrusted.stderr).toMatch(/not trusted: its issuer is unknown/);
      const trusted = await cli(
        ['push', root, '--server', double.handlerUrl, '--ca', company.caFile],
        SECRET,
      );
      expect(trusted.exit).toBe(0);
      const wrong = await cli(
        ['push', root, '--server', double.handlerUrl, '--ca', path.join(certDir, 'nope.pem')],
        SECRET,
      );
      expect(wrong.exit).toBe(1);
      expect(wrong.stderr).toMatch(/Cannot read the CA file/);
    });

    it('pins the certificate the server shows, then pushes over HTTPS', async () => {
      await writeSession(root);
      double = await FourDServerDouble.start({ root, secret: 's3cret', tls: cert });
      const untrusted = await cli(['push', root, '--server', double.handlerUrl], SECRET);
      expect(untrusted.exit).toBe(1);
      expect(untrusted.stderr).toContain(cert.fingerprint256);

      const pinned = await cli(['server', root, '--url', double.handlerUrl, '--trust-self-signed']);
      expect(pinned.exit).toBe(0);
      expect(pinned.stdout).toContain(cert.fingerprint256);
      expect(pinned.stdout).toMatch(/self-signed/);
      expect((await cli(['push', root], SECRET)).exit).toBe(0);

      const wrong = await cli([
        'server',
        root,
        '--trust-self-signed',
        '--fingerprint',
        `${cert.fingerprint256.startsWith('00') ? 'FF' : '00'}${cert.fingerprint256.slice(2)}`,
      ]);
      expect(wrong.exit).toBe(0);
      const changed = await cli(['push', root], SECRET);
      expect(changed.exit).toBe(1);
      expect(changed.stderr).toMatch(/not the one pinned/);
    });
  },
);
