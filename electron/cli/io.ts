/** What a command line command may touch of its process: output, environment, interruption. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts a long-running command (Ctrl+C). */
  untilInterrupted: () => Promise<void>;
}
