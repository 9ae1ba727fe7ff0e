import { useState } from 'react';
import { useSessions } from '../store/StoreContext.js';

/** No folder open: open one, or try the demo. */
export function Welcome() {
  const api = useSessions((s) => s.api);
  const openRoot = useSessions((s) => s.openRoot);
  const openDemo = useSessions((s) => s.openDemo);
  const recent = useSessions((s) => s.recentRoots);
  const busy = useSessions((s) => s.busy);
  const [path, setPath] = useState('');

  const pick = async () => {
    if (!api.pickFolder) return;
    const folder = await api.pickFolder();
    if (folder) await openRoot(folder);
  };

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Mobile Sessions</h1>
      <p>
        Review and approve the devices of the mobile apps your 4D Server serves. Open the server's{' '}
        <code>MobileApps</code> folder (in a project: <code>Data/MobileApps</code>).
      </p>
      <div className="welcome-actions">
        {api.pickFolder ? (
          <button type="button" className="primary" onClick={pick} disabled={busy}>
            Open MobileApps Folder…
          </button>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (path.trim()) void openRoot(path.trim());
            }}
          >
            <label htmlFor="root-path">MobileApps folder on the server</label>
            <div className="row">
              <input
                id="root-path"
                value={path}
                onChange={(e) => setPath(e.target.value)}
                placeholder="/path/to/MobileApps"
              />
              <button type="submit" className="primary" disabled={busy || !path.trim()}>
                Open MobileApps Folder
              </button>
            </div>
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
