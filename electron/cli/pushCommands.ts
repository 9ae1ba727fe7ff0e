/**
 * `mobile-sessions push` and `mobile-sessions server`: the command-line front door of Push.
 * Exit codes: 0 the server reloaded its sessions (or the settings were saved/shown), 1 failure
 * (with the reason), 2 usage error (commander), 3 the server reloaded but reported errors for
 * files it dropped (as `check` exits 3 when it finds problems).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../../shared/errors.js';
import {
  cleartextWarning,
  MAX_PUSH_TIMEOUT_MS,
  MIN_PUSH_TIMEOUT_MS,
  type PrePushCheck,
  PUSH_AUTH_KINDS,
  type PushAuthKind,
  type PushFix,
  type PushResult,
  type ServerCertificate,
  type ServerSettingsPatch,
  type ServerSettingsView,
  type SessionState,
  type UnpushedChange,
} from '../../shared/push.js';
import { PUSH_SECRET_ENV } from '../services/push/secretStore.js';
import { withFolder } from './engine.js';
import { EXIT } from './exitCodes.js';
import { json, shellArgument } from './format.js';
import type { CliIo } from './io.js';

const timeoutMs = (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < MIN_PUSH_TIMEOUT_MS || number > MAX_PUSH_TIMEOUT_MS) {
    throw new InvalidArgumentError(
      `--timeout must be a whole number of milliseconds from ${MIN_PUSH_TIMEOUT_MS} to ${MAX_PUSH_TIMEOUT_MS}.`,
    );
  }
  return number;
};

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

interface PushCommandOptions {
  server?: string;
  token?: string;
  secretFile?: string;
  ca?: string;
  dryRun?: boolean;
  json?: boolean;
}

interface ServerCommandOptions {
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

export function registerPushCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('push')
    .description(
      'Make the 4D Server reload its sessions (MOBILE APP REFRESH SESSIONS), after a pre-push check. Always calls the server.',
    )
    .argument('<root>', 'the MobileApps folder')
    .option('--server <url>', 'the endpoint for this push (else the one set with "mobile-sessions server")')
    .option(
      '--token <secret>',
      `the secret for this push; prefer ${PUSH_SECRET_ENV} or --secret-file (an option lands in shell history)`,
    )
    .option('--secret-file <file>', 'read the secret from this file (it must be readable by you only)')
    .option(
      '--ca <file>',
      'also trust the certificate authorities in this PEM file (a company CA); HTTPS_PROXY and NO_PROXY are honoured',
    )
    .option('--dry-run', 'only the pre-push check: what the server would do; nothing is sent')
    .option('--json', 'JSON for scripts')
    .action(async (root: string, options: PushCommandOptions) => {
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
              options.token !== undefined ||
              options.secretFile !== undefined ||
              Boolean(io.env[PUSH_SECRET_ENV]);
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
    });

  program
    .command('server')
    .description(
      'Set or show the 4D Server this folder pushes to. Secrets are never stored by the command line (docs/push.md).',
    )
    .argument('<root>', 'the MobileApps folder')
    .option('--url <url>', 'the endpoint, e.g. https://server.example.com/mobile-sessions/refresh')
    .addOption(new Option('--auth <kind>', 'how the app authenticates').choices(PUSH_AUTH_KINDS))
    .option('--user <name>', 'the account for basic and rest-login')
    .option(
      '--login-function <name>',
      'the exposed DataStore function of the rest-login flow (default authentify)',
    )
    .option('--timeout <ms>', 'how long to wait for the server', timeoutMs)
    .option(
      '--trust-self-signed',
      "trust this server's own certificate only, pinned by its SHA-256 fingerprint",
    )
    .option('--no-trust-self-signed', 'stop trusting it (the system decides again)')
    .option('--fingerprint <sha256>', 'the fingerprint to pin (else it is read from the server now)')
    .option('--forget', "remove this folder's server settings")
    .option('--show', 'show the settings (the default when nothing is changed)')
    .option('--json', 'JSON for scripts')
    .action(async (root: string, options: ServerCommandOptions) => {
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
            if (!url)
              throw new AppError('bad-request', 'Give the server URL (--url) with --trust-self-signed.');
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
    });
}
