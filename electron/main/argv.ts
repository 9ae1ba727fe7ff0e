/**
 * What the command line asks for: a MobileApps folder (`Mobile Sessions /path/to/MobileApps`), with
 * `--double` a 4D Server double to push it to (as `mobile-sessions serve --double`), or the demo
 * (`--demo`), for the first instance and for a second one whose request reaches it.
 *
 * Switches are ignored wherever they are: Chromium moves them before the arguments in the argv a
 * second instance hands over, and adds its own (`--allow-file-access-from-files`,
 * `--original-process-start-time=…`); Playwright starts Electron with `--no-sandbox`,
 * `--inspect=0` and `--remote-debugging-port=0` before the app's arguments.
 */
import path from 'node:path';

export interface LaunchRequest {
  /** The folder asked for, absolute, or null. */
  folder: string | null;
  demo: boolean;
  /** A 4D Server double on loopback for the folder, its push target (tests, trying Push out). */
  double: boolean;
}

/** What a second instance sends the first one (`app.requestSingleInstanceLock(additionalData)`). */
export interface InstanceRequest {
  /** The second instance's own arguments, in its own order (after the executable and app path). */
  args: string[];
  /** Its working directory, to resolve a relative folder against. */
  cwd: string;
}

const isSwitch = (arg: string) => arg.startsWith('-');

/**
 * The app's own arguments in `argv`: after the executable, and when run from source
 * (`electron <app path> …`, not packaged) after the app path, the first argument that is not a switch.
 */
export function appArguments(argv: readonly string[], isPackaged: boolean): string[] {
  const rest = argv.slice(1);
  if (isPackaged) return rest;
  const appPath = rest.findIndex((arg) => !isSwitch(arg));
  return appPath === -1 ? rest : [...rest.slice(0, appPath), ...rest.slice(appPath + 1)];
}

/** The request in the app's own arguments; a relative folder is resolved against `cwd`. */
export function requestFromArgs(args: readonly string[], cwd: string): LaunchRequest {
  const folder = args.filter((arg) => !isSwitch(arg)).at(-1) ?? null;
  return {
    folder: folder === null ? null : path.resolve(cwd, folder),
    demo: args.includes('--demo'),
    double: args.includes('--double'),
  };
}

/** The first instance's request, from its own `process.argv` and working directory. */
export function launchRequest(argv: readonly string[], isPackaged: boolean, cwd: string): LaunchRequest {
  return requestFromArgs(appArguments(argv, isPackaged), cwd);
}

/** What this instance hands to the first one when it is the second. */
export function instanceRequest(argv: readonly string[], isPackaged: boolean, cwd: string): InstanceRequest {
  return { args: appArguments(argv, isPackaged), cwd };
}

const isInstanceRequest = (value: unknown): value is InstanceRequest =>
  value !== null &&
  typeof value === 'object' &&
  Array.isArray((value as InstanceRequest).args) &&
  (value as InstanceRequest).args.every((arg) => typeof arg === 'string') &&
  typeof (value as InstanceRequest).cwd === 'string' &&
  path.isAbsolute((value as InstanceRequest).cwd);

/**
 * A second instance's request, in the first instance (`second-instance`): from the arguments it
 * sent itself when they are well-formed (an older or foreign instance may send none), else from
 * the argv Chromium hands over, resolved against that instance's working directory, never ours.
 */
export function secondInstanceRequest(
  argv: readonly string[],
  workingDirectory: string,
  additionalData: unknown,
  isPackaged: boolean,
): LaunchRequest {
  if (isInstanceRequest(additionalData)) return requestFromArgs(additionalData.args, additionalData.cwd);
  return launchRequest(argv, isPackaged, workingDirectory);
}
