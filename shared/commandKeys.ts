/**
 * The window's keyboard, read through the one command vocabulary: a key press, where it happened,
 * becomes a command or nothing. Nothing means the page leaves the key alone (no preventDefault),
 * so the native menu's accelerator, or the text field's editing, gets it. The renderer's key
 * handler uses it, and the native menu's test checks every accelerator against it.
 */
import { type KeyPlatform, type KeyPress, matchesAccelerator } from './accelerators.js';
import { COMMAND_IDS, type CommandId, menuKeys, pageKeys } from './commands.js';

export interface KeyContext {
  platform: KeyPlatform;
  /** `table`: the sessions table has the focus; `page`: anywhere else. */
  where: 'table' | 'page';
  /** In a text field (or a select): every key is the field's. */
  typing: boolean;
  /** Whether a command can run here (Open needs a folder picker, which a browser lacks). */
  canRun: (command: CommandId) => boolean;
}

export interface KeyCommand {
  command: CommandId;
  /** Shift held with a move: the selection grows to the new row. */
  extend: boolean;
}

export function commandForKey(press: KeyPress, context: KeyContext): KeyCommand | null {
  if (context.typing) return null;
  const { platform } = context;
  for (const command of COMMAND_IDS) {
    for (const binding of pageKeys(command, platform)) {
      if (binding.where === 'table' && context.where !== 'table') continue;
      if (matchesAccelerator(press, binding.key, platform) && context.canRun(command))
        return { command, extend: binding.extend === true };
    }
  }
  // No native menu in a browser: the page answers the menu's accelerators itself.
  if (platform === 'browser') {
    for (const command of COMMAND_IDS) {
      const { answered } = menuKeys(command, platform);
      if (answered.some((key) => matchesAccelerator(press, key, platform)) && context.canRun(command))
        return { command, extend: false };
    }
  }
  return null;
}
