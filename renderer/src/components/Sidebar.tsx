import { useTranslation } from 'react-i18next';
import { commandLabel } from '../../../shared/commands.js';
import { appLabel } from '../../../shared/text.js';
import { useFormats } from '../i18n/LanguageProvider.js';
import { useSessions } from '../store/StoreContext.js';

/** Every app with its session count and pending badge; "All apps" on top. */
export function Sidebar() {
  const apps = useSessions((s) => s.apps);
  const folder = useSessions((s) => s.folder);
  const view = useSessions((s) => s.view);
  const selectFolder = useSessions((s) => s.selectFolder);
  const run = useSessions((s) => s.run);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
  const { t } = useTranslation();
  const formats = useFormats();
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
            {formats.number(sessions)}
            <span className="visually-hidden"> {t('window:sidebar.sessions', { count: sessions })}</span>
          </span>
          {pending > 0 && (
            <span className="badge">
              {formats.number(pending)}
              <span className="visually-hidden"> {t('window:sidebar.pending')}</span>
            </span>
          )}
        </span>
      </button>
    </li>
  );

  return (
    <nav className="sidebar" aria-label={t('window:sidebar.title')}>
      <h2 className="sidebar-title">{t('window:sidebar.title')}</h2>
      <ul>
        {item(
          '__all',
          t('window:sidebar.allApps'),
          totalSessions,
          totalPending,
          view === 'sessions' && folder === null,
          () => selectFolder(null),
        )}
        {apps.map((app) =>
          item(
            app.folder,
            appLabel(app),
            app.counts.sessions,
            app.counts.pending,
            view === 'sessions' && folder === app.folder,
            () => selectFolder(app.folder),
            t('window:sidebar.appTooltip', {
              name: app.name,
              bundleId: app.bundleId,
              team: app.teamId ?? t('window:sidebar.noTeam'),
              folder: app.folder,
            }),
          ),
        )}
      </ul>
      <button
        type="button"
        className={view === 'problems' ? 'app problems active' : 'app problems'}
        aria-current={view === 'problems' ? 'true' : undefined}
        onClick={() => void run('show-problems')}
      >
        <span className="app-name">{commandLabel('show-problems', platform, t)}</span>
        {totalProblems > 0 && <span className="badge warn">{formats.number(totalProblems)}</span>}
      </button>
    </nav>
  );
}
