import { appLabel } from '../../../shared/text.js';
import { useSessions } from '../store/StoreContext.js';

/** Every app with its session count and pending badge; "All apps" on top. */
export function Sidebar() {
  const apps = useSessions((s) => s.apps);
  const folder = useSessions((s) => s.folder);
  const view = useSessions((s) => s.view);
  const selectFolder = useSessions((s) => s.selectFolder);
  const run = useSessions((s) => s.run);
  const totalSessions = apps.reduce((n, a) => n + a.counts.sessions, 0);
  const totalPending = apps.reduce((n, a) => n + a.counts.pending, 0);
  const totalProblems = apps.reduce((n, a) => n + a.counts.problems, 0);

  const item = (
    key: string,
    label: string,
    sessions: number,
    pending: number,
    active: boolean,
    onClick: () => void,
    title?: string,
  ) => (
    <li key={key}>
      <button
        type="button"
        className={active ? 'app active' : 'app'}
        aria-current={active ? 'true' : undefined}
        onClick={onClick}
        title={title}
      >
        <span className="app-name">{label}</span>
        <span className="app-counts">
          <span className="count">
            {sessions}
            <span className="visually-hidden"> sessions</span>
          </span>
          {pending > 0 && (
            <span className="badge">
              {pending}
              <span className="visually-hidden"> pending</span>
            </span>
          )}
        </span>
      </button>
    </li>
  );

  return (
    <nav className="sidebar" aria-label="Apps">
      <h2 className="sidebar-title">Apps</h2>
      <ul>
        {item('__all', 'All apps', totalSessions, totalPending, view === 'sessions' && folder === null, () =>
          selectFolder(null),
        )}
        {apps.map((app) =>
          item(
            app.folder,
            appLabel(app),
            app.counts.sessions,
            app.counts.pending,
            view === 'sessions' && folder === app.folder,
            () => selectFolder(app.folder),
            `${app.name}\nBundle id: ${app.bundleId}\nTeam: ${app.teamId ?? 'none'}\nFolder: ${app.folder}`,
          ),
        )}
      </ul>
      <button
        type="button"
        className={view === 'problems' ? 'app problems active' : 'app problems'}
        aria-current={view === 'problems' ? 'true' : undefined}
        onClick={() => void run('show-problems')}
      >
        <span className="app-name">Problems</span>
        {totalProblems > 0 && <span className="badge warn">{totalProblems}</span>}
      </button>
    </nav>
  );
}
