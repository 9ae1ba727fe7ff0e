import { useTranslation } from 'react-i18next';
import { commandLabel } from '../../../shared/commands.js';
import { useFormats } from '../i18n/LanguageProvider.js';
import { useSessions } from '../store/StoreContext.js';

/** Folder switcher, Refresh, Export CSV, Push (with the number of unpushed changes). */
export function Toolbar() {
  const api = useSessions((s) => s.api);
  const app = useSessions((s) => s.app);
  const recent = useSessions((s) => s.recentRoots);
  const openRoot = useSessions((s) => s.openRoot);
  const run = useSessions((s) => s.run);
  const unpushed = useSessions((s) => s.pushState?.unpushed.counts.total ?? 0);
  const { t } = useTranslation();
  const formats = useFormats();
  const platform = app?.platform ?? 'browser';
  const label = (id: Parameters<typeof commandLabel>[0]) => commandLabel(id, platform, t);

  const onFolder = async (value: string) => {
    if (value === '__open') await run('open-folder');
    else if (value === '__close') await run('close-folder');
    else if (value) await openRoot(value);
  };

  return (
    <header className="toolbar">
      <label className="folder">
        <span className="visually-hidden">{t('window:toolbar.folder')}</span>
        <select
          aria-label={t('window:toolbar.folder')}
          value={app?.root ?? ''}
          onChange={(e) => void onFolder(e.target.value)}
        >
          {app?.root && (
            <option value={app.root}>
              {app.demo ? t('window:toolbar.demoRoot', { root: app.root }) : app.root}
            </option>
          )}
          {recent
            .filter((root) => root !== app?.root)
            .map((root) => (
              <option key={root} value={root}>
                {root}
              </option>
            ))}
          {api.pickFolder && <option value="__open">{label('open-folder')}</option>}
          {/* The browser mode's folder is the server's: every tab open on it goes back to the welcome screen. */}
          <option value="__close">
            {t(api.kind === 'browser' ? 'window:toolbar.closeFolderEveryTab' : 'window:toolbar.closeFolder')}
          </option>
        </select>
      </label>
      <div className="toolbar-actions">
        <button type="button" onClick={() => void run('refresh')}>
          {label('refresh')}
        </button>
        <button type="button" onClick={() => void run('export-csv')}>
          {label('export-csv')}
        </button>
        <button type="button" onClick={() => void run('clean-up')}>
          {label('clean-up')}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void run('push')}
          title={t('window:toolbar.unpushed', { count: unpushed })}
        >
          {label('push')}
          {unpushed > 0 && <span className="badge on-primary">{formats.number(unpushed)}</span>}
        </button>
      </div>
    </header>
  );
}
