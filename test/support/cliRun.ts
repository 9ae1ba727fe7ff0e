/** The command line run in-process, as its bin runs it, with its output captured. */
import { runCli } from '../../electron/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCaptured(
  args: string[],
  options: { dataDir: string; untilInterrupted?: () => Promise<void> } | { env: NodeJS.ProcessEnv },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: 'env' in options ? options.env : { ...process.env, MOBILE_SESSIONS_DATA_DIR: options.dataDir },
    untilInterrupted: ('untilInterrupted' in options && options.untilInterrupted) || (async () => {}),
  });
  return { code, stdout, stderr };
}
