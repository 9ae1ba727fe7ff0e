/** The MobileApps folder given on the command line, if any (`Mobile Sessions /path/to/MobileApps`). */
export function folderFromArgv(
  argv: string[],
  isPackaged: boolean,
): { folder: string | null; demo: boolean } {
  // Packaged: [app, ...args]; from source: [electron, <app path>, ...args].
  const args = argv.slice(isPackaged ? 1 : 2);
  const demo = args.includes('--demo');
  const folder = args.filter((arg) => !arg.startsWith('-')).at(-1) ?? null;
  return { folder, demo };
}
