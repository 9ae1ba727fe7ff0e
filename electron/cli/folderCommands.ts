/**
 * The commands over one folder's sessions and history: `list`, `check`, `accept`, `pend`,
 * `delete`, `undo`, `log`: their arguments and options. What they do is in folderActions.ts,
 * loaded when one of them runs.
 */
import { type Command, Option } from 'commander';
import { SESSION_STATUSES, type SessionStatus } from '../../shared/session.js';
import { type CommandContext, lazyAction } from './lazyAction.js';

const ROOT = ['<root>', 'the MobileApps folder'] as const;
const statusOption = (description: string) =>
  new Option('--status <status>', description).choices(SESSION_STATUSES);
const actions = () => import('./folderActions.js');

const withSelection = (command: Command) =>
  command
    .option('--matching', 'every session matching --app, --status and --search (all sessions without them)')
    .option('--app <folder>', 'with --matching: only this app folder')
    .addOption(statusOption('with --matching: only sessions with this status'))
    .option('--search <text>', 'with --matching: device, e-mail, session id or IP containing this text');

export function registerFolderCommands(program: Command, context: CommandContext): void {
  program
    .command('list')
    .description('List the apps and their sessions.')
    .argument(...ROOT)
    .option('--app <folder>', 'only this app folder')
    .addOption(statusOption('only sessions with this status'))
    .option('--json', 'one JSON object for scripts')
    .action(lazyAction(context, actions, (m) => m.list));

  program
    .command('check')
    .description('Report every file the 4D Server would refuse or drop (exit 3 when there is one).')
    .argument(...ROOT)
    .option('--json', 'a JSON array for scripts')
    .action(lazyAction(context, actions, (m) => m.check));

  const statusCommand = (name: string, status: SessionStatus, description: string) =>
    withSelection(
      program
        .command(name)
        .description(description)
        .argument(...ROOT)
        .argument('[ref...]', '<app folder>/<session id>, or a session id found in one app only'),
    )
      .option('--json', 'JSON for scripts')
      .action(lazyAction(context, actions, (m) => m.setStatus(status)));
  statusCommand('accept', 'accepted', 'Set sessions to "accepted".');
  statusCommand('pend', 'pending', 'Set sessions to "pending".');

  withSelection(
    program
      .command('delete')
      .description('Move session files to the trash, or delete them with --permanent (undo restores them).')
      .argument(...ROOT)
      .argument('[ref...]', '<app folder>/<session id>, or a session id found in one app only'),
  )
    .option('--permanent', "delete without the trash (undo still restores them from the app's copy)")
    .option('--json', 'JSON for scripts')
    .action(lazyAction(context, actions, (m) => m.deleteSessions));

  program
    .command('undo')
    .description('Undo the last change made by this app in the folder (again for the one before).')
    .argument(...ROOT)
    .option('--batch <id>', 'undo this change (the batch id a change printed with --json)')
    .option('--json', 'JSON for scripts')
    .action(lazyAction(context, actions, (m) => m.undo));

  program
    .command('log')
    .description('Show the audit log of the changes made in the folder.')
    .argument(...ROOT)
    .option('--json', 'JSON for scripts')
    .action(lazyAction(context, actions, (m) => m.log));
}
