/**
 * `mobile-sessions cleanup`: the clean-up rules (docs/cleanup.md) from the command line. A dry run
 * by default: what each rule proposes, with counts and the suggested stale threshold. With `--yes`
 * it acts as the window does: `previewCleanup`, then `cleanup` with that preview's token, so what
 * is removed is exactly what was previewed (a folder changed in between is refused, nothing moved),
 * in one batch that one `undo` reverses. Exit codes as the other commands: 0 done (or previewed),
 * 1 failure (a conflict, a file not removed), 2 usage error. What it does is in cleanupAction.ts,
 * loaded when it runs.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext, lazyAction } from './lazyAction.js';

/** The contract's bound for `staleDays`. */
const MAX_STALE_DAYS = 36_500;

const staleDays = (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > MAX_STALE_DAYS)
    throw new InvalidArgumentError(
      `--stale-days must be a whole number of days from 1 to ${MAX_STALE_DAYS}.`,
    );
  return number;
};

export function registerCleanupCommand(program: Command, context: CommandContext): void {
  program
    .command('cleanup')
    .description(
      'Propose superseded, stale, simulator and guest sessions for removal (a dry run); with --yes, move them to the trash in one change that undo reverses.',
    )
    .argument('<root>', 'the MobileApps folder')
    .option('--app <folder>', 'only this app folder')
    .option('--superseded', 'older sessions of a device (same app, same device id) that has a newer one')
    .option('--same-email', 'with --superseded: only when the newer session has the same e-mail')
    .option(
      '--stale-days <n>',
      "sessions whose file has not changed for n days (not the device's last request)",
      staleDays,
    )
    .option('--simulators', 'sessions of simulators')
    .option('--guests', 'sessions without an e-mail')
    .option('--include-pending', 'propose pending sessions too (left out otherwise)')
    .option(
      '--permanent',
      "with --yes: delete without the trash (undo still restores them from the app's copy)",
    )
    .option('--dry-run', 'only say what the rules propose (the default)')
    .option('--yes', 'remove what the rules propose')
    .option('--json', 'JSON for scripts: { preview, report } (report null on a dry run)')
    .action(
      lazyAction(
        context,
        () => import('./cleanupAction.js'),
        (m) => m.cleanup,
      ),
    );
}
