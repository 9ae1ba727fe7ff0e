/**
 * The folders the OS knows about: each folder the app opens goes to the OS's recent documents (the
 * Dock icon's menu on macOS, the taskbar jump list on Windows), and a folder the OS hands the app
 * (macOS `open-file`: dropped on the Dock icon, chosen in the Dock's recent list) is opened.
 */

/** The app state the recent list follows (AppState's `root` and `demo`). */
export interface OpenFolderState {
  root: string | null;
  demo: boolean;
}

/**
 * Adds a folder to the recent documents when it becomes the open one, whichever door opened it
 * (command line, menu, the window's Open dialog, a drop). The demo folder is the app's own: not added.
 */
export class RecentDocuments {
  private current: string | null = null;

  constructor(private readonly addRecentDocument: (folder: string) => void) {}

  stateChanged(state: OpenFolderState): void {
    if (state.root === this.current) return;
    this.current = state.root;
    if (state.root && !state.demo) this.addRecentDocument(state.root);
  }
}

/**
 * Folders the OS asks the app to open. macOS sends `open-file` before `ready` when the app is
 * launched by a drop on its Dock icon, when there is no window to open it in yet: those wait in
 * order until `release()`, later ones open at once.
 */
export class FolderRequests {
  private queue: string[] | null = [];

  constructor(private readonly open: (folder: string) => void) {}

  request(folder: string): void {
    if (this.queue) this.queue.push(folder);
    else this.open(folder);
  }

  /** True while requests wait (the start-up then does not reopen the last folder over them). */
  hasWaiting(): boolean {
    return (this.queue?.length ?? 0) > 0;
  }

  /** The window is there: the waiting folders open, in the order they came. */
  release(): void {
    const waiting = this.queue ?? [];
    this.queue = null;
    for (const folder of waiting) this.open(folder);
  }
}

/** The part of Electron's `app` that hands over files (macOS only; never emitted elsewhere). */
export interface OpenFileSource {
  on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): unknown;
}

/**
 * Listens for `open-file`. Must run before `ready`: a launch by a drop emits it that early.
 * `preventDefault()` tells macOS the app took the file (else it reports it could not open it).
 */
export function listenForOpenFile(app: OpenFileSource, requests: FolderRequests): void {
  app.on('open-file', (event, folder) => {
    event.preventDefault();
    requests.request(folder);
  });
}
