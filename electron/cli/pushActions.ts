/**
 * What `push` and `server` do (their options are in pushCommands.ts), and how their answers read
 * in a terminal. Loaded only when one of them runs.
 */
import { AppError } from '../../shared/errors.js';
import {
  cleartextWarning,
  type PrePushCheck,
  type PushFix,
  type PushResult,
  type ServerCertificate,
  type ServerSettingsPatch,
  type ServerSettingsView,
  type SessionState,
  type UnpushedChange,
} from '../../shared/push.js';
import { PUSH_SECRET_ENV, type PushAuthKind } from '../../shared/pushNames.js';
import { withFolder } from './engine.js';
import { EXIT } from './exitCodes.js';
import { json, shellArgument } from './format.js';
import type { CommandContext } from './lazyAction.js';

const stateText = (state: SessionState) => (state.present ? (state.status ?? 'unreadable') : 'absent');

function changeLine(change: UnpushedChange): string {
  if (change.kind === 'deleted') return `${change.ref}  deleted (was ${stateText(change.atLastPush)})`;
  if (change.kind === 'restored') return `${change.ref}  restored (${stateText(change.now)})`;
  return `${change.ref}  ${stateText(change.atLastPush)} → ${stateText(change.now)}`;
}

export function formatCheck(check: PrePushCheck): string {
  const lines = [`Pre-push check for ${check.root}: ${check.summary}`];
  const last = check.unpushed.lastPush;
  lines.push(
    last
      ? `  Last push: ${last.time} to ${last.server}.`
      : '  No push recorded yet: every change made through the app counts.',
  );
  for (const change of check.reload) lines.push(`  reload  ${changeLine(change)}`);
  for (const file of check.drop) {
    for (const p of file.problems) {
      lines.push(
        `  drop    ${file.path}: ${p.code}${p.mobi ? ` (mobi ${p.mobi})` : ''}: ${p.message}${file.changedByApp ? ' [changed by the app]' : ''}`,
      );
    }
  }
  for (const change of check.remove) lines.push(`  remove  ${changeLine(change)}`);
  return `${lines.join('\n')}\n`;
}

/** The engine's structured fix, in the command line's terms: the exact command to run. */
export function commandLineAdvice(root: string, fix: PushFix | null): string | null {
  if (!fix) return null;
  const server = `mobile-sessions server ${shellArgument(root)}`;
  switch (fix.setting) {
    case 'url':
      return `Set it: ${server} --url ${fix.suggested ?? '<endpoint>'} (or pass --server to push once).`;
    case 'timeout':
      return `Allow more time: ${server} --timeout ${fix.currentMs * 2}.`;
    case 'trust-certificate':
      return `Trust it for this server only: ${server} --trust-self-signed --fingerprint ${fix.fingerprint256 ?? '<fingerprint>'}.`;
    case 'secret':
      return `Give the secret with ${PUSH_SECRET_ENV} or --secret-file <file>.`;
  }
}

