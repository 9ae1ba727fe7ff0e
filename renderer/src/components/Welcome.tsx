import { useState } from 'react';
import { useSessions } from '../store/StoreContext.js';

/** A full path on the server: `/…` (macOS, Linux), `C:\…` or `\\server\share` (Windows). */
export const isAbsolutePath = (typed: string): boolean =>
  typed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(typed) || typed.startsWith('\\\\');

/** No folder open: open one, or try the demo. */
export function Welcome() {
  const api = useSessions((s) => s.api);
  const openRoot = useSessions((s) => s.openRoot);
  const openDemo = useSessions((s) => s.openDemo);
  const recent = useSessions((s) => s.recentRoots);
  const busy = useSessions((s) => s.busy);
  const [path, setPath] = useState('');
  const [pathError, setPathError] = useState<string | null>(null);

  const run = useSessions((s) => s.run);

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Mobile Sessions</h1>
      <p>
        Review and approve the devices of the mobile apps your 4D Server serves. Open the server's{' '}
        <code>MobileApps</code> folder (in a project: <code>Data/MobileApps</code>).
      </p>
      <div className="welcome-actions">
        {api.pickFolder ? (
          <button type="button" className="primary" onClick={() => void run('open-folder')} disabled={busy}>
            Open MobileApps Folder…
          </button>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const typed = path.trim();
              if (!typed) return;
              // Relative to what? The server's working folder, which the admin cannot see: ask for the full path.
              if (!isAbsolutePath(typed)) {
                setPathError(
                  `Type the full path of the folder on the server (such as /Users/admin/MyBase/Data/MobileApps or C:\\MyBase\\Data\\MobileApps): "${typed}" would depend on the folder the server was started from.`,
                );
                return;
              }
              setPathError(null);
              void openRoot(typed);
            }}
          >
            <label htmlFor="root-path">MobileApps folder on the server</label>
            <div className="row">
              <input
                id="root-path"
                value={path}
                onChange={(e) => {
                  setPath(e.target.value);
                  setPathError(null);
                }}
                placeholder="/path/to/MobileApps"
                aria-invalid={pathError !== null}
                aria-describedby={pathError ? 'root-path-error' : undefined}
              />
              <button type="submit" className="primary" disabled={busy || !path.trim()}>
                Open MobileApps Folder
              </button>
            </div>
            {pathError && (
              <p id="root-path-error" className="field-error" role="alert">
                {pathError}
              </p>
            )}
          </form>
        )}
        <button type="button" onClick={() => void openDemo()} disabled={busy}>
          Try the demo
        </button>
      </div>
      {recent.length > 0 && (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Recent folders</h2>
          <ul className="recent">
            {recent.map((root) => (
              <li key={root}>
                <button type="button" className="link" onClick={() => void openRoot(root)}>
                  {root}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
