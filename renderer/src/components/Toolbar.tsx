import { commandLabel } from '../../../shared/commands.js';
import { useSessions } from '../store/StoreContext.js';

/** Folder switcher, Refresh, Export CSV, Push (with the number of unpushed changes). */
export function Toolbar() {
  const api = useSessions((s) => s.api);
  const app = useSessions((s) => s.app);
  const recent = useSessions((s) => s.recentRoots);
  const openRoot = useSessions((s) => s.openRoot);
  const run = useSessions((s) => s.run);
  const unpushed = useSessions((s) => s.pushState?.unpushed.counts.total ?? 0);

  const onFolder = async (value: string) => {
    if (value === '__open') await run('open-folder');
    else if (value === '__close') await run('close-folder');
    else if (value) await openRoot(value);
  };

  return (
    <header className="toolbar">
      <label className="folder">
        <span className="visually-hidden">MobileApps folder</span>
        <select
          aria-label="MobileApps folder"
          value={app?.root ?? ''}
          onChange={(e) => void onFolder(e.target.value)}
        >
          {app?.root && <option value={app.root}>{app.demo ? `Demo — ${app.root}` : app.root}</option>}
          {recent
            .filter((root) => root !== app?.root)
            .map((root) => (
              <option key={root} value={root}>
                {root}
              </option>
            ))}
          {api.pickFolder && <option value="__open">Open MobileApps Folder…</option>}
          {/* The browser mode's folder is the server's: every tab open on it goes back to the welcome screen. */}
          <option value="__close">
            {api.kind === 'browser' ? 'Close folder (in every browser tab)' : 'Close folder'}
          </option>
        </select>
      </label>
      <div className="toolbar-actions">
        <button type="button" onClick={() => void run('refresh')}>
          Refresh
        </button>
        <button type="button" onClick={() => void run('export-csv')}>
          Export CSV
        </button>
        <button type="button" onClick={() => void run('clean-up')}>
          {commandLabel('clean-up', app?.platform ?? 'browser')}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void run('push')}
          title={unpushed ? `${unpushed} changes not pushed to the 4D Server yet` : 'Nothing to push'}
        >
          Push
          {unpushed > 0 && <span className="badge on-primary">{unpushed}</span>}
        </button>
      </div>
    </header>
  );
}