export function formatResult(result: PushResult): string {
  const lines: string[] = [];
  if (result.outcome === 'failed') {
    lines.push(`Push failed: ${result.message}`);
    const advice = commandLineAdvice(result.root, result.failure?.fix ?? null);
    if (advice) lines.push(advice);
  } else {
    lines.push(`${result.message} (${result.server}, ${result.durationMs} ms)`);
    for (const error of result.serverErrors) {
      lines.push(
        `  ${error.component} ${error.code}: ${error.message}${
          error.path && !error.message.includes(error.path)
            ? `  → ${error.path}${error.matchedBy === 'code' ? ' (the only file failing with this code)' : ''}`
            : ''
        }`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatSettings(view: ServerSettingsView, secretSource: string): string {
  const secret =
    view.auth === 'none'
      ? 'none needed'
      : view.hasSecret === true
        ? `available from ${secretSource}`
        : `missing (set ${PUSH_SECRET_ENV} or pass --secret-file when you push)`;
  const lines = [
    `Server for ${view.root}:`,
    `  url             ${view.url}`,
    `  authentication  ${view.auth}`,
    `  secret          ${secret}`,
  ];
  if (view.auth === 'basic' || view.auth === 'rest-login')
    lines.push(`  user            ${view.user ?? '-'}`);
  if (view.auth === 'rest-login') lines.push(`  login function  ${view.loginFunction}`);
  lines.push(`  timeout         ${view.timeoutMs} ms`);
  lines.push(
    `  certificate     ${
      view.tls.trustSelfSigned
        ? `pinned ${view.tls.fingerprint256} (trusted for this server only)`
        : new URL(view.url).protocol === 'https:'
          ? 'trusted by the system'
          : 'none (http://)'
    }`,
  );
  for (const warning of view.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function formatCertificate(cert: ServerCertificate): string {
  return [
    `  subject      ${cert.subject || '-'}`,
    `  issuer       ${cert.issuer || '-'}${cert.selfSigned ? ' (self-signed)' : ''}`,
    `  valid        ${cert.validFrom} → ${cert.validTo}`,
    `  SHA-256      ${cert.fingerprint256}`,
    cert.trustedBySystem
      ? '  The system already trusts this certificate; it is pinned anyway, as asked.'
      : `  Not trusted by the system (${cert.untrustedReason}).`,
    '  Compare the fingerprint with the one on the server before relying on it',
    '  (on the server: openssl x509 -in cert.pem -noout -fingerprint -sha256).',
  ].join('\n');
}

export interface PushCommandOptions {
  server?: string;
  token?: string;
  secretFile?: string;
  ca?: string;
  dryRun?: boolean;
  json?: boolean;
}

export interface ServerCommandOptions {
  url?: string;
  auth?: PushAuthKind;
  user?: string;
  loginFunction?: string;
  timeout?: number;
  trustSelfSigned?: boolean;
  fingerprint?: string;
  forget?: boolean;
  show?: boolean;
  json?: boolean;
}

export async function push(
  { io, setExit }: CommandContext,
  root: string,
  options: PushCommandOptions,
): Promise<void> {
  if (!options.dryRun && options.token !== undefined) {
    io.stderr(
      `mobile-sessions: warning: --token puts the secret in your shell history and the process list; prefer ${PUSH_SECRET_ENV} or --secret-file.\n`,
    );
  }
  await withFolder(
    io,
    root,
    async (engine) => {
      const check = await engine.request('prePushCheck', {});
      if (options.dryRun) {
        io.stdout(options.json ? json(check) : formatCheck(check));
        return;
      }
      if (!options.json) io.stdout(formatCheck(check));
      // As `server` warns about its URL, so does a push to a --server given for this run.
      if (options.server !== undefined && URL.canParse(options.server)) {
        const { settings } = await engine.request('getPushState', {});
        const secretGiven =
          options.token !== undefined || options.secretFile !== undefined || Boolean(io.env[PUSH_SECRET_ENV]);
        const warning = cleartextWarning({
          url: options.server,
          auth: settings?.auth ?? (secretGiven ? 'bearer' : 'none'),
        });
        if (warning) io.stderr(`mobile-sessions: warning: ${warning}\n`);
      }
      const result = await engine.request('push', {
        ...(options.server !== undefined ? { server: options.server } : {}),
        ...(options.token !== undefined ? { secret: options.token } : {}),
      });
      if (options.json) {
        io.stdout(json({ check, result }));
      } else if (result.outcome === 'failed') {
        io.stderr(`mobile-sessions: ${formatResult(result)}`);
      } else {
        io.stdout(formatResult(result));
      }
      if (result.outcome === 'failed') setExit(EXIT.failure);
      // Reloaded, but the server dropped files: exit 3, as `check` does when it finds problems.
      else if (result.outcome === 'reloaded-with-errors') setExit(EXIT.problems);
    },
    { secretFile: options.secretFile ?? null, caFile: options.ca ?? null },
  );
}

export async function server(
  { io }: CommandContext,
  root: string,
  options: ServerCommandOptions,
): Promise<void> {
  if (options.fingerprint !== undefined && options.trustSelfSigned !== true) {
    throw new AppError('bad-request', '--fingerprint goes with --trust-self-signed.');
  }
  await withFolder(io, root, async (engine, state) => {
    const absolute = state.root as string;
    if (options.forget) {
      const { forgotten } = await engine.request('forgetServerSettings', {});
      io.stdout(
        options.json
          ? json({ root: absolute, forgotten })
          : `${forgotten ? 'Forgot the server settings' : 'There were no server settings'} for ${absolute}.\n`,
      );
      return;
    }
    const patch: ServerSettingsPatch = {};
    if (options.url !== undefined) patch.url = options.url;
    if (options.auth !== undefined) patch.auth = options.auth;
    if (options.user !== undefined) patch.user = options.user;
    if (options.loginFunction !== undefined) patch.loginFunction = options.loginFunction;
    if (options.timeout !== undefined) patch.timeoutMs = options.timeout;
    let certificate: ServerCertificate | null = null;
    if (options.trustSelfSigned === false) patch.tls = { trustSelfSigned: false };
    if (options.trustSelfSigned === true) {
      let fingerprint = options.fingerprint;
      if (fingerprint === undefined) {
        const url = options.url ?? (await engine.request('getPushState', {})).settings?.url;
        if (!url) throw new AppError('bad-request', 'Give the server URL (--url) with --trust-self-signed.');
        certificate = await engine.request('readServerCertificate', {
          url,
          ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
        });
        fingerprint = certificate.fingerprint256;
      }
      patch.tls = { trustSelfSigned: true, fingerprint256: fingerprint };
    }
    const changing = Object.keys(patch).length > 0;
    const { settings: view } = changing
      ? await engine.request('saveServerSettings', { settings: patch })
      : await engine.request('getPushState', {});
    if (options.json) {
      io.stdout(json(view ? { ...view, ...(certificate ? { certificate } : {}) } : null));
      return;
    }
    if (!view) {
      io.stdout(
        `No server is set for ${absolute}. Set one with:\n` +
          `  mobile-sessions server ${shellArgument(absolute)} --url https://<server>/mobile-sessions/refresh\n` +
          'docs/push.md gives the 4D code to install on the server.\n',
      );
      return;
    }
    if (certificate)
      io.stdout(`Certificate of ${new URL(view.url).host}:\n${formatCertificate(certificate)}\n`);
    if (changing) io.stdout('Saved.\n');
    io.stdout(formatSettings(view, engine.secretSource));
  });
}
