import { useEffect } from 'react';
import { onWindowKey } from './commands/windowKeys.js';
import { CleanupView } from './components/CleanupView.js';
import { DomContextMenu } from './components/ContextMenu.js';
import { DetailsPanel } from './components/DetailsPanel.js';
import { FilterBar } from './components/FilterBar.js';
import { Notices } from './components/Notices.js';
import { ProblemsView } from './components/ProblemsView.js';
import { PushDialog } from './components/PushDialog.js';
import { SessionsTable } from './components/SessionsTable.js';
import { Sidebar } from './components/Sidebar.js';
import { SkipLink } from './components/SkipLink.js';
import { StatusBar } from './components/StatusBar.js';
import { Toolbar } from './components/Toolbar.js';
import { Welcome } from './components/Welcome.js';
import { useSessions, useSessionsStore } from './store/StoreContext.js';

const MAIN_LABELS = { sessions: 'Sessions', problems: 'Problems', cleanup: 'Clean-up' } as const;

export function App() {
  const store = useSessionsStore();
  const root = useSessions((s) => s.app?.root ?? null);
  const watcher = useSessions((s) => s.app?.watcher);
  const view = useSessions((s) => s.view);
  const apps = useSessions((s) => s.apps);
  const folder = useSessions((s) => s.folder);
  const api = useSessions((s) => s.api);

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
              {watcher.message} The list shows the last known state.
            </div>
          )}
          <div className="workspace">
            <Sidebar />
            <main className="main" aria-label={MAIN_LABELS[view]}>
              {view === 'problems' ? (
                <ProblemsView />
              ) : view === 'cleanup' ? (
                <CleanupView />
              ) : apps.length === 0 ? (
                <div className="empty" role="status">
                  <p>
                    This folder holds no app folders yet. A 4D Server creates one per mobile app at the first
                    login.
                  </p>
                </div>
              ) : (
                <>
                  <FilterBar />
                  {selectedApp && selectedApp.counts.sessions > 0 && selectedApp.counts.pending === 0 && (
                    <p className="hint">
                      No device of this app waits for approval. To approve new devices by hand, set{' '}
                      <code>$result.verify:=True</code> in the server's{' '}
                      <code>On Mobile App Authentication</code> method.
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
