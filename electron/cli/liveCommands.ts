/**
 * The commands that follow the folder as it changes: `watch` (until Ctrl+C) and `refresh` (what
 * changed since the index cached by the last run). Both take the engine's events, as the desktop
 * and the browser mode do. What they do is in liveActions.ts, loaded when one of them runs.
 */
import type { Command } from 'commander';
import { type CommandContext, lazyAction } from './lazyAction.js';

const actions = () => import('./liveActions.js');

export function registerLiveCommands(program: Command, context: CommandContext): void {
  program
    .command('watch')
    .description('Print each change in the folder as it happens, until interrupted.')
    .argument('<root>', 'the MobileApps folder')
    .option('--polling', 'poll instead of native watching (network shares)')
    .option('--json', 'one JSON object per line')
    .action(lazyAction(context, actions, (m) => m.watch));

  program
    .command('refresh')
    .description('Print what changed since the cached index (a stat per file, a read only for what changed).')
    .argument('<root>', 'the MobileApps folder')
    .option('--json', 'one JSON object per line')
    .action(lazyAction(context, actions, (m) => m.refresh));
}
