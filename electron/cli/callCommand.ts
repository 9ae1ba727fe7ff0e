/**
 * `mobile-sessions call <request> [params]`: the plumbing under the other commands, for scripts
 * and for the contract suite. It sends any contract request, with parameters as JSON, through the
 * same `dispatch` as every door, and prints the answer: the result, or with --json the whole
 * envelope (`{"ok":true,"result":…}` or `{"ok":false,"error":{…}}`) exactly as HTTP and IPC carry it.
 */
import type { Command } from 'commander';
import { type CommandContext, lazyAction } from './lazyAction.js';

export function registerCallCommand(program: Command, context: CommandContext): void {
  program
    .command('call')
    .description(
      'Send one request of the contract (shared/contract.ts) to the engine and print its answer as JSON.',
    )
    .argument('<request>', 'the request, e.g. getState, listApps, querySessions, readHistory')
    .argument('[params]', 'its parameters as one JSON object (default {})')
    .option('--root <folder>', 'open this MobileApps folder first, as every other command does')
    .option('--polling', 'with --root: poll instead of native watching (network shares)')
    .option('--json', 'print the whole answer envelope, errors included, on stdout')
    .action(
      lazyAction(
        context,
        () => import('./callAction.js'),
        (m) => m.call,
      ),
    );
}
