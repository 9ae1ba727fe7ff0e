import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onWindowKey } from './commands/windowKeys.js';
import { CleanupView } from './components/CleanupView.js';
import { DomContextMenu } from './components/ContextMenu.js';
import { DetailsPanel } from './components/DetailsPanel.js';
import { FilterBar } from './components/FilterBar.js';
import { Notices } from './components/Notices.js';
import { ProblemsView } from './components/ProblemsView.js';
import { PushDialog } from './components/PushDialog.js';
import { markers, richText } from './components/richText.js';
import { SessionsTable } from './components/SessionsTable.js';
import { Sidebar } from './components/Sidebar.js';
import { SkipLink } from './components/SkipLink.js';
import { StatusBar } from './components/StatusBar.js';
import { Toolbar } from './components/Toolbar.js';
import { Welcome } from './components/Welcome.js';
import { useSessions, useSessionsStore } from './store/StoreContext.js';

/** The 4D code the hint names: code, in every language. */
const HINT_CODE = {
  setting: <code>$result.verify:=True</code>,
  method: <code>On Mobile App Authentication</code>,
};

export function App() {
  const store = useSessionsStore();
  const root = useSessions((s) => s.app?.root ?? null);
  const watcher = useSessions((s) => s.app?.watcher);
  const view = useSessions((s) => s.view);
  const apps = useSessions((s) => s.apps);
  const folder = useSessions((s) => s.folder);
  const api = useSessions((s) => s.api);
  const { t } = useTranslation();

  // Listens to the engine and to the native menu (whose commands go to the store's dispatcher).
  useEffect(() => {
    void store.getState().start();
  }, [store]);

  // The window's keys, read through the command vocabulary; a key that is no command here is left alone.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => onWindowKey(event, store.getState());
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // A folder dropped on the window opens it (Electron gives its path; a browser cannot).
  const onDrop = (event: React.DragEvent) => {
    const file = event.dataTransfer.files[0];
    const dropped = file ? api.pathForFile(file) : null;
    if (!dropped) return;
    event.preventDefault();
    void store.getState().openRoot(dropped);
  };

  const selectedApp = apps.find((a) => a.folder === folder);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping a folder is a shortcut; File > Open does the same
    <div className="app-shell" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      {root === null ? (
        <Welcome />
      ) : (
        <>
          <SkipLink />
          <Toolbar />
          {watcher?.state === 'root-missing' && (
            <div className="banner error" role="alert">
              {t('window:app.rootMissing', { root })}
            </div>
          )}
          <div className="workspace">
            <Sidebar />
            <main className="main" aria-label={t(`window:app.main.${view}`)}>
              {view === 'problems' ? (
                <ProblemsView />
              ) : view === 'cleanup' ? (
                <CleanupView />
              ) : apps.length === 0 ? (
                <div className="empty" role="status">
                  <p>{t('window:app.noApps')}</p>
                </div>
              ) : (
                <>
                  <FilterBar />
                  {selectedApp && selectedApp.counts.sessions > 0 && selectedApp.counts.pending === 0 && (
                    <p className="hint">
                      {richText(t('window:app.noPendingHint', markers(HINT_CODE)), HINT_CODE)}
                    </p>
                  )}
                  <SessionsTable />
                </>
              )}
            </main>
            <DetailsPanel />
          </div>
          <StatusBar />
        </>
      )}
      <Notices />
      <PushDialog />
      <DomContextMenu />
    </div>
  );
}
