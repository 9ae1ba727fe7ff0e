/** What a command line command may touch of its process: output, environment, interruption. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts a long-running command (Ctrl+C). */
  untilInterrupted: () => Promise<void>;
  /** `--force`: open a folder that does not look like a MobileApps folder. */
  force?: boolean;
  /** `--schema`: 4D's mobileSessionSchema.json (or a 4D application folder) to check sessions with. */
  schema?: string;
}
