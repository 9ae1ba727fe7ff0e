import { useEffect } from 'react';
import { DomContextMenu } from './components/ContextMenu.js';
import { DetailsPanel } from './components/DetailsPanel.js';
import { FilterBar } from './components/FilterBar.js';
import { Notices } from './components/Notices.js';
import { ProblemsView } from './components/ProblemsView.js';
import { PushDialog } from './components/PushDialog.js';
import { SessionsTable } from './components/SessionsTable.js';
import { Sidebar } from './components/Sidebar.js';
import { StatusBar } from './components/StatusBar.js';
import { Toolbar } from './components/Toolbar.js';
import { Welcome } from './components/Welcome.js';
import { useSessions, useSessionsStore } from './store/StoreContext.js';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function App() {
  const store = useSessionsStore();
  const root = useSessions((s) => s.app?.root ?? null);
  const watcher = useSessions((s) => s.app?.watcher);
  const view = useSessions((s) => s.view);
  const apps = useSessions((s) => s.apps);
  const folder = useSessions((s) => s.folder);
  const api = useSessions((s) => s.api);

  useEffect(() => {
    void store.getState().start();
  }, [store]);

  // Keys that work anywhere in the window (the table handles its own).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const state = store.getState();
      const mod = event.metaKey || event.ctrlKey;
      if (mod && !event.shiftKey && event.key.toLowerCase() === 'z' && !isTyping(event.target)) {
        event.preventDefault();
        void state.undo();
      } else if (api.kind === 'browser' && (event.key === 'F5' || (mod && event.key.toLowerCase() === 'r'))) {
        event.preventDefault();
        void state.refresh();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, api]);

  // The native menu's commands (Electron).
  useEffect(
    () =>
      api.onMenuCommand(async ({ command, ref }) => {
        const state = store.getState();
        const focused = state.rowAt(state.focusedIndex);
        if (command === 'open-folder' && api.pickFolder) {
          const picked = await api.pickFolder();
          if (picked) await state.openRoot(picked);
        } else if (command === 'refresh') await state.refresh();
        else if (command === 'show-problems') state.setView('problems');
        else if (command === 'accept') await state.setStatus('selection', 'accepted');
        else if (command === 'set-pending') await state.setStatus('selection', 'pending');
        else if (command === 'reveal' && focused) await state.reveal(focused.ref);
        else if (command === 'move-to-trash') await state.deleteSessions('selection');
        else if (command === 'undo') await state.undo();
        else if (command === 'close-folder') await state.closeRoot();
        else if (command === 'push-setup') state.openPushSetup();
        else if (command === 'focus-session' && ref) await state.focusRef(ref);
      }),
    [store, api],
  );

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
          <Toolbar />
          {watcher?.state === 'root-missing' && (
            <div className="banner error" role="alert">
              {watcher.message} The list shows the last known state.
            </div>
          )}
          <div className="workspace">
            <Sidebar />
            <main className="main" aria-label={view === 'problems' ? 'Problems' : 'Sessions'}>
              {view === 'problems' ? (
                <ProblemsView />
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
