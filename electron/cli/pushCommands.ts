/**
 * `mobile-sessions push` and `mobile-sessions server`: the command-line front door of Push.
 * Exit codes: 0 the server reloaded its sessions (or the settings were saved/shown), 1 failure
 * (with the reason), 2 usage error (commander), 3 the server reloaded but reported errors for
 * files it dropped (as `check` exits 3 when it finds problems). What they do is in pushActions.ts,
 * loaded when one of them runs.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  MAX_PUSH_TIMEOUT_MS,
  MIN_PUSH_TIMEOUT_MS,
  PUSH_AUTH_KINDS,
  PUSH_SECRET_ENV,
} from '../../shared/pushNames.js';
import { type CommandContext, lazyAction } from './lazyAction.js';

const timeoutMs = (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < MIN_PUSH_TIMEOUT_MS || number > MAX_PUSH_TIMEOUT_MS) {
    throw new InvalidArgumentError(
      `--timeout must be a whole number of milliseconds from ${MIN_PUSH_TIMEOUT_MS} to ${MAX_PUSH_TIMEOUT_MS}.`,
    );
  }
  return number;
};

const actions = () => import('./pushActions.js');

export function registerPushCommands(program: Command, context: CommandContext): void {
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
    .action(lazyAction(context, actions, (m) => m.push));

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
    .action(lazyAction(context, actions, (m) => m.server));
}
